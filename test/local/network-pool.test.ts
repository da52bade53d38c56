/**
 * The network pool: each stream (account and region) counted by one worker, in the order its files
 * are sent, giving the windows one thread gives; a worker that stops fails its streams' files by
 * name and leaves the other streams counting.
 */
import { describe, expect, it } from 'vitest';
import type { NetworkLayout } from '../../central/core/netlogs/log-layout.js';
import { NetworkWindows } from '../../central/core/statistics/network-windows.js';
import { decodeFlowLog } from '../../central/core/netlogs/flow-log.js';
import { DEFAULT_FORMAT } from '../../central/core/netlogs/flow-format.js';
import { WorkerStoppedError } from '../../central/local/match-pool.js';
import { NetworkPool } from '../../central/local/network-pool.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';

const STOPPING_WORKER = new URL('../support/stopping-network-worker.mjs', import.meta.url);
const detectors = loadStatisticsFolders().detectors.map((d) => d.detector).filter((d) => d.source === 'flow');
const flow = (account: string, region = 'eu-west-1'): NetworkLayout => ({ kind: 'flow', account, region });

/** Five minutes of a scanner probing ports of one host, and a client's traffic, in the default format. */
function window(account: string, minute: number): string {
  const t = Date.parse('2026-11-10T00:00:00Z') / 1000 + minute * 60;
  const lines = [DEFAULT_FORMAT];
  for (let p = 0; p < 80; p++) lines.push(`2 ${account} eni-0a1b2c3d4e5f60001 198.51.100.9 10.0.1.20 40000 ${1000 + p} 6 1 40 ${t} ${t + 30} REJECT OK`);
  for (let i = 0; i < 20; i++) lines.push(`2 ${account} eni-0a1b2c3d4e5f60001 10.0.1.20 203.0.113.${i} 443 50000 6 10 ${9000 + i} ${t} ${t + 30} ACCEPT OK`);
  return lines.join('\n') + '\n';
}

describe('the network pool', () => {
  it('counts each stream on one thread and closes the same windows as one thread does', async () => {
    const files = ['111122223333', '444455556666'].flatMap((account) => [0, 5, 10, 30, 60].map((minute) => ({ name: `${account}-${minute}.log`, text: window(account, minute), layout: flow(account) })));
    const inline = new NetworkWindows(detectors);
    const expected = files.flatMap((f) => inline.add(decodeFlowLog(f.name, f.text, f.layout).records)).concat(inline.flush());
    const pool = new NetworkPool(detectors, 2);
    try {
      const counted = await Promise.all(files.map((f) => pool.readText(f.name, f.text, f.layout)));
      const ends = await pool.flush();
      expect(counted.map((c) => c.records)).toEqual(files.map(() => 100));
      const got = [...counted, ...ends].flatMap((c) => c.closed);
      const order = (w: { detector: string; account: string; windowStart: number }) => `${w.detector}/${w.account}/${w.windowStart}`;
      expect(got.map(order).sort()).toEqual(expected.map(order).sort());
      expect([...got].sort((a, b) => (order(a) < order(b) ? -1 : 1))).toEqual([...expected].sort((a, b) => (order(a) < order(b) ? -1 : 1)));
      // The vertical scan is among them, as one thread saw it.
      expect(got.some((w) => w.detector === 'flow-vertical-port-scan' && w.keys.some((k) => k.key.includes('198.51.100.9') && k.value === 80))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('refuses a file whose path names no account or region, since its stream is not known before it is read', async () => {
    const pool = new NetworkPool(detectors, 1);
    try {
      expect(() => pool.read('flows.log', { kind: 'flow' })).toThrow(/flows\.log: a network pool counts files whose path names their account and region/);
    } finally {
      await pool.close();
    }
  });

  it('keeps a stream on its thread, and fails the files of a stopped worker by name while the others go on', async () => {
    const pool = new NetworkPool(detectors, 2, { entry: STOPPING_WORKER });
    try {
      await pool.ready();
      const a = flow('111122223333');
      const b = flow('444455556666');
      const outcomes = await Promise.allSettled([
        pool.read('a-1.log', a),
        pool.read('b-1.log', b),
        pool.read('a-2-stop-here.log', a),
        pool.read('b-2.log', b),
        pool.read('a-3.log', a),
      ]);
      const said = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.problems[0]!.reason : `${(o.reason as WorkerStoppedError).path}: ${(o.reason as Error).message}`));
      // Each stream answered by one thread, the two streams by different threads.
      expect(said[0]).toMatch(/^thread \d+$/);
      expect(said[1]).toMatch(/^thread \d+$/);
      expect(said[1]).not.toBe(said[0]);
      expect(said[3]).toBe(said[1]);
      expect(said[2]).toBe('a-2-stop-here.log: the worker thread stopped (exit code 7)');
      // Its windows were on that thread: the stream's later files fail too, each by name...
      expect(said[4]).toBe('a-3.log: the worker thread stopped (exit code 7)');
      await expect(pool.read('a-4.log', a)).rejects.toThrow(WorkerStoppedError);
      // ...and the other stream goes on.
      expect((await pool.read('b-3.log', b)).problems[0]!.reason).toBe(said[1]);
    } finally {
      await pool.close();
    }
  });
});
