/**
 * Replays local log files through the detection core into the embedded store: the laptop
 * equivalent of the central detector, used by `skywatch replay` and `skywatch demo`.
 */
import { join } from 'node:path';
import type { InputProblem } from '../core/decode/input-problem.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../core/decode/limits.js';
import { Detector } from '../core/detector.js';
import type { CompiledCorrelation } from '../core/correlation/compile.js';
import { EngineCorrelator } from '../core/correlation/correlator.js';
import type { HomePlace } from '../core/correlation/finding.js';
import { isSignal } from '../core/delivery/signals.js';
import type { AsffFinding } from '../core/findings/asff.js';
import { systemClock, type Clock } from '../core/ports.js';
import { RuleEngine, type RuleFailure } from '../core/rules/engine.js';
import type { RuleSource } from '../core/rules/load.js';
import type { CompiledRule } from '../core/rules/rule.js';
import type { AccountDirectory, CompiledSuppression } from '../core/suppressions/match.js';
import type { IocMatcher } from '../core/ioc/matcher.js';
import type { AsnLookup } from '../core/ioc/asn-ranges.js';
import type { NetworkLayout } from '../core/netlogs/log-layout.js';
import { NetworkLogDetector, type NetworkLogSummary } from '../core/netlogs/network-log-detector.js';
import type { StatisticsDetector } from '../core/statistics/definition.js';
import { inDeliveryOrder } from './delivery-order.js';
import { listInputs, type InputFile } from './files.js';
import { networkLayoutOf, readNetworkFile, type NetworkFileRead } from './network-files.js';
import { interleaveStreams, NetworkPool, streamOfLayout, type NetworkCounted } from './network-pool.js';
import type { IocPoolLists } from './statistics-files.js';
import { LocalFindingSink, type PutCounts } from './finding-sinks.js';
import { matchFile, relinkHits, type FileMatch } from './match-file.js';
import { defaultPoolSize, MatchPool } from './match-pool.js';
import { SqliteStore } from './sqlite-store.js';
import { organizationIn } from './suppression-files.js';

/** Where the embedded state lives inside a state folder. */
export function statePaths(stateDir: string) {
  return { database: join(stateDir, 'skywatch.db'), findingLog: join(stateDir, 'findings.jsonl') };
}

/** Progress after each file. */
export interface ReplayProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly events: number;
  readonly findings: number;
}

/** What to replay and where. */
export interface ReplayOptions {
  readonly paths: readonly string[];
  readonly stateDir: string;
  readonly rules: readonly CompiledRule[];
  /** The sources of `rules`, so worker threads can compile the same set; without them matching stays inline. */
  readonly ruleSources?: readonly RuleSource[];
  /**
   * Worker threads for decoding and matching CloudTrail (with `ruleSources`) and for counting network
   * logs; 0 does everything inline. Default: inline for small inputs, else one per core.
   */
  readonly threads?: number;
  /** A pool the caller started (and closes) instead of one started for this replay; it applies its own limits. */
  readonly pool?: MatchPool;
  /** Limits on each input (file size, decompressed text); the rest stay at `DEFAULT_INPUT_LIMITS`. */
  readonly limits?: Partial<InputLimits>;
  readonly clock?: Clock;
  /** Accepted activity: matching findings are recorded as suppressed. */
  readonly suppressions?: readonly CompiledSuppression[];
  /** Account OUs and tags for scoped suppressions; default: `organization.yaml` in the state folder. */
  readonly directory?: AccountDirectory;
  readonly onProgress?: (p: ReplayProgress) => void;
  /** Correlation rules, run over the replayed findings and signals once, at the end, in event time order. */
  readonly correlations?: readonly CompiledCorrelation[];
  /**
   * Where correlation findings are filed (the central security account and home region in AWS).
   * Default: `securityAccount` and `homeRegion` of the organization file, else `LOCAL_HOME`.
   */
  readonly home?: HomePlace;
  /** Statistics detectors over the VPC Flow Logs and WAF logs among the inputs. */
  readonly statistics?: readonly StatisticsDetector[];
  /** IOC lists matched on every flow and WAF record and on CloudTrail source addresses and user agents. */
  readonly ioc?: IocMatcher;
  /** The same lists as texts, for worker threads to compile (required with `ioc` when threads run). */
  readonly iocLists?: IocPoolLists;
  /** The ASN data, for behaviour rules over the source address's network (see behaviour-asn.ts); without it they learn nothing. */
  readonly asn?: AsnLookup;
}

/** Where a replay files correlation findings when nothing says which account is the security account. */
export const LOCAL_HOME: HomePlace = { account: '000000000000', region: 'us-east-1' };

