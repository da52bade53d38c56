/**
 * Statistics Lambda, every 15 minutes: runs each statistics detector's aggregation SQL in Athena over
 * the windows closed since its last run, for the organization's active member accounts (the
 * directory snapshot onboarding saved), and puts the findings into the outbox, from which the
 * publisher imports them into each member's Security Hub. See docs/statistics-aws.md.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import { readDirectorySnapshot } from '../../core/directory/stored-directory.js';
import { systemClock, type Clock } from '../../core/ports.js';
import { ATHENA_DIALECT } from '../../core/statistics/aggregation-sql.js';
import { runScheduledStatistics, type ScheduledStatisticsOptions, type ScheduledStatisticsResult } from '../../core/statistics/scheduled-run.js';
import { AthenaQueryEngine, type Sleep } from '../adapters/athena-query-engine.js';
import { DynamoOutbox } from '../adapters/dynamodb-outbox.js';
import { DynamoStateStore } from '../adapters/dynamodb-state-store.js';
import { listWebAcls } from '../adapters/s3-web-acl-lister.js';
import { dynamoClient, s3Client } from '../clients.js';
import { builtOnce } from '../lambda/built-once.js';
import { requireEnv, retentionDaysFromEnv } from '../lambda/environment.js';
import { log } from '../lambda/log.js';
import { loadBundledStatistics } from '../statistics/bundled-rules.js';

/** What every run shares: everything of a run's options but its accounts, web ACLs and times. */
export type StatisticsDeps = Omit<ScheduledStatisticsOptions, 'accounts' | 'now' | 'deadline' | 'webAcls'> & {
  /** The web ACLs delivering logs for the accounts (Athena needs them named); absent: none named. */
  readonly listWebAcls?: (accounts: readonly string[]) => Promise<string[]>;
};

/** The part of the Lambda context a run reads: the time left, so no query outlives the function. */
export interface StatisticsContext {
  getRemainingTimeInMillis(): number;
}

/** The longest one detector's query may run. */
const QUERY_TIMEOUT_MS = 4 * 60_000;
/** Time kept at the end of an invocation for the last puts and logs. */
const SAFETY_MS = 30_000;

/** A statistics handler over its deps, or a factory run on the first invocation (and again after it fails). */
export function statisticsHandler(deps: StatisticsDeps | (() => Promise<StatisticsDeps>)) {
  const get = builtOnce(deps);
  return async (_event?: unknown, context?: StatisticsContext): Promise<ScheduledStatisticsResult> => {
    const d = await get();
    const now = d.clock.now();
    const snapshot = await readDirectorySnapshot(d.state);
    const accounts = (snapshot?.accounts ?? []).filter((a) => a.state === 'ACTIVE').map((a) => a.id);
    if (!snapshot) log.warn('no directory snapshot', { reason: 'onboarding has not saved the member accounts yet' });
    const deadline = context && new Date(now.getTime() + context.getRemainingTimeInMillis() - SAFETY_MS);
    const webAcls = d.listWebAcls && accounts.length ? await d.listWebAcls(accounts) : undefined;
    const result = await runScheduledStatistics({ ...d, accounts, now, ...(webAcls && { webAcls }), ...(deadline && { deadline }) });
    for (const report of result.perDetector) {
      if (report.outcome === 'failed') log.count('error', 'statistics run', 'StatisticsDetectorFailed', { Detector: report.detector }, { ...report, accounts: accounts.length });
      else log.info('statistics run', { ...report, accounts: accounts.length });
    }
    return result;
  };
}

/** SDK clients and waits the run uses; tests pass their own. */
export interface StatisticsClients {
  readonly athena: AthenaClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly sleep: Sleep;
}

/** Builds the deps from the environment (stacks/central/statistics.ts sets it) and the bundled rules. */
export async function statisticsDepsFromEnv(options: { readonly clients?: Partial<StatisticsClients>; readonly clock?: Clock } = {}): Promise<StatisticsDeps> {
  const table = requireEnv('STATE_TABLE');
  const workGroup = requireEnv('ATHENA_WORKGROUP');
  const database = requireEnv('GLUE_DATABASE');
  const cutoff = process.env.ATHENA_BYTES_CUTOFF ? Number(process.env.ATHENA_BYTES_CUTOFF) : undefined;
  if (cutoff !== undefined && !(cutoff > 0)) throw new Error('ATHENA_BYTES_CUTOFF must be a positive number of bytes');
  const clock = options.clock ?? systemClock;
  const rules = loadBundledStatistics(resolve(process.env.RULES_DIR ?? 'rules'), clock.now());
  const dynamodb = options.clients?.dynamodb ?? dynamoClient();
  const athena = options.clients?.athena ?? new AthenaClient({});
  const sleep = options.clients?.sleep;
  const archive = process.env.LOG_ARCHIVE_BUCKET;
  const folders = archive && { client: options.clients?.s3 ?? s3Client(), bucket: archive, prefix: process.env.WAF_PREFIX ?? '', regions: requireEnv('MEMBER_REGIONS').split(',').filter(Boolean) };
  const query = new AthenaQueryEngine({ client: athena, workGroup, database, clock, ...(cutoff !== undefined && { bytesScannedCutoff: cutoff }), ...(sleep && { sleep }) });
  log.info('statistics ready', { detectors: rules.detectors.length, iocLists: rules.lists, asnListsUnmatched: rules.asnLists, workGroup, database });
  return {
    detectors: rules.detectors,
    query,
    dialect: ATHENA_DIALECT,
    state: new DynamoStateStore({ client: dynamodb, table, clock, retentionDays: retentionDaysFromEnv() }),
    sink: new DynamoOutbox({ client: dynamodb, table }),
    clock,
    intel: rules.intel,
    queryTimeoutMs: QUERY_TIMEOUT_MS,
    ...(folders && { listWebAcls: (accounts: readonly string[]) => listWebAcls(folders, accounts) }),
  };
}

/** The Lambda entry point; the deps are built on the first invocation and reused. */
export const handler = statisticsHandler(() => statisticsDepsFromEnv());
