import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import {
  DIRECTORY_KEY,
  loadStoredDirectory,
  readDirectorySnapshot,
  saveDirectory,
  SnapshotDirectory,
  type DirectoryAccount,
  type DirectorySnapshot,
} from '../../central/core/directory/stored-directory.js';
import type { StateStore } from '../../central/core/ports.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { ManualClock } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';

const ROOT = 'r-k3x9';
const WORKLOADS = 'ou-k3x9-7tq2mz0a';
const PROD = 'ou-k3x9-c4w8v1ne';

const snapshot: DirectorySnapshot = {
  takenAt: '2026-11-21T12:00:00.000Z',
  accounts: [
    { id: '210987654321', name: 'management', state: 'ACTIVE', ous: [ROOT], tags: {} },
    { id: '345678901234', name: 'prod-payments', state: 'ACTIVE', ous: [ROOT, WORKLOADS, PROD], tags: { environment: 'prod', 'cost-center': 'cc-4471' } },
    { id: '567890123456', name: 'old-sandbox', state: 'SUSPENDED', ous: [ROOT], tags: {} },
  ],
};

/** A large organization: with tags, its snapshot is well over one DynamoDB item. */
function largeOrganization(count: number): DirectorySnapshot {
  const accounts: DirectoryAccount[] = Array.from({ length: count }, (_, i) => ({
    id: String(300000000000 + i * 7919),
    name: `workload-${String(i).padStart(4, '0')}-${'é'.repeat(i % 7)}`,
    state: 'ACTIVE',
    ous: [ROOT, WORKLOADS, `ou-k3x9-${String(i % 50).padStart(8, 'a')}`],
    tags: Object.fromEntries(Array.from({ length: 6 }, (_, t) => [`tag-${t}`, `value-${i}-${t}-${'x'.repeat(40)}`])),
  }));
  return { takenAt: '2026-11-21T12:00:00.000Z', accounts };
}

describe('the stored organization directory', () => {
  it('round-trips a snapshot and answers the suppression matcher\'s questions', async () => {
    const state = new MemoryStateStore();
    await saveDirectory(state, snapshot);
    expect(await readDirectorySnapshot(state)).toEqual(snapshot);
    const directory = new SnapshotDirectory((await readDirectorySnapshot(state))!);
    expect(directory.describe('345678901234')).toEqual({ name: 'prod-payments', ous: [ROOT, WORKLOADS, PROD], tags: { environment: 'prod', 'cost-center': 'cc-4471' } });
    expect(directory.describe('999999999999')).toBeUndefined();
  });

  it('replaces the previous snapshot', async () => {
    const state = new MemoryStateStore();
    await saveDirectory(state, snapshot);
    const later = { takenAt: '2026-11-22T12:00:00.000Z', accounts: snapshot.accounts.slice(0, 1) };
    await saveDirectory(state, later);
    expect(await readDirectorySnapshot(state)).toEqual(later);
  });

  it('is read at most once every five minutes per store, absence included', async () => {
    const state = new MemoryStateStore();
    const clock = new ManualClock();
    expect(await loadStoredDirectory(state, { clock })).toBeUndefined();
    await saveDirectory(state, snapshot);
    expect(await loadStoredDirectory(state, { clock })).toBeUndefined();
    clock.advance(5 * 60_000);
    const directory = await loadStoredDirectory(state, { clock });
    expect(directory?.describe('345678901234')?.name).toBe('prod-payments');
    await saveDirectory(state, { takenAt: '2026-11-21T12:04:00.000Z', accounts: [] });
    clock.advance(4 * 60_000);
    expect(await loadStoredDirectory(state, { clock })).toBe(directory);
  });

  describe('in the DynamoDB state table', () => {
    let dynamo: LocalDynamo;
    beforeAll(async () => {
      dynamo = await startDynalite();
    });
    afterAll(() => dynamo.close());

    it('splits a large organization into parts no item outgrows, and reads it back whole', async () => {
      const store = new DynamoStateStore({ client: dynamo.client, table: await dynamo.createTable(), clock: new ManualClock(), retentionDays: 90 });
      const large = largeOrganization(3_000);
      expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(1_000_000);
      await saveDirectory(store, large);
      const header = await store.get<{ parts?: number; accounts?: unknown }>(DIRECTORY_KEY);
      expect(header?.value.accounts).toBeUndefined();
      expect(header?.value.parts).toBeGreaterThanOrEqual(4);
      expect(await readDirectorySnapshot(store)).toEqual(large);
    });

    it('keeps a small organization in one value', async () => {
      const store = new DynamoStateStore({ client: dynamo.client, table: await dynamo.createTable(), clock: new ManualClock(), retentionDays: 90 });
      await saveDirectory(store, snapshot);
      expect((await store.get<DirectorySnapshot>(DIRECTORY_KEY))?.value.accounts).toEqual(snapshot.accounts);
      expect(await readDirectorySnapshot(store)).toEqual(snapshot);
    });
  });

  it('reads as absent when a part of the snapshot is gone', async () => {
    const state = new MemoryStateStore();
    const large = largeOrganization(1_500);
    await saveDirectory(state, large);
    const header = await state.get<{ generation: string }>(DIRECTORY_KEY);
    // A store where the first part expired.
    const expired = `${DIRECTORY_KEY}/${header!.value.generation}/0`;
    const missing: StateStore = {
      get: async <T>(key: string) => (key === expired ? undefined : state.get<T>(key)),
      put: (key, value, expected) => state.put(key, value, expected),
      unseen: (key, members) => state.unseen(key, members),
      remember: (key, members) => state.remember(key, members),
    };
    expect(await readDirectorySnapshot(missing)).toBeUndefined();
  });
});
