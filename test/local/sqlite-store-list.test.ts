import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prefixUpperBound, SqliteStore } from '../../central/local/sqlite-store.js';

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-list-state-'));
  store = new SqliteStore(join(dir, 'skywatch.db'));
  // Neighbours on both sides of the prefix in key order, and a LIKE wildcard that must stay literal.
  for (const key of ['stat/a/key/1', 'stat/a/key/2', 'stat/a/peers/1', 'stat/b/key/1', 'stas/x', 'stat0', 'stat_/y', 'ledger/z']) {
    await store.put(key, { key }, undefined);
  }
  await store.put('stat/a/key/2', { key: 'stat/a/key/2', changed: true }, 1);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore.listState', () => {
  it('lists exactly the keys that start with the prefix, in key order, with parsed values and versions', () => {
    expect(store.listState('stat/a/')).toEqual([
      { key: 'stat/a/key/1', value: { key: 'stat/a/key/1' }, version: 1 },
      { key: 'stat/a/key/2', value: { key: 'stat/a/key/2', changed: true }, version: 2 },
      { key: 'stat/a/peers/1', value: { key: 'stat/a/peers/1' }, version: 1 },
    ]);
  });

  it('treats LIKE wildcards in the prefix as plain characters', () => {
    expect(store.listState('stat_').map((e) => e.key)).toEqual(['stat_/y']);
    expect(store.listState('stat%')).toEqual([]);
  });

  it('stops after the limit', () => {
    expect(store.listState('stat/', 2).map((e) => e.key)).toEqual(['stat/a/key/1', 'stat/a/key/2']);
  });

  it('lists every key for an empty prefix', () => {
    expect(store.listState('').map((e) => e.key)).toEqual(['ledger/z', 'stas/x', 'stat/a/key/1', 'stat/a/key/2', 'stat/a/peers/1', 'stat/b/key/1', 'stat0', 'stat_/y']);
  });

  it('finds keys under a prefix ending in a character beyond the Basic Multilingual Plane', async () => {
    await store.put('emoji/\u{1F600}x', 1, undefined);
    await store.put('emoji/\u{1F601}', 2, undefined);
    expect(store.listState('emoji/\u{1F600}').map((e) => e.value)).toEqual([1]);
  });
});

describe('prefixUpperBound', () => {
  it('increments the last code point, skipping surrogates and dropping the highest one', () => {
    expect(prefixUpperBound('stat/')).toBe('stat0');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
  });
});
