/**
 * The StateStore contract: what every adapter (memory, SQLite, DynamoDB) must do, so the detector
 * behaves the same on a laptop and in AWS. Each test gets a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FindingLedger } from '../../central/core/findings/ledger.js';
import type { StateStore } from '../../central/core/ports.js';
import { ManualClock } from '../support/detector.js';

/** A fresh store for one test, and how to dispose of it. */
export type MakeStateStore = () => Promise<{ store: StateStore; close?: () => Promise<void> }>;

/** Declares the StateStore contract tests for one adapter. */
export function stateStoreContract(name: string, makeStore: MakeStateStore): void {
  describe(name, () => {
    let store: StateStore;
    let close: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, close } = await makeStore());
    });
    afterEach(async () => {
      await close?.();
    });

    it('reads nothing for a key never written', async () => {
      expect(await store.get('gate:root-console-login:123456789012')).toBeUndefined();
    });

    it('creates a value at version 1 only while the key is absent', async () => {
      expect(await store.put('ledger:finding-1', { eventCount: 1 }, undefined)).toBe(true);
      expect(await store.get('ledger:finding-1')).toEqual({ value: { eventCount: 1 }, version: 1 });
      expect(await store.put('ledger:finding-1', { eventCount: 99 }, undefined)).toBe(false);
      expect(await store.get('ledger:finding-1')).toEqual({ value: { eventCount: 1 }, version: 1 });
    });

    it('updates a value from the version read, one version up per put', async () => {
      await store.put('ledger:finding-1', { eventCount: 1 }, undefined);
      expect(await store.put('ledger:finding-1', { eventCount: 2 }, 1)).toBe(true);
      expect(await store.put('ledger:finding-1', { eventCount: 3 }, 2)).toBe(true);
      expect(await store.get('ledger:finding-1')).toEqual({ value: { eventCount: 3 }, version: 3 });
    });

    it('refuses a put from a stale, future or absent version and keeps what is stored', async () => {
      await store.put('ledger:finding-1', { eventCount: 1 }, undefined);
      await store.put('ledger:finding-1', { eventCount: 2 }, 1);
      expect(await store.put('ledger:finding-1', { eventCount: 7 }, 1)).toBe(false);
      expect(await store.put('ledger:finding-1', { eventCount: 7 }, 3)).toBe(false);
      expect(await store.get('ledger:finding-1')).toEqual({ value: { eventCount: 2 }, version: 2 });
      expect(await store.put('ledger:never-created', { eventCount: 7 }, 1)).toBe(false);
      expect(await store.get('ledger:never-created')).toBeUndefined();
    });

    it('lets exactly one of several racing writers win, at create and at update', async () => {
      const writers = Array.from({ length: 8 }, (_, i) => `writer-${i}`);
      const created = await Promise.all(writers.map((w) => store.put('gate:race', { by: w }, undefined)));
      expect(created.filter(Boolean)).toHaveLength(1);
      const creator = writers[created.indexOf(true)];
      expect(await store.get('gate:race')).toEqual({ value: { by: creator }, version: 1 });

      const updated = await Promise.all(writers.map((w) => store.put('gate:race', { by: w, round: 2 }, 1)));
      expect(updated.filter(Boolean)).toHaveLength(1);
      expect(await store.get('gate:race')).toEqual({ value: { by: writers[updated.indexOf(true)], round: 2 }, version: 2 });
    });

    it('returns values as stored: nested objects, unicode, numbers and large arrays', async () => {
      const sightings = Array.from({ length: 2_000 }, (_, i) => ({
        id: `5f8a4c1e-0d3b-4c7a-9e21-${String(i).padStart(12, '0')}`,
        time: new Date(Date.UTC(2026, 10, 21, 12, 0, i)).toISOString(),
      }));
      const value = {
        actor: 'arn:aws:iam::123456789012:user/zoë.müller',
        note: '日本語のメモ 🚨 «quoted» \\ "escaped" \n newline',
        numbers: [0, -1, 2.5, 1e21, Number.MAX_SAFE_INTEGER],
        flags: [true, false, null],
        nested: { ewma: { mean: 12.75, variance: 3.0625, n: 288 }, empty: {}, none: [] },
        sightings,
      };
      expect(await store.put('stats:flow:123456789012:192.0.2.10', value, undefined)).toBe(true);
      expect(await store.get('stats:flow:123456789012:192.0.2.10')).toEqual({ value, version: 1 });
      for (const [key, plain] of [['zero', 0], ['text', 'us-east-1'], ['no', false], ['nothing', null], ['list', []]] as const) {
        await store.put(`plain:${key}`, plain, undefined);
        expect(await store.get(`plain:${key}`)).toEqual({ value: plain, version: 1 });
      }
    });

    it('keeps what is stored apart from the objects a caller passes in and gets back', async () => {
      const written = { ids: ['evt-1'] };
      await store.put('gate:copy', written, undefined);
      written.ids.push('changed after put');
      const read = await store.get<{ ids: string[] }>('gate:copy');
      read!.value.ids.push('changed after get');
      expect(await store.get('gate:copy')).toEqual({ value: { ids: ['evt-1'] }, version: 1 });
    });

    it('lists unseen members in the order given, each once', async () => {
      expect(await store.unseen('evidence:finding-1', ['evt-b', 'evt-a', 'evt-b', 'evt-c', 'evt-a'])).toEqual(['evt-b', 'evt-a', 'evt-c']);
      expect(await store.unseen('evidence:finding-1', [])).toEqual([]);
    });

    it('leaves remembered members out of unseen, and remembering twice is harmless', async () => {
      await store.remember('evidence:finding-1', ['evt-3', 'evt-1', 'evt-3']);
      await store.remember('evidence:finding-1', ['evt-1']);
      await store.remember('evidence:finding-1', []);
      expect(await store.unseen('evidence:finding-1', ['evt-4', 'evt-1', 'evt-2', 'evt-3', 'evt-4'])).toEqual(['evt-4', 'evt-2']);
    });

    it('keeps sets apart from values with the same key and from other sets', async () => {
      await store.put('first-seen:123456789012', { since: '2026-11-21T12:00:00.000Z' }, undefined);
      await store.remember('first-seen:123456789012', ['192.0.2.10']);
      await store.remember('first-seen:444455556666', ['198.51.100.7']);
      expect(await store.get('first-seen:123456789012')).toEqual({ value: { since: '2026-11-21T12:00:00.000Z' }, version: 1 });
      expect(await store.unseen('first-seen:123456789012', ['192.0.2.10', '198.51.100.7'])).toEqual(['198.51.100.7']);
      expect(await store.unseen('first-seen:444455556666', ['192.0.2.10', '198.51.100.7'])).toEqual(['192.0.2.10']);
      expect(await store.get('first-seen:444455556666')).toBeUndefined();
    });

    it('tells long members apart, even ones that differ only in their last character', async () => {
      const session = 'arn:aws:sts::123456789012:assumed-role/OrganizationAccountAccessRole/';
      const longA = session + 'a'.repeat(1_500) + 'A';
      const longB = session + 'a'.repeat(1_500) + 'B';
      const wide = '€'.repeat(200); // 600 bytes of UTF-8 in 200 characters
      const atLimit = 'x'.repeat(512);
      const pastLimit = 'x'.repeat(513);
      await store.remember('user-agents:123456789012', [longA, wide, atLimit, '']);
      expect(await store.unseen('user-agents:123456789012', [longB, longA, pastLimit, wide, atLimit, '', '€'.repeat(199)])).toEqual([longB, pastLimit, '€'.repeat(199)]);
    });

    it('handles more members than one DynamoDB batch takes, in order', async () => {
      const members = Array.from({ length: 260 }, (_, i) => `evt-${String(i).padStart(4, '0')}`);
      const even = members.filter((_, i) => i % 2 === 0);
      await store.remember('evidence:finding-many', even);
      expect(await store.unseen('evidence:finding-many', [...members].reverse())).toEqual(members.filter((_, i) => i % 2 === 1).reverse());
      await store.remember('evidence:finding-many', members);
      expect(await store.unseen('evidence:finding-many', members)).toEqual([]);
    });

    it('keeps the finding ledger counting each event once when a crash falls between its update and its commit', async () => {
      const ledger = new FindingLedger(store, new ManualClock());
      const evidence = Array.from({ length: 150 }, (_, i) => ({ id: `evt-${i}`, time: `2026-11-02T09:${String(i % 60).padStart(2, '0')}:00Z` }));
      const first = await ledger.record('finding-crash', evidence, 'HIGH');
      // The process dies here: the finding is not stored and the evidence not committed.
      const again = await ledger.record('finding-crash', [...evidence, { id: 'evt-new', time: '2026-11-02T10:00:00Z' }], 'HIGH');
      expect([first?.entry.eventCount, again?.entry.eventCount, again?.fresh.length]).toEqual([150, 151, 151]);
      await ledger.commit('finding-crash', again!.fresh);
      expect(await ledger.record('finding-crash', evidence, 'HIGH')).toBeUndefined();
    });
  });
}