/** What a replay did. */
export interface ReplayReport {
  readonly files: number;
  readonly events: number;
  /** Inputs deliberately skipped (links inside folders, digest and Insights files), with the reason. */
  readonly skipped: ReadonlyArray<{ readonly input: string; readonly reason: string }>;
  /** Inputs or records that could not be used, and notices such as empty files. */
  readonly problems: readonly InputProblem[];
  readonly ruleFailures: readonly RuleFailure[];
  /** The current version of every finding this replay created or updated. */
  readonly findings: readonly AsffFinding[];
  /** What the store did with the finding versions it was given. */
  readonly stored: PutCounts;
  /** GuardDuty findings and Config compliance changes read, and how many of them were new to the state. */
  readonly signals: { readonly read: number; readonly kept: number };
  /** Observations correlated at the end, and the time that took. */
  readonly correlation: { readonly observations: number; readonly seconds: number };
  /** VPC Flow Logs and WAF logs read, and what the statistics and IOC lists made of them. */
  readonly network: NetworkLogSummary & { readonly files: number; readonly seconds: number };
}

/** Why a network log is skipped when nothing reads network logs. */
export const NO_NETWORK_DETECTORS = 'a VPC Flow Logs or WAF log file, and no statistics detectors or IOC lists are loaded';

/** Below this, starting worker threads costs more than it saves. */
const INLINE_BELOW_BYTES = 4 * 1024 * 1024;

/**
 * Reads every file below the paths, detects, and stores findings. Bad inputs are reported, not fatal:
 * whatever goes wrong with one file, on this thread or a worker, is a problem naming that file.
 */
export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const listing = await listInputs(options.paths);
  const split = await splitNetworkLogs(listing.files);
  const network = split.network;
  // Trail files in the order CloudTrail delivered them, across accounts and regions (delivery-order.ts).
  const files = inDeliveryOrder(split.files);
  const problems: InputProblem[] = listing.problems.map((p) => ({ ...p, level: 'error' as const }));
  const skipped: Array<{ input: string; reason: string }> = [...listing.skipped];
  const ruleFailures: RuleFailure[] = [];
  const touched = new Set<string>();
  const paths = statePaths(options.stateDir);
  const store = new SqliteStore(paths.database);
  const sink = new LocalFindingSink(store, paths.findingLog);
  const engine = new RuleEngine(options.rules);
  const rulesById = new Map(options.rules.map((r) => [r.id, r]));
  const organization = options.directory ? undefined : organizationIn(options.stateDir);
  const directory = options.directory ?? organization;
  const correlator = options.correlations?.length
    ? new EngineCorrelator({ rules: options.correlations, state: store, home: options.home ?? organization?.home ?? LOCAL_HOME, directory })
    : undefined;
  const detector = new Detector({
    engine,
    state: store,
    sink,
    clock: options.clock ?? systemClock,
    suppressions: options.suppressions,
    directory,
    ...(correlator && { correlator, deferCorrelation: true }),
    ...(options.asn && { asn: options.asn }),
    // Files come account by account and region by region, not in time order: provisioning volume
    // is judged once every file is counted, so the result does not depend on the order.
    deferVolume: true,
  });
  const signals = { read: 0, kept: 0 };
  const bytesTotal = [...files, ...network.map((n) => n.file)].reduce((n, f) => n + f.size, 0);
  const filesTotal = files.length + network.length;
  const wanted = options.pool ? options.pool.size : (options.threads ?? (bytesTotal < INLINE_BELOW_BYTES ? 0 : defaultPoolSize()));
  const threads = options.pool || options.ruleSources ? wanted : 0;
  const limits: InputLimits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
  if (options.ioc && threads > 0 && !options.iocLists) throw new Error('replay: IOC lists must also be given as texts (iocLists) when matching on worker threads');
  const ownPool = !options.pool && threads > 0 ? new MatchPool(options.ruleSources!, threads, { limits, ...(options.iocLists && { ioc: options.iocLists }) }) : undefined;
  const pool = options.pool ?? ownPool;
  const matchOne = pool ? (path: string) => pool.match(path) : (path: string) => matchFile(path, engine, limits, options.ioc);
  const reads = options.statistics?.length || options.ioc ? new NetworkLogDetector({ detectors: options.statistics ?? [], state: store, clock: options.clock ?? systemClock, ...(options.ioc && { ioc: options.ioc }) }) : undefined;
  const match = (path: string) => matchOne(path).catch((err: unknown) => unprocessed(path, err));
  let bytesDone = 0;
  let events = 0;
  let networkPool: NetworkPool | undefined;
  try {
    for await (const [i, result] of inOrder(files.map((f) => f.path), match, Math.max(1, threads * 4))) {
      if (result.skipped) skipped.push({ input: result.input, reason: result.skipped });
      problems.push(...result.problems);
      ruleFailures.push(...result.failures);
      events += result.events;
      for (const f of await detector.record(relinkHits(result.hits, rulesById))) touched.add(f.Id);
      for (const s of result.iocSightings ?? []) reads?.addSighting(s.hits, s.sighting);
      const unmatched = result.unmatched ?? [];
      if (unmatched.length) {
        for (const f of (await detector.recordUnmatched(unmatched)).findings) touched.add(f.Id);
        const kept = unmatched.filter(isSignal);
        signals.read += kept.length;
        signals.kept += store.putSignals(kept);
      }
      bytesDone += files[i]!.size;
      options.onProgress?.({ filesDone: i + 1, filesTotal, bytesDone, bytesTotal, events, findings: touched.size });
    }
    // Network logs after the trail, in path order: the S3 layout sorts each account's and region's
    // files by time, which is the order their windows close in. On worker threads each stream is
    // counted by one worker, in that order; the windows are judged here, file by file.
    const networkStarted = performance.now();
    // Threads need every file's stream from its path (a loose file's records name theirs) and the
    // IOC lists as texts to compile; otherwise the network logs are counted here.
    const countable = reads && wanted > 0 && (!options.ioc || options.iocLists) && network.length > 0 && network.every(({ layout }) => layout.account && layout.region);
    const counting = countable ? new NetworkPool(options.statistics ?? [], wanted, { limits, ...(options.iocLists && { ioc: options.iocLists }) }) : undefined;
    networkPool = counting;
    const readOne = async ({ file, layout }: { file: InputFile; layout: NetworkLayout }): Promise<NetworkCounted | NetworkFileRead> =>
      counting ? counting.read(file.path, layout).catch((err: unknown) => uncounted(file.path, err)) : readNetworkFile(file.path, layout, limits);
    // On threads the streams take turns, so the files in flight keep every worker busy.
    const order = counting ? interleaveStreams(network, ({ layout }) => streamOfLayout(layout)) : network;
    for await (const [i, read] of inOrder(reads ? order : [], readOne, counting ? wanted * 4 : 1)) {
      problems.push(...read.problems);
      if ('closed' in read) await reads!.addCounted(read);
      else await reads!.add(read.records);
      const changed = reads!.take();
      if (changed.length) {
        await sink.put(changed);
        for (const f of changed) touched.add(f.Id);
      }
      bytesDone += order[i]!.file.size;
      options.onProgress?.({ filesDone: files.length + i + 1, filesTotal, bytesDone, bytesTotal, events, findings: touched.size });
    }
    if (!reads) {
      for (const { file } of network) skipped.push({ input: file.path, reason: NO_NETWORK_DETECTORS });
      bytesDone += network.reduce((n, { file }) => n + file.size, 0);
      if (network.length) options.onProgress?.({ filesDone: filesTotal, filesTotal, bytesDone, bytesTotal, events, findings: touched.size });
    }
    if (reads) {
      if (counting) {
        const ends = await counting.flush().catch((err: unknown) => [uncounted('the end of the network logs', err)]);
        for (const end of ends) {
          problems.push(...end.problems);
          await reads.addCounted(end);
        }
      }
      const last = await reads.finish();
      if (last.length) {
        await sink.put(last);
        for (const f of last) touched.add(f.Id);
      }
    }
    const networkReport = { files: network.length, seconds: (performance.now() - networkStarted) / 1000, ...(reads?.summary ?? { records: 0, windows: 0, late: 0, anomalies: 0, iocFindings: 0 }) };
    for (const f of await detector.flushVolume()) touched.add(f.Id);
    const observations = detector.pendingObservations;
    const correlationStarted = performance.now();
    for (const f of await detector.flushCorrelation()) touched.add(f.Id);
    const correlation = { observations, seconds: (performance.now() - correlationStarted) / 1000 };
    const findings = touched.size ? store.listFindings({ ids: [...touched] }) : [];
    return { files: filesTotal, events, skipped, problems, ruleFailures, findings, stored: { ...sink.counts }, signals, correlation, network: networkReport };
  } finally {
    await ownPool?.close();
    await networkPool?.close();
    store.close();
  }
}

