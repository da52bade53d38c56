/**
 * The finding ledger: what Skywatch remembers about each finding between events, so a recurring
 * finding keeps its CreatedAt, advances UpdatedAt, and counts each evidence event once.
 *
 * Counting once must survive a crash. A finding's evidence set is unbounded, so it cannot live in
 * the entry, and the entry, the finding in the sink and the evidence set are three writes. The entry
 * is therefore written ahead: one conditional put stores the new counts together with the ids they
 * counted (`uncommitted`), then the finding goes to the sink, then the ids join the evidence set.
 * After a crash anywhere in between, the redelivered events are still unseen in the evidence set but
 * listed in the entry, so they are not counted again: the stored entry is returned as it was, for the
 * caller to store its finding (again: the sink keeps one version per UpdatedAt) and commit.
 */
import { earlierTime, laterTime, compareTimes } from '../decode/event-time.js';
import type { Clock, StateStore } from '../ports.js';
import { higherSeverity, type SeverityLabel } from '../rules/schema.js';

/** How many evidence event ids a finding keeps for display; the evidence set itself is unbounded. */
const RECENT_EVENT_IDS = 100;
/**
 * The most evidence one ledger update counts, so the ids written ahead stay small (DynamoDB items
 * hold 400 KB); the detector splits larger groups into several updates.
 */
export const MAX_EVIDENCE_PER_UPDATE = 1_000;
const MAX_ATTEMPTS = 8;

/** A finding's history. */
export interface LedgerEntry {
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly firstObservedAt: string;
  readonly lastObservedAt: string;
  readonly eventCount: number;
  /** Newest first. */
  readonly recentEventIds: readonly string[];
  /** The highest severity seen: a finding does not calm down because a later event was milder. */
  readonly severity: SeverityLabel;
  /** Evidence this entry counted that may not be in the evidence set yet (written ahead; see above). */
  readonly uncommitted?: readonly string[];
}

/** One piece of evidence. */
export interface Evidence {
  readonly id: string;
  readonly time: string;
}

/** What `record` did: the entry to build the finding from, and the evidence to commit once it is stored. */
export interface Recorded {
  readonly entry: LedgerEntry;
  readonly fresh: string[];
}

/** Thrown when concurrent writers keep winning the race for one finding. */
export class LedgerContentionError extends Error {
  override readonly name = 'LedgerContentionError';
  constructor(readonly findingId: string) {
    super(`could not update finding ${findingId} after ${MAX_ATTEMPTS} attempts`);
  }
}

/** Records evidence for findings in a StateStore. */
export class FindingLedger {
  constructor(private readonly store: StateStore, private readonly clock: Clock) {}

  /**
   * Adds evidence (at most MAX_EVIDENCE_PER_UPDATE items) to a finding. Returns the entry and the
   * evidence ids to commit, or undefined when every event was already counted and committed (a
   * replay or a redelivery). Call `commit` once the finding is stored.
   */
  async record(findingId: string, evidence: readonly Evidence[], severity: SeverityLabel): Promise<Recorded | undefined> {
    const distinct = [...new Map(evidence.map((e) => [e.id, e])).values()];
    if (distinct.length > MAX_EVIDENCE_PER_UPDATE) throw new RangeError(`at most ${MAX_EVIDENCE_PER_UPDATE} pieces of evidence per ledger update, got ${distinct.length}`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.store.get<LedgerEntry>(entryKey(findingId));
      const aheadIds = current?.value.uncommitted ?? [];
      // One read answers both: which events are new, and which ids written ahead never got committed.
      const unseen = new Set(await this.store.unseen(evidenceKey(findingId), [...distinct.map((e) => e.id), ...aheadIds]));
      const fresh = distinct.filter((e) => unseen.has(e.id));
      if (fresh.length === 0) return undefined;
      const freshIds = fresh.map((e) => e.id);
      // Ids written ahead by an update whose events never came back (dead-lettered) stay listed, within bounds.
      const stillAhead = aheadIds.filter((id) => unseen.has(id)).slice(-MAX_EVIDENCE_PER_UPDATE);
      const counted = new Set(stillAhead);
      const uncounted = fresh.filter((e) => !counted.has(e.id));
      // Every fresh event was counted before a crash: the entry already says what the finding is.
      if (uncounted.length === 0) return { entry: current!.value, fresh: freshIds };
      const entry: LedgerEntry = { ...next(current?.value, uncounted, severity, this.clock.now()), uncommitted: [...new Set([...stillAhead, ...freshIds])] };
      if (await this.store.put(entryKey(findingId), entry, current?.version)) return { entry, fresh: freshIds };
    }
    throw new LedgerContentionError(findingId);
  }

  /** Marks evidence as counted; done after the finding is stored so a crash in between loses nothing. */
  async commit(findingId: string, fresh: readonly string[]): Promise<void> {
    await this.store.remember(evidenceKey(findingId), fresh);
  }
}

function next(prev: LedgerEntry | undefined, fresh: readonly Evidence[], severity: SeverityLabel, now: Date): Omit<LedgerEntry, 'uncommitted'> {
  const times = fresh.map((e) => e.time).sort(compareTimes);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const ids = fresh.map((e) => e.id).reverse();
  if (!prev) {
    const at = now.toISOString();
    return { createdAt: at, updatedAt: at, firstObservedAt: first, lastObservedAt: last, eventCount: fresh.length, recentEventIds: ids.slice(0, RECENT_EVENT_IDS), severity };
  }
  // Security Hub ignores an update whose UpdatedAt is not later than the stored one.
  const updatedAt = new Date(Math.max(now.getTime(), Date.parse(prev.updatedAt) + 1)).toISOString();
  return {
    createdAt: prev.createdAt,
    updatedAt,
    firstObservedAt: earlierTime(prev.firstObservedAt, first),
    lastObservedAt: laterTime(prev.lastObservedAt, last),
    eventCount: prev.eventCount + fresh.length,
    recentEventIds: [...ids, ...prev.recentEventIds].slice(0, RECENT_EVENT_IDS),
    severity: higherSeverity(prev.severity, severity),
  };
}

const entryKey = (id: string) => `finding#${id}`;
const evidenceKey = (id: string) => `evidence#${id}`;
