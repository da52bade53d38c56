/**
 * IOC findings whose counts live in the state store, for the detector function: each invocation
 * sees one batch of events, so the tally of a finding (how many records hit, the first and the
 * latest) is read, added to and written back, with the store's version check so two invocations
 * adding to one finding at once both count. The events were deduplicated before (a call the
 * real-time path and the trail both deliver is counted once).
 */
import type { AsffFinding } from '../findings/asff.js';
import { laterUpdatedAt } from '../findings/updated-at.js';
import type { Clock, StateStore } from '../ports.js';
import { IocFindingCollector, iocFinding, mergeTallies, type IocTally } from './hit-findings.js';
import type { IocSightingData } from './record-sightings.js';

/** Writers racing on one finding retry this often before the batch fails (and is retried whole). */
const MAX_ATTEMPTS = 8;

/** A tally as stored: with the UpdatedAt of the finding version last written from it. */
type StoredTally = IocTally & { readonly updatedAt?: string };

/** The state key of a finding's tally. */
export const iocTallyKey = (findingId: string): string => `ioc/${findingId}`;

/** Adds sightings to the stored tallies and returns the findings they changed. */
export class StoredIocTallies {
  constructor(private readonly state: StateStore, private readonly clock: Clock) {}

  async record(sightings: readonly IocSightingData[]): Promise<AsffFinding[]> {
    if (sightings.length === 0) return [];
    // The batch's own hits first, so a finding hit a thousand times in a batch is one write.
    const batch = new IocFindingCollector();
    for (const s of sightings) batch.add(s.hits, s.sighting);
    const now = this.clock.now();
    const out: AsffFinding[] = [];
    for (const [id, tally] of batch.takeTallies()) out.push(await this.add(id, tally, now));
    return out;
  }

  /** Adds a batch's tally to the stored one; the finding of the sum, later than the last version written. */
  private async add(id: string, tally: IocTally, now: Date): Promise<AsffFinding> {
    const key = iocTallyKey(id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.state.get<StoredTally>(key);
      const merged = stored ? mergeTallies(stored.value, tally) : tally;
      const finding = iocFinding(id, merged, laterUpdatedAt(now, stored?.value.updatedAt));
      if (await this.state.put<StoredTally>(key, { ...merged, updatedAt: finding.UpdatedAt }, stored?.version)) return finding;
    }
    throw new Error(`IOC finding ${id}: its tally changed under ${MAX_ATTEMPTS} writes in a row; the batch is retried`);
  }
}