/** A network file (or the end of the input) a worker could not count: a problem naming it, and nothing counted. */
function uncounted(input: string, err: unknown): NetworkCounted {
  const reason = `could not be processed (${err instanceof Error ? err.message : String(err)})`;
  return { records: 0, problems: [{ input, reason, level: 'error' }], closed: [], sightings: [] };
}

/** Separates the network logs (by layout, else by first line) from the trail and other inputs. */
async function splitNetworkLogs(all: readonly InputFile[]): Promise<{ files: InputFile[]; network: Array<{ file: InputFile; layout: NetworkLayout }> }> {
  const files: InputFile[] = [];
  const network: Array<{ file: InputFile; layout: NetworkLayout }> = [];
  for (const file of all) {
    const layout = await networkLayoutOf(file.path);
    if (layout) network.push({ file, layout });
    else files.push(file);
  }
  return { files, network };
}

/** A file whose reading, decoding or matching threw: reported by name, with what was thrown. */
function unprocessed(path: string, err: unknown): FileMatch {
  const reason = `could not be processed (${err instanceof Error ? err.message : String(err)})`;
  return { input: path, events: 0, problems: [{ input: path, reason, level: 'error' }], hits: [], failures: [] };
}

/** Runs `work` over the items with up to `window` in flight, yielding results in item order. */
async function* inOrder<T, R>(items: readonly T[], work: (item: T) => Promise<R>, window: number): AsyncGenerator<[number, R]> {
  const inflight: Array<Promise<R>> = [];
  let next = 0;
  const fill = () => {
    while (inflight.length < window && next < items.length) inflight.push(work(items[next++]!));
  };
  fill();
  for (let i = 0; i < items.length; i++) {
    const result = await inflight.shift()!;
    fill();
    yield [i, result];
  }
}
