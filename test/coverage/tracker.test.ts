import { describe, expect, it } from 'vitest';
import type { Gap } from '../../central/core/coverage/check.js';
import { CoverageContentionError, CoverageTracker, OPEN_GAPS_KEY, gapKey, type CheckedScope } from '../../central/core/coverage/tracker.js';
import { MemoryOutbox } from '../../central/core/delivery/outbox.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import type { StateStore } from '../../central/core/ports.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock } from '../support/detector.js';

const CENTRAL = '123456789012';
const PAYMENTS = '345678901234';
const WEB = '456789012345';
const ONBOARDING_SCOPE: CheckedScope[] = [{ kind: 'member-stack-missing' }, { kind: 'forwarding-missing' }, { kind: 'security-hub-off', regions: ['us-east-1'] }];

/** An outbox that also keeps every version it was given, in order. */
class RecordingOutbox extends MemoryOutbox {
  readonly versions: AsffFinding[] = [];
  failNext = 0;
  override async put(findings: readonly AsffFinding[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('ProvisionedThroughputExceededException');
    }
    this.versions.push(...structuredClone(findings));
    await super.put(findings);
  }
}

function setup(state: StateStore = new MemoryStateStore()) {
  const clock = new ManualClock(Date.parse('2026-11-21T12:00:00Z'));
  const outbox = new RecordingOutbox();
  const directory = { describe: (account: string) => (account === PAYMENTS ? { name: 'prod-payments', ous: ['r-k3x9'], tags: {} } : undefined) };
  const tracker = new CoverageTracker({ state, outbox, clock, centralAccount: CENTRAL, homeRegion: 'us-east-1', directory });
  return { clock, outbox, tracker, state };
}

const HOUR = 3_600_000;

