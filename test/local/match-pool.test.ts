import { describe, expect, it } from 'vitest';
import { MatchPool, WorkerStoppedError } from '../../central/local/match-pool.js';

const STOPPING_WORKER = new URL('../support/stopping-match-worker.mjs', import.meta.url);

describe('the match pool', () => {
  it('fails only the file a stopped worker was reading, and matches the queued ones on a new worker', async () => {
    const pool = new MatchPool([], 1, { entry: STOPPING_WORKER });
    try {
      const outcomes = await Promise.allSettled(['a.json', 'stop-here.json', 'b.json', 'c.json'].map((p) => pool.match(p)));
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.input : (o.reason as Error).message))).toEqual([
        'a.json',
        'the worker thread stopped (exit code 7)',
        'b.json',
        'c.json',
      ]);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WorkerStoppedError);
      expect((await pool.match('d.json')).input).toBe('d.json');
    } finally {
      await pool.close();
    }
  });
});
