/**
 * Keeps one coverage finding per gap (kind and member account) in step with what is observed.
 * Each gap's state is a versioned value (`coverage/<kind>/<account>`), written with optimistic
 * concurrency: the publisher (Security Hub off) and onboarding (everything) write the same gaps.
 * A finding version goes to the outbox after its state is stored and is then marked offered; a
 * version left unoffered by a crash is offered again the next time its gap is touched or reconciled.
 * `coverage/open` indexes the gaps that may be open, so a full check can close what it no longer sees.
 */
import type { Outbox } from '../delivery/outbox.js';
import type { Clock, StateStore } from '../ports.js';
import type { AccountDirectory } from '../suppressions/match.js';
import type { Gap } from './check.js';
import { ACCOUNT_WIDE, coverageFinding, coverageFindingId, type CoverageGapRecord } from './coverage-finding.js';
import type { CoverageReporter, GapKind } from './reporter.js';

/** The state key of the index of possibly open gaps. */
export const OPEN_GAPS_KEY = 'coverage/open';

/** The state key of one gap. */
export function gapKey(kind: GapKind, account: string): string {
  return `coverage/${kind}/${account}`;
}

/** What a full check looked at: a kind, in some regions and accounts (undefined: all of them). */
export interface CheckedScope {
  readonly kind: GapKind;
  readonly regions?: readonly string[];
  readonly accounts?: readonly string[];
}

/** What a reconcile did. */
export interface ReconcileSummary {
  /** Finding Ids that got a new version (opened, changed or archived). */
  readonly changed: readonly string[];
  /** Gap keys open afterwards. */
  readonly open: readonly string[];
}

/** The tracker's wiring. */
export interface CoverageTrackerOptions {
  readonly state: StateStore;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly centralAccount: string;
  readonly homeRegion: string;
  /** Names member accounts in findings. */
  readonly directory?: AccountDirectory;
  /** Tries of a versioned write before giving up. @default 8 */
  readonly maxAttempts?: number;
  /**
   * A store that expires values some time after their last write (DynamoDB's TTL) would drop a gap
   * that stays open and unchanged; reconcile rewrites open gaps and the index at least this often.
   * @default never
   */
  readonly refreshAfterMs?: number;
}

/** Other writers kept changing a gap (or the index) through every attempt. */
export class CoverageContentionError extends Error {
  override readonly name = 'CoverageContentionError';
  constructor(readonly key: string, readonly attempts: number) {
    super(`${key} changed under every one of ${attempts} attempts to write it`);
  }
}

interface StoredGap extends CoverageGapRecord {
  /** The UpdatedAt of the last version put in the outbox. */
  readonly offeredAt?: string;
  /** When the value was last written, for refreshing. */
  readonly writtenAt?: string;
}

/** The index of gaps that may be open. */
interface OpenIndex {
  readonly keys: readonly string[];
  readonly writtenAt: string;
}

type Regions = Readonly<Record<string, string>>;

/** The coverage reporter over a StateStore and the outbox. */
export class CoverageTracker implements CoverageReporter {
  private readonly maxAttempts: number;

  constructor(private readonly options: CoverageTrackerOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Opens a gap in a region (undefined: the whole account); a region already open changes nothing. */
  async open(kind: GapKind, account: string, region: string | undefined, detail: string): Promise<void> {
    const key = region ?? ACCOUNT_WIDE;
    await this.change(kind, account, false, (regions) => (key in regions ? undefined : { ...regions, [key]: detail }));
  }

  /** Closes a gap in a region (undefined: everywhere); the finding is archived when none is left. */
  async close(kind: GapKind, account: string, region: string | undefined): Promise<void> {
    await this.change(kind, account, false, (regions) => {
      if (region === undefined) return Object.keys(regions).length > 0 ? {} : undefined;
      if (!(region in regions)) return undefined;
      const { [region]: _closed, ...rest } = regions;
      return rest;
    });
  }

  /**
   * Applies a full check: opens every observed gap, refreshes what was observed where it changed, and
   * closes every open region in the checked scope that the check no longer observed.
   */
  async reconcile(observed: readonly Gap[], scope: readonly CheckedScope[]): Promise<ReconcileSummary> {
    const seen = new Map<string, { kind: GapKind; account: string; regions: Record<string, string> }>();
    for (const gap of observed) {
      const key = gapKey(gap.kind, gap.account);
      const entry = seen.get(key) ?? { kind: gap.kind, account: gap.account, regions: {} };
      entry.regions[gap.region ?? ACCOUNT_WIDE] = gap.detail;
      seen.set(key, entry);
    }
    const indexed = (await this.options.state.get<OpenIndex>(OPEN_GAPS_KEY))?.value.keys ?? [];
    const keys = [...new Set([...indexed, ...seen.keys()])].sort();
    const changed: string[] = [];
    const open: string[] = [];
    for (const key of keys) {
      const { kind, account } = seen.get(key) ?? parseGapKey(key);
      const observedHere = seen.get(key)?.regions ?? {};
      const outcome = await this.change(kind, account, true, (regions) => {
        const next: Record<string, string> = {};
        for (const [region, detail] of Object.entries(regions)) if (!inScope(scope, kind, account, region)) next[region] = detail;
        Object.assign(next, observedHere);
        return sameRegions(regions, next) ? undefined : next;
      });
      if (outcome.changed) changed.push(coverageFindingId(kind, account));
      if (outcome.open) open.push(key);
    }
    // Heals an index that missed a gap (a close racing an open elsewhere) and drops stale entries.
    await this.updateIndex(open, keys.filter((k) => !open.includes(k)), true);
    return { changed, open };
  }

  /** A gap's stored state, if any. */
  async gap(kind: GapKind, account: string): Promise<CoverageGapRecord | undefined> {
    return (await this.options.state.get<StoredGap>(gapKey(kind, account)))?.value;
  }

  /**
   * Rewrites a gap's open regions with `next` (undefined: nothing to change), retrying on contention.
   * Unchanged, it offers a version a crash left unoffered, and with `refresh` rewrites an old value.
   */
  private async change(kind: GapKind, account: string, refresh: boolean, next: (regions: Regions) => Regions | undefined): Promise<{ changed: boolean; open: boolean }> {
    const key = gapKey(kind, account);
    const { state } = this.options;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const current = await state.get<StoredGap>(key);
      const regions = next(current?.value.regions ?? {});
      if (!regions) {
        const open = Object.keys(current?.value.regions ?? {}).length > 0;
        if (current && current.value.offeredAt !== current.value.updatedAt) await this.offer(key, current.value, current.version);
        else if (current && open && refresh && this.stale(current.value.writtenAt)) await state.put<StoredGap>(key, { ...current.value, writtenAt: this.now() }, current.version);
        return { changed: false, open };
      }
      const record = this.record(kind, account, current?.value, regions);
      const open = Object.keys(regions).length > 0;
      // Indexed before it is stored, so a crash leaves the index a superset of the open gaps.
      if (open) await this.updateIndex([key], []);
      if (!(await state.put<StoredGap>(key, record, current?.version))) continue;
      await this.offer(key, record, (current?.version ?? 0) + 1);
      if (!open) await this.updateIndex([], [key]);
      return { changed: true, open };
    }
    throw new CoverageContentionError(key, this.maxAttempts);
  }

