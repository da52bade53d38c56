/**
 * The finding ledger: what Skywatch remembers about each finding between events, so a recurring
 * finding keeps its CreatedAt, advances UpdatedAt, and counts each evidence event once.
 */
import type { Clock, StateStore } from '../ports.js';
import { higherSeverity, type SeverityLabel } from '../rules/schema.js';

/** How many evidence event ids a finding keeps for display; the evidence set itself is unbounded. */
const RECENT_EVENT_IDS = 100;
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
}

/** One piece of evidence. */
export interface Evidence {
  readonly id: string;
  readonly time: string;
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
   * Adds evidence to a finding. Returns the updated entry and the new evidence ids, or undefined when
   * every event was already counted (a replay or a redelivery). Call `commit` once the finding is stored.
   */
  async record(findingId: string, evidence: readonly Evidence[], severity: SeverityLabel): Promise<{ entry: LedgerEntry; fresh: string[] } | undefined> {
    const fresh = await this.store.unseen(evidenceKey(findingId), evidence.map((e) => e.id));
    if (fresh.length === 0) return undefined;
    const freshSet = new Set(fresh);
    const times = evidence.filter((e) => freshSet.has(e.id)).map((e) => e.time).sort();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.store.get<LedgerEntry>(entryKey(findingId));
      const entry = next(current?.value, fresh, times, severity, this.clock.now());
      if (await this.store.put(entryKey(findingId), entry, current?.version)) return { entry, fresh };
    }
    throw new LedgerContentionError(findingId);
  }

  /** Marks evidence as counted; done after the finding is stored so a crash in between loses nothing. */
  async commit(findingId: string, fresh: readonly string[]): Promise<void> {
    await this.store.remember(evidenceKey(findingId), fresh);
  }
}

function next(prev: LedgerEntry | undefined, fresh: string[], times: string[], severity: SeverityLabel, now: Date): LedgerEntry {
  const first = times[0]!;
  const last = times[times.length - 1]!;
  if (!prev) {
    const at = now.toISOString();
    return { createdAt: at, updatedAt: at, firstObservedAt: first, lastObservedAt: last, eventCount: fresh.length, recentEventIds: fresh.slice().reverse().slice(0, RECENT_EVENT_IDS), severity };
  }
  // Security Hub ignores an update whose UpdatedAt is not later than the stored one.
  const updatedAt = new Date(Math.max(now.getTime(), Date.parse(prev.updatedAt) + 1)).toISOString();
  return {
    createdAt: prev.createdAt,
    updatedAt,
    firstObservedAt: first < prev.firstObservedAt ? first : prev.firstObservedAt,
    lastObservedAt: last > prev.lastObservedAt ? last : prev.lastObservedAt,
    eventCount: prev.eventCount + fresh.length,
    recentEventIds: [...fresh.slice().reverse(), ...prev.recentEventIds].slice(0, RECENT_EVENT_IDS),
    severity: higherSeverity(prev.severity, severity),
  };
}

const entryKey = (id: string) => `finding#${id}`;
const evidenceKey = (id: string) => `evidence#${id}`;
