/**
 * `skywatch demo`'s data: a synthetic organization's trail on disk, benign traffic with planted
 * attacks mixed in by time. Deterministic: the same options write byte-identical files.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { plantAttacks, type PlantedScenario } from './attacks.js';
import { benignRecords } from './benign.js';
import { generateNetworkLogs, type NetworkLogSummary } from './network/index.js';
import { buildOrganization, type DemoAccount, type DemoOrganization } from './organization.js';
import { createRandom } from './random.js';
import type { DemoRegion } from './regions.js';
import { listFiles, removeStale } from './tree.js';
import { TrailWriter } from './write.js';

/** What to generate. */
export interface DemoOptions {
  /** The folder that will hold `AWSLogs/` (which is removed and rewritten). */
  readonly outDir: string;
  /** @default 7 */
  readonly seed?: number;
  /** @default 2026-11-09T00:00:00Z (a Monday) */
  readonly start?: Date;
  /** @default 7 */
  readonly days?: number;
  /** @default 210_000 */
  readonly benignEvents?: number;
  /** Plant the intrusions; without them the trail is benign traffic only (the same traffic). @default true */
  readonly attacks?: boolean;
  /**
   * Also write VPC Flow Logs and WAF logs: the same days of benign traffic plus an attack day after
   * them, for the statistics detectors and IOC lists. @default true
   */
  readonly network?: boolean;
  /** Multiplies the network logs' benign traffic (tests use less). @default 1 */
  readonly networkScale?: number;
}

/** What was generated. */
export interface DemoSummary {
  readonly orgId: string;
  readonly accounts: readonly DemoAccount[];
  readonly regions: readonly DemoRegion[];
  /** The folder holding `AWSLogs/`. */
  readonly root: string;
  /** Log files written (digests not included). */
  readonly files: number;
  readonly digestFiles: number;
  /** Records written: benign plus planted. */
  readonly events: number;
  readonly benignEvents: number;
  readonly planted: readonly PlantedScenario[];
  readonly organization: DemoOrganization;
  /** The network logs written, when they were. */
  readonly network?: NetworkLogSummary;
}

/** Generates the demo organization's trail under `outDir/AWSLogs`. */
export async function generateDemoOrganization(options: DemoOptions): Promise<DemoSummary> {
  const { outDir, seed = 7, start = new Date('2026-11-09T00:00:00Z'), days = 7, benignEvents = 210_000 } = options;
  const rng = createRandom(seed);
  const org = buildOrganization(rng);
  // Planted either way, so the benign traffic drawn after them is the same with or without them.
  const planted = plantAttacks(org, rng, start, days);
  const attacks = options.attacks === false ? { records: [], scenarios: [] } : planted;
  // Reruns must leave exactly this run's files. Files are overwritten in place and stale ones removed
  // afterwards, rather than deleting the tree first (see tree.ts for why).
  const logs = join(outDir, 'AWSLogs');
  const before = await listFiles(logs);
  await mkdir(outDir, { recursive: true });
  const writer = new TrailWriter({ root: outDir, orgId: org.id, trail: org.trail, rng: rng.fork('delivery'), start: start.getTime(), level: 1 });
  const attackRecords = attacks.records;
  let next = 0;
  let written;
  try {
    for (const record of benignRecords(org, rng, benignEvents, start, days)) {
      while (next < attackRecords.length && (attackRecords[next]!.eventTime as string) <= (record.eventTime as string)) await writer.add(attackRecords[next++]!);
      const pressure = writer.add(record);
      if (pressure) await pressure;
    }
    while (next < attackRecords.length) await writer.add(attackRecords[next++]!);
    written = await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  // Drawn from a stream of its own, so the trail is the same with or without network logs.
  const network =
    options.network === false
      ? undefined
      : await generateNetworkLogs(org, rng.fork('network'), { root: outDir, start, days, attacks: options.attacks !== false, scale: options.networkScale ?? 1 });
  await removeStale(logs, before, new Set([...written.paths, ...(network?.paths ?? [])]));
  return {
    orgId: org.id,
    accounts: org.accounts,
    regions: org.regions,
    root: outDir,
    files: written.files,
    digestFiles: written.digestFiles,
    events: written.events,
    benignEvents,
    planted: attacks.scenarios,
    organization: org,
    ...(network && { network }),
  };
}
