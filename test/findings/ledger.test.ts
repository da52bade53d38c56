import { describe, expect, it } from 'vitest';
import { Detector } from '../../central/core/detector.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { FindingLedger, MAX_EVIDENCE_PER_UPDATE } from '../../central/core/findings/ledger.js';
import type { FindingSink } from '../../central/core/ports.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { eventOf, ManualClock, RecordingSink } from '../support/detector.js';

const { rules } = loadRuleFolders();
const rootCall = (n: number, eventTime = '2026-11-02T09:14:03Z') =>
  eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, eventTime }));

/** A sink that fails its first `failures` writes, as a crash between ledger and sink would. */
class FailingSink implements FindingSink {
  readonly stored = new Map<string, AsffFinding>();
  constructor(private failures: number) {}
  async put(findings: readonly AsffFinding[]) {
    if (this.failures-- > 0) throw new Error('killed before the finding was stored');
    for (const f of findings) this.stored.set(f.Id, f);
  }
}

describe('the finding ledger', () => {
  it('compares observation times as instants, whatever their precision or order', async () => {
    const ledger = new FindingLedger(new MemoryStateStore(), new ManualClock());
    // As text, "…:03.500Z" sorts before "…:03Z"; as instants it is later.
    const first = await ledger.record('f', [{ id: 'a', time: '2026-11-02T09:14:03.500Z' }, { id: 'b', time: '2026-11-02T09:14:03Z' }], 'HIGH');
    expect([first!.entry.firstObservedAt, first!.entry.lastObservedAt]).toEqual(['2026-11-02T09:14:03Z', '2026-11-02T09:14:03.500Z']);
    await ledger.commit('f', first!.fresh);
    const second = await ledger.record('f', [{ id: 'c', time: '2026-11-02T09:14:03.250Z' }], 'HIGH');
    expect([second!.entry.firstObservedAt, second!.entry.lastObservedAt]).toEqual(['2026-11-02T09:14:03Z', '2026-11-02T09:14:03.500Z']);
  });

  it('counts an event once when the process dies after the ledger update and before the finding is stored', async () => {
    const state = new MemoryStateStore();
    const sink = new FailingSink(1);
    const detector = new Detector({ engine: new RuleEngine(rules), state, sink, clock: new ManualClock() });
    const events = [rootCall(1), rootCall(2), rootCall(3)];
    await expect(detector.process(events)).rejects.toThrow('killed before the finding was stored');
    const rerun = await detector.process(events);
    expect(rerun.findings.map((f) => [f.ProductFields['skywatch/RuleId'], f.ProductFields['skywatch/EventCount']])).toEqual([['root-account-usage', '3']]);
    expect([...sink.stored.values()].map((f) => f.ProductFields['skywatch/EventCount'])).toEqual(['3']);
    // And a third run, the redelivery of a delivery that did succeed, changes nothing.
    expect((await detector.process(events)).findings).toEqual([]);
  });

  it('still counts new events that arrive with events counted before a crash', async () => {
    const state = new MemoryStateStore();
    const sink = new FailingSink(1);
    const detector = new Detector({ engine: new RuleEngine(rules), state, sink, clock: new ManualClock() });
    await expect(detector.process([rootCall(1), rootCall(2)])).rejects.toThrow();
    const [finding] = (await detector.process([rootCall(2), rootCall(3), rootCall(1)])).findings;
    expect(finding!.ProductFields['skywatch/EventCount']).toBe('3');
  });

  it('records a group larger than one update in rounds, each counted once', async () => {
    const sink = new RecordingSink();
    const detector = new Detector({ engine: new RuleEngine(rules), state: new MemoryStateStore(), sink, clock: new ManualClock() });
    const many = Array.from({ length: MAX_EVIDENCE_PER_UPDATE * 2 + 5 }, (_, i) => rootCall(i));
    const { findings } = await detector.process(many);
    expect(findings.map((f) => f.ProductFields['skywatch/EventCount'])).toEqual([String(many.length)]);
    expect(sink.versions.map((f) => f.ProductFields['skywatch/EventCount'])).toEqual(['1000', '2000', '2005']);
  });
});