describe('the coverage tracker', () => {
  it('opens a gap as one valid ACTIVE finding', async () => {
    const { tracker, outbox } = setup();
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'BatchImportFindings answered InvalidAccess in eu-west-1');
    expect(outbox.versions).toHaveLength(1);
    const f = outbox.versions[0]!;
    expect(validateAsffFinding(f)).toEqual([]);
    expect(f).toMatchObject({ Id: `skywatch/coverage/security-hub-off/${PAYMENTS}`, RecordState: 'ACTIVE', CreatedAt: '2026-11-21T12:00:00.000Z', UpdatedAt: '2026-11-21T12:00:00.000Z' });
    expect(f.Title).toBe(`Skywatch coverage gap: Security Hub off in account prod-payments (${PAYMENTS}), region eu-west-1`);
  });

  it('makes no new version when a region already open is opened again', async () => {
    const { tracker, outbox, clock } = setup();
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'InvalidAccess');
    clock.advance(HOUR);
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'InvalidAccess again');
    expect(outbox.versions).toHaveLength(1);
  });

  it('adds a region as an updated finding naming both, with a later UpdatedAt and the same CreatedAt', async () => {
    const { tracker, outbox, clock } = setup();
    await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
    clock.advance(HOUR);
    await tracker.open('forwarding-missing', PAYMENTS, 'ap-southeast-2', 'stack instance OUTDATED (FAILED)');
    expect(outbox.versions.map((f) => f.UpdatedAt)).toEqual(['2026-11-21T12:00:00.000Z', '2026-11-21T13:00:00.000Z']);
    const latest = outbox.versions[1]!;
    expect(latest.CreatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(latest.Title).toContain('regions ap-southeast-2, eu-west-1');
    expect(latest.Description).toContain('Observed: ap-southeast-2: stack instance OUTDATED (FAILED); eu-west-1: no stack instance.');
    expect(latest.ProductFields['skywatch/Regions']).toBe('ap-southeast-2,eu-west-1');
  });

  it('archives the finding once every region is closed, keeping CreatedAt', async () => {
    const { tracker, outbox, clock } = setup();
    await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
    await tracker.open('forwarding-missing', PAYMENTS, 'ap-southeast-2', 'no stack instance');
    clock.advance(HOUR);
    await tracker.close('forwarding-missing', PAYMENTS, 'eu-west-1');
    expect(outbox.versions.at(-1)).toMatchObject({ RecordState: 'ACTIVE', ProductFields: expect.objectContaining({ 'skywatch/Regions': 'ap-southeast-2' }) });
    clock.advance(HOUR);
    await tracker.close('forwarding-missing', PAYMENTS, 'ap-southeast-2');
    const archived = outbox.versions.at(-1)!;
    expect(archived).toMatchObject({ RecordState: 'ARCHIVED', CreatedAt: '2026-11-21T12:00:00.000Z', UpdatedAt: '2026-11-21T14:00:00.000Z' });
    expect(validateAsffFinding(archived)).toEqual([]);
    expect(outbox.versions).toHaveLength(4);
    const pending: string[] = [];
    for await (const page of outbox.pages()) pending.push(...page.map((i) => i.finding.RecordState));
    expect(pending).toEqual(['ARCHIVED']);
  });

  it('closes the whole gap when no region is given', async () => {
    const { tracker, outbox } = setup();
    await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
    await tracker.open('forwarding-missing', PAYMENTS, 'ap-southeast-2', 'no stack instance');
    await tracker.close('forwarding-missing', PAYMENTS, undefined);
    expect(outbox.versions.at(-1)!.RecordState).toBe('ARCHIVED');
    expect(outbox.versions.at(-1)!.ProductFields['skywatch/ClosedRegions']).toBe('ap-southeast-2,eu-west-1');
  });

  it('gives every version a strictly later UpdatedAt, even within one millisecond', async () => {
    const { tracker, outbox } = setup();
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'InvalidAccess');
    await tracker.close('security-hub-off', PAYMENTS, 'eu-west-1');
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'InvalidAccess');
    expect(outbox.versions.map((f) => [f.RecordState, f.UpdatedAt])).toEqual([
      ['ACTIVE', '2026-11-21T12:00:00.000Z'],
      ['ARCHIVED', '2026-11-21T12:00:00.001Z'],
      ['ACTIVE', '2026-11-21T12:00:00.002Z'],
    ]);
  });

  it('reactivates an archived gap under the same Id and CreatedAt, observed anew', async () => {
    const { tracker, outbox, clock } = setup();
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'InvalidAccess');
    clock.advance(HOUR);
    await tracker.close('security-hub-off', PAYMENTS, 'eu-west-1');
    clock.advance(24 * HOUR);
    await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'InvalidAccess');
    expect(outbox.versions.at(-1)).toMatchObject({ RecordState: 'ACTIVE', CreatedAt: '2026-11-21T12:00:00.000Z', FirstObservedAt: '2026-11-22T13:00:00.000Z', UpdatedAt: '2026-11-22T13:00:00.000Z' });
  });

  it('does nothing when closing a gap that is not open', async () => {
    const { tracker, outbox, state } = setup();
    await tracker.close('security-hub-off', PAYMENTS, 'eu-west-1');
    expect(outbox.versions).toEqual([]);
    expect(await state.get(gapKey('security-hub-off', PAYMENTS))).toBeUndefined();
  });

  describe('reconciling a full check', () => {
    const gap = (kind: Gap['kind'], account: string, region: string, detail = 'no stack instance'): Gap => ({ kind, account, region, detail });

    it('opens what it observes and closes what it no longer observes', async () => {
      const { tracker, outbox, clock } = setup();
      const first = await tracker.reconcile([gap('member-stack-missing', WEB, 'us-east-1'), gap('member-stack-missing', WEB, 'eu-west-1'), gap('forwarding-missing', PAYMENTS, 'eu-west-1')], ONBOARDING_SCOPE);
      expect(first).toEqual({ changed: [`skywatch/coverage/forwarding-missing/${PAYMENTS}`, `skywatch/coverage/member-stack-missing/${WEB}`], open: [gapKey('forwarding-missing', PAYMENTS), gapKey('member-stack-missing', WEB)] });
      clock.advance(24 * HOUR);
      // The StackSet reached the web account in us-east-1 only; payments is fixed.
      const second = await tracker.reconcile([gap('forwarding-missing', WEB, 'eu-west-1')], ONBOARDING_SCOPE);
      expect(second.changed).toEqual([`skywatch/coverage/forwarding-missing/${PAYMENTS}`, `skywatch/coverage/forwarding-missing/${WEB}`, `skywatch/coverage/member-stack-missing/${WEB}`]);
      expect(second.open).toEqual([gapKey('forwarding-missing', WEB)]);
      const latest = new Map(outbox.versions.map((f) => [f.Id, f]));
      expect([...latest.values()].map((f) => [f.Id, f.RecordState, f.Severity.Label]).sort()).toEqual([
        [`skywatch/coverage/forwarding-missing/${PAYMENTS}`, 'ARCHIVED', 'MEDIUM'],
        [`skywatch/coverage/forwarding-missing/${WEB}`, 'ACTIVE', 'MEDIUM'],
        [`skywatch/coverage/member-stack-missing/${WEB}`, 'ARCHIVED', 'HIGH'],
      ]);
      for (const f of latest.values()) expect(validateAsffFinding(f)).toEqual([]);
    });

    it('writes no version when nothing changed', async () => {
      const { tracker, outbox, clock } = setup();
      const observed = [gap('forwarding-missing', PAYMENTS, 'eu-west-1')];
      await tracker.reconcile(observed, ONBOARDING_SCOPE);
      clock.advance(24 * HOUR);
      expect(await tracker.reconcile(observed, ONBOARDING_SCOPE)).toEqual({ changed: [], open: [gapKey('forwarding-missing', PAYMENTS)] });
      expect(outbox.versions).toHaveLength(1);
    });

    it('keeps regions outside the checked scope, such as Security Hub off where only the publisher looks', async () => {
      const { tracker, outbox } = setup();
      await tracker.open('security-hub-off', PAYMENTS, 'eu-west-1', 'BatchImportFindings answered InvalidAccess in eu-west-1');
      const summary = await tracker.reconcile([], ONBOARDING_SCOPE);
      expect(summary).toEqual({ changed: [], open: [gapKey('security-hub-off', PAYMENTS)] });
      expect(outbox.versions).toHaveLength(1);
      await tracker.reconcile([gap('security-hub-off', PAYMENTS, 'us-east-1', 'Security Hub member status is Resigned')], ONBOARDING_SCOPE);
      await tracker.reconcile([], ONBOARDING_SCOPE);
      expect(outbox.versions.at(-1)!.ProductFields['skywatch/Regions']).toBe('eu-west-1');
      expect(outbox.versions.at(-1)!.RecordState).toBe('ACTIVE');
    });

    it('refreshes what was observed when it changed', async () => {
      const { tracker, outbox, clock } = setup();
      await tracker.reconcile([gap('forwarding-missing', PAYMENTS, 'eu-west-1', 'stack instance OUTDATED (RUNNING)')], ONBOARDING_SCOPE);
      clock.advance(HOUR);
      await tracker.reconcile([gap('forwarding-missing', PAYMENTS, 'eu-west-1', 'stack instance OUTDATED (FAILED): Account is suspended')], ONBOARDING_SCOPE);
      expect(outbox.versions).toHaveLength(2);
      expect(outbox.versions[1]!.Description).toContain('eu-west-1: stack instance OUTDATED (FAILED): Account is suspended');
    });

    it('closes gaps indexed before, and heals an index that lost an open gap', async () => {
      const { tracker, state } = setup();
      await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
      expect((await state.get<{ keys: string[] }>(OPEN_GAPS_KEY))?.value.keys).toEqual([gapKey('forwarding-missing', PAYMENTS)]);
      const index = await state.get<{ keys: string[]; writtenAt: string }>(OPEN_GAPS_KEY);
      await state.put(OPEN_GAPS_KEY, { keys: [], writtenAt: index!.value.writtenAt }, index!.version);
      await tracker.reconcile([gap('forwarding-missing', PAYMENTS, 'eu-west-1')], ONBOARDING_SCOPE);
      expect((await state.get<{ keys: string[] }>(OPEN_GAPS_KEY))?.value.keys).toEqual([gapKey('forwarding-missing', PAYMENTS)]);
      await tracker.reconcile([], ONBOARDING_SCOPE);
      expect((await state.get<{ keys: string[] }>(OPEN_GAPS_KEY))?.value.keys).toEqual([]);
      expect((await tracker.gap('forwarding-missing', PAYMENTS))?.regions).toEqual({});
    });

    it('rewrites open gaps it has not written for a while, so a store with expiry keeps them, without a new version', async () => {
      const state = new MemoryStateStore();
      const clock = new ManualClock(Date.parse('2026-11-21T12:00:00Z'));
      const outbox = new RecordingOutbox();
      const tracker = new CoverageTracker({ state, outbox, clock, centralAccount: CENTRAL, homeRegion: 'us-east-1', refreshAfterMs: 7 * 24 * HOUR });
      const observed = [gap('forwarding-missing', PAYMENTS, 'eu-west-1')];
      await tracker.reconcile(observed, ONBOARDING_SCOPE);
      const before = await state.get(gapKey('forwarding-missing', PAYMENTS));
      const indexBefore = await state.get(OPEN_GAPS_KEY);
      clock.advance(6 * 24 * HOUR);
      await tracker.reconcile(observed, ONBOARDING_SCOPE);
      expect((await state.get(gapKey('forwarding-missing', PAYMENTS)))?.version).toBe(before!.version);
      clock.advance(24 * HOUR);
      await tracker.reconcile(observed, ONBOARDING_SCOPE);
      expect((await state.get(gapKey('forwarding-missing', PAYMENTS)))?.version).toBe(before!.version + 1);
      expect((await state.get(OPEN_GAPS_KEY))?.version).toBe(indexBefore!.version + 1);
      expect(outbox.versions).toHaveLength(1);
    });
  });

  it('retries when another writer changes the gap first, keeping both changes', async () => {
    const inner = new MemoryStateStore();
    const other = setup(inner).tracker;
    let raced = false;
    // Another onboarding (or the publisher) opens eu-west-1 between our read and our write.
    const racing: StateStore = {
      get: (key) => inner.get(key),
      put: async (key, value, expected) => {
        if (!raced && key === gapKey('forwarding-missing', PAYMENTS)) {
          raced = true;
          await other.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
        }
        return inner.put(key, value, expected);
      },
      unseen: (k, m) => inner.unseen(k, m),
      remember: (k, m) => inner.remember(k, m),
    };
    const { tracker, outbox } = setup(racing);
    await tracker.open('forwarding-missing', PAYMENTS, 'ap-southeast-2', 'stack instance OUTDATED (FAILED)');
    expect(raced).toBe(true);
    expect(Object.keys((await tracker.gap('forwarding-missing', PAYMENTS))!.regions).sort()).toEqual(['ap-southeast-2', 'eu-west-1']);
    expect(outbox.versions.at(-1)!.ProductFields['skywatch/Regions']).toBe('ap-southeast-2,eu-west-1');
  });

  it('gives up with CoverageContentionError when every write loses', async () => {
    const inner = new MemoryStateStore();
    const losing: StateStore = {
      get: (key) => inner.get(key),
      put: async (key, value, expected) => (key === OPEN_GAPS_KEY ? inner.put(key, value, expected) : false),
      unseen: (k, m) => inner.unseen(k, m),
      remember: (k, m) => inner.remember(k, m),
    };
    const state = losing;
    const tracker = new CoverageTracker({ state, outbox: new MemoryOutbox(), clock: new ManualClock(), centralAccount: CENTRAL, homeRegion: 'us-east-1', maxAttempts: 3 });
    const error = await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoverageContentionError);
    expect(error).toMatchObject({ key: gapKey('forwarding-missing', PAYMENTS), attempts: 3 });
  });

  it('offers a version again when the outbox failed after its state was stored', async () => {
    const { tracker, outbox } = setup();
    outbox.failNext = 1;
    await expect(tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance')).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(outbox.size).toBe(0);
    // The next touch of the gap (an open of the same region here) finds the version unoffered.
    await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
    expect(outbox.versions.map((f) => [f.RecordState, f.UpdatedAt])).toEqual([['ACTIVE', '2026-11-21T12:00:00.000Z']]);
    await tracker.open('forwarding-missing', PAYMENTS, 'eu-west-1', 'no stack instance');
    expect(outbox.versions).toHaveLength(1);
  });
});

