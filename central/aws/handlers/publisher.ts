/**
 * Publisher Lambda: drains the outbox into Security Hub in each finding's account and region (through
 * its FindingWriter role) and archives what was accepted as OCSF. The state table's stream only wakes
 * it and the schedule retries what was held back: either way it drains the whole outbox.
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { CoverageTracker } from '../../core/coverage/tracker.js';
import { publishOutbox, type PublishDeps, type PublishResult } from '../../core/delivery/publisher.js';
import { SECURITY_HUB_IMPORT_RATE, TokenBuckets } from '../../core/delivery/token-bucket.js';
import { systemClock } from '../../core/ports.js';
import { AssumedCredentials } from '../adapters/assumed-credentials.js';
import { DynamoOutbox } from '../adapters/dynamodb-outbox.js';
import { DynamoStateStore } from '../adapters/dynamodb-state-store.js';
import { S3FindingArchive } from '../adapters/s3-ocsf-archive.js';
import { SecurityHubImporter } from '../adapters/security-hub-importer.js';
import { dynamoClient, s3Client } from '../clients.js';
import { requireEnv, retentionDaysFromEnv } from '../lambda/environment.js';
import { log } from '../lambda/log.js';
import { builtOnce } from '../lambda/built-once.js';

/** Everything a run needs but its deadline, built once per container. */
export type PublisherRuntime = Omit<PublishDeps, 'deadline'>;

/** The part of the Lambda context the handler reads. */
export type PublisherContext = Pick<Context, 'getRemainingTimeInMillis' | 'invokedFunctionArn'>;

/** No request starts in the last 30 s before the timeout, so a run ends with its writes done. */
export const DEADLINE_MARGIN_MS = 30_000;

/** A publisher handler over a runtime, or a factory run on the first invocation (and again after it fails). */
export function publisherHandler(runtime: PublisherRuntime | ((context: PublisherContext) => Promise<PublisherRuntime>)) {
  const get = builtOnce(runtime);
  return async (event: unknown, context: PublisherContext): Promise<DynamoDBBatchResponse | PublishResult> => {
    const deps = await get(context);
    const deadline = new Date(deps.clock.now().getTime() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS);
    if (!isStreamEvent(event)) return publishOutbox({ ...deps, deadline });
    if (!event.Records.some(bringsWork)) return { batchItemFailures: [] };
    try {
      await publishOutbox({ ...deps, deadline });
      return { batchItemFailures: [] };
    } catch (error) {
      // Draining failed (the table or the archive): retry the batch, which only wakes the next drain.
      const first = event.Records[0]?.dynamodb?.SequenceNumber;
      log.error('publishing failed', { records: event.Records.length, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
  };
}

/**
 * Whether a stream record is new work: a finding put, not a failed attempt being recorded. Waking on
 * our own bookkeeping would retry an account with Security Hub off in a tight loop; the schedule
 * retries those. (A new version of a finding that failed before also waits for the schedule.)
 */
function bringsWork(record: DynamoDBRecord): boolean {
  if (record.eventName === 'INSERT') return true;
  const attempts = record.dynamodb?.NewImage?.attempts?.N;
  return attempts === undefined || Number(attempts) === 0;
}

function isStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  const records = (event as { Records?: unknown } | undefined)?.Records;
  return Array.isArray(records) && records.every((r) => (r as { eventSource?: string }).eventSource === 'aws:dynamodb');
}

/** Builds the AWS runtime from the environment (see stacks/central/delivery.ts). */
async function awsRuntime(context: PublisherContext): Promise<PublisherRuntime> {
  const table = requireEnv('STATE_TABLE');
  const roleName = requireEnv('FINDING_WRITER_ROLE_NAME');
  const bucket = requireEnv('OCSF_BUCKET');
  const prefix = requireEnv('OCSF_PREFIX');
  // arn:<partition>:lambda:<region>:<account>:function:<name>
  const [, partition = 'aws', , functionRegion, functionAccount] = context.invokedFunctionArn.split(':');
  const centralAccount = process.env.CENTRAL_ACCOUNT ?? functionAccount;
  const homeRegion = process.env.HOME_REGION ?? process.env.AWS_REGION ?? functionRegion;
  if (!centralAccount || !homeRegion) throw new Error('cannot tell the central account and home region: set CENTRAL_ACCOUNT and HOME_REGION');
  const clock = systemClock;
  const client = dynamoClient();
  const outbox = new DynamoOutbox({ client, table });
  const state = new DynamoStateStore({ client, table, clock, retentionDays: retentionDaysFromEnv() });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const credentials = new AssumedCredentials({ sts: new STSClient({}), roleName, clock, partition });
  log.info('publisher ready', { table, bucket, prefix, centralAccount, homeRegion });
  return {
    outbox,
    importer: new SecurityHubImporter(credentials),
    archive: new S3FindingArchive({ client: s3Client(), bucket, prefix, clock }),
    coverage: new CoverageTracker({ state, outbox, clock, centralAccount, homeRegion }),
    clock,
    sleep,
    random: Math.random,
    buckets: new TokenBuckets(SECURITY_HUB_IMPORT_RATE, clock, sleep),
    log,
  };
}

/** The Lambda entry point; the runtime is built on the first invocation and reused. */
export const handler = publisherHandler(awsRuntime);