  private record(kind: GapKind, account: string, current: StoredGap | undefined, regions: Regions): StoredGap {
    const previous = current ? Date.parse(current.updatedAt) : -Infinity;
    // Security Hub ignores a version whose UpdatedAt is not later than the one it has.
    const updatedAt = new Date(Math.max(this.options.clock.now().getTime(), previous + 1)).toISOString();
    const wasOpen = Object.keys(current?.regions ?? {}).length > 0;
    const isOpen = Object.keys(regions).length > 0;
    return {
      kind,
      account,
      regions,
      ...(!isOpen && { closedRegions: Object.keys(current?.regions ?? {}).sort() }),
      createdAt: current?.createdAt ?? updatedAt,
      openedAt: isOpen && !wasOpen ? updatedAt : (current?.openedAt ?? updatedAt),
      updatedAt,
      writtenAt: this.now(),
    };
  }

  private now(): string {
    return this.options.clock.now().toISOString();
  }

  private stale(writtenAt: string | undefined): boolean {
    const { refreshAfterMs } = this.options;
    return refreshAfterMs !== undefined && (!writtenAt || this.options.clock.now().getTime() - Date.parse(writtenAt) >= refreshAfterMs);
  }

  private finding(record: CoverageGapRecord) {
    const name = this.options.directory?.describe(record.account)?.name;
    return coverageFinding(record, { centralAccount: this.options.centralAccount, homeRegion: this.options.homeRegion, ...(name && { accountName: name }) });
  }

  /** Puts the record's finding in the outbox, then marks it offered (a lost race leaves that to the winner). */
  private async offer(key: string, record: StoredGap, version: number): Promise<void> {
    await this.options.outbox.put([this.finding(record)]);
    await this.options.state.put<StoredGap>(key, { ...record, offeredAt: record.updatedAt, writtenAt: this.now() }, version);
  }

  /** Adds and removes index entries; an entry is only removed while its gap is still closed. */
  private async updateIndex(add: readonly string[], remove: readonly string[], refresh = false): Promise<void> {
    const { state } = this.options;
    const stillOpen = new Set<string>();
    for (const key of remove) if (Object.keys((await state.get<StoredGap>(key))?.value.regions ?? {}).length > 0) stillOpen.add(key);
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const current = await state.get<OpenIndex>(OPEN_GAPS_KEY);
      const before = current?.value.keys ?? [];
      const keys = new Set(before);
      for (const key of add) keys.add(key);
      for (const key of remove) if (!stillOpen.has(key)) keys.delete(key);
      const next = [...keys].sort();
      const same = next.length === before.length && next.every((k, i) => k === before[i]);
      if (same && (!current || !refresh || !this.stale(current.value.writtenAt))) return;
      if (await state.put<OpenIndex>(OPEN_GAPS_KEY, { keys: next, writtenAt: this.now() }, current?.version)) return;
    }
    throw new CoverageContentionError(OPEN_GAPS_KEY, this.maxAttempts);
  }
}

function parseGapKey(key: string): { kind: GapKind; account: string } {
  const [, kind, account] = key.split('/');
  return { kind: kind as GapKind, account: account ?? '' };
}

function inScope(scope: readonly CheckedScope[], kind: GapKind, account: string, region: string): boolean {
  return scope.some((s) => s.kind === kind && (!s.regions || s.regions.includes(region)) && (!s.accounts || s.accounts.includes(account)));
}

function sameRegions(a: Regions, b: Regions): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && a[k] === b[k]);
}
