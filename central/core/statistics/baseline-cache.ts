/**
 * Baselines held in memory between windows and written back through the StateStore port in one
 * pass: a replay judges hundreds of thousands of key-windows, and a store round trip for each would
 * cost more than the statistics. Bounded: past `capacity` the least recently used baselines are
 * written out and dropped. A version conflict (another writer stored the key meanwhile) keeps the
 * baseline that has seen the later window.
 */
import type { StateStore } from '../ports.js';

interface Cached<T> {
  value: T | undefined;
  version: number | undefined;
  dirty: boolean;
}

/** Values with a `lastWindow`, cached over a StateStore. */
export class BaselineCache<T extends { readonly lastWindow: number }> {
  private readonly entries = new Map<string, Cached<T>>();

  constructor(private readonly state: StateStore, private readonly capacity = 100_000) {}

  /** The stored value, loaded on first use. */
  async get(key: string): Promise<T | undefined> {
    let cached = this.entries.get(key);
    if (cached) {
      // Re-inserting moves the key to the end: the map's order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.value;
    }
    const stored = await this.state.get<T>(key);
    cached = { value: stored?.value, version: stored?.version, dirty: false };
    this.entries.set(key, cached);
    if (this.entries.size > this.capacity) await this.evict();
    return cached.value;
  }

  /** Replaces a value already read with `get`. */
  set(key: string, value: T): void {
    const cached = this.entries.get(key);
    if (!cached) throw new Error(`baseline ${key} set before it was read`);
    cached.value = value;
    cached.dirty = true;
  }

  /** Writes every changed value. */
  async flush(): Promise<void> {
    for (const [key, cached] of this.entries) if (cached.dirty) await this.write(key, cached);
  }

  private async evict(): Promise<void> {
    let excess = this.entries.size - Math.floor(this.capacity * 0.9);
    const oldest: string[] = [];
    for (const key of this.entries.keys()) {
      if (excess-- <= 0) break;
      oldest.push(key);
    }
    for (const key of oldest) {
      const cached = this.entries.get(key)!;
      if (cached.dirty) await this.write(key, cached);
      this.entries.delete(key);
    }
  }

  private async write(key: string, cached: Cached<T>): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.state.put(key, cached.value, cached.version)) {
        cached.version = (cached.version ?? 0) + 1;
        cached.dirty = false;
        return;
      }
      const current = await this.state.get<T>(key);
      cached.version = current?.version;
      if (current && current.value.lastWindow >= (cached.value?.lastWindow ?? -Infinity)) {
        cached.value = current.value;
        cached.dirty = false;
        return;
      }
    }
    throw new Error(`baseline ${key} could not be stored: other writers kept changing it`);
  }
}
