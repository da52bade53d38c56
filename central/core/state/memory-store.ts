/**
 * A StateStore in memory: for rule self-tests and unit tests, where state lives as long as one case.
 * Same contract as the embedded and DynamoDB stores (versioned puts, sets of members).
 */
import type { StateStore, Versioned } from '../ports.js';

export class MemoryStateStore implements StateStore {
  private readonly values = new Map<string, Versioned<unknown>>();
  private readonly sets = new Map<string, Set<string>>();

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    // A copy, as a database would return: a caller changing what it read must not change the store.
    const stored = this.values.get(key) as Versioned<T> | undefined;
    return stored && { value: structuredClone(stored.value), version: stored.version };
  }

  async put<T>(key: string, value: T, expectedVersion: number | undefined): Promise<boolean> {
    const current = this.values.get(key);
    if (current?.version !== expectedVersion) return false;
    this.values.set(key, { value: structuredClone(value), version: (current?.version ?? 0) + 1 });
    return true;
  }

  async unseen(setKey: string, members: readonly string[]): Promise<string[]> {
    const set = this.sets.get(setKey);
    return [...new Set(members)].filter((m) => !set?.has(m));
  }

  async remember(setKey: string, members: readonly string[]): Promise<void> {
    let set = this.sets.get(setKey);
    if (!set) this.sets.set(setKey, (set = new Set()));
    for (const m of members) set.add(m);
  }
}
