/**
 * Notifier: the state table's stream hands it new outbox findings (`outbox#pending`), signals
 * (`notify#signal`: GuardDuty findings, Config compliance changes) and rule findings over signals
 * (`notify#finding`, never imported into Security Hub). Each becomes a notice; the policy
 * (severity threshold, cooldown, per-channel delivery marks) decides; email goes through SNS and Slack
 * through a webhook whose URL lives in Secrets Manager and is never logged. A record that failed is
 * reported by sequence number and retried; a malformed one is logged by its keys and skipped.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { noticeOfFinding, noticeOfSignal, UnreadableNoticeError, type Notice } from '../../core/delivery/notice.js';
import { DEFAULT_COOLDOWN_MINUTES, deliverNotice, NotifyPolicy, type NoticeChannel } from '../../core/delivery/notify-policy.js';
import { loadStoredDirectory } from '../../core/directory/stored-directory.js';
import type { SecurityEvent } from '../../core/event.js';
import type { AsffFinding } from '../../core/findings/asff.js';
import { systemClock, type Clock, type StateStore } from '../../core/ports.js';
import { SEVERITY_LABELS, type SeverityLabel } from '../../core/rules/schema.js';
import type { AccountDirectory } from '../../core/suppressions/match.js';
import { DynamoStateStore } from '../adapters/dynamodb-state-store.js';
import { SecretWebhook } from '../adapters/secret-webhook.js';
import { SlackChannel } from '../adapters/slack-notifier.js';
import { SnsEmailChannel } from '../adapters/sns-notifier.js';
import { OUTBOX_PK, SIGNAL_FINDING_PK, SIGNAL_PK } from '../adapters/table-layout.js';
import { dynamoClient } from '../clients.js';
import { requireEnv, retentionDaysFromEnv } from '../lambda/environment.js';
import { log } from '../lambda/log.js';
import { builtOnce } from '../lambda/built-once.js';

/** What the notifier runs on. */
export interface NotifierDeps {
  readonly state: StateStore;
  readonly channels: readonly NoticeChannel[];
  readonly clock: Clock;
  readonly minimumSeverity: SeverityLabel;
  readonly cooldownMinutes: number;
  /** Where Security Hub links point: the central account's region, which sees every account. */
  readonly homeRegion: string;
}

/** The part of the Lambda context the notifier reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Thrown for a stream image the notifier cannot read; the record is skipped, not retried. */
export class MalformedImageError extends Error {
  override readonly name = 'MalformedImageError';
}

// Time kept back from Slack's retries so the invocation can still report its failures.
const SAFETY_MARGIN_MS = 10_000;
const BUDGET_WITHOUT_CONTEXT_MS = 30_000;

/** A notifier handler over its dependencies (built on the first invocation when given a factory). */
export function notifierHandler(deps: NotifierDeps | (() => Promise<NotifierDeps>)) {
  const get = builtOnce(deps);
  return async (event: DynamoDBStreamEvent, context?: InvocationContext): Promise<DynamoDBBatchResponse> => {
    const run = await get();
    const policy = new NotifyPolicy(run);
    const budget = context ? context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS : BUDGET_WITHOUT_CONTEXT_MS;
    const deadline = new Date(run.clock.now().getTime() + budget);
    const names = await directoryOf(run.state, run.clock);
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      let notice: Notice | undefined;
      try {
        notice = noticeOfRecord(record, names, run.homeRegion);
      } catch (error) {
        // The image will not read better on a retry: say which item it was and go on.
        log.warn('malformed stream record skipped', { ...keysOf(record), sequenceNumber, reason: reasonOf(error) });
        continue;
      }
      if (!notice) continue;
      try {
        const outcome = await deliverNotice(policy, notice, run.channels, { deadline });
        if (!outcome.decision.notify) log.info('notice held', { noticeId: notice.id, source: notice.source, severity: notice.severity, reason: outcome.decision.reason });
        else log.info('notice sent', { noticeId: notice.id, source: notice.source, severity: notice.severity, kind: outcome.decision.kind, sent: outcome.sent, skipped: outcome.skipped });
      } catch (error) {
        log.error('notice failed', { noticeId: notice.id, sequenceNumber, reason: error instanceof Error ? error.message : String(error) });
        batchItemFailures.push({ itemIdentifier: sequenceNumber });
      }
    }
    return { batchItemFailures };
  };
}

/** The notice a stream record carries; undefined for records that are not the notifier's. */
export function noticeOfRecord(record: DynamoDBRecord, names: AccountDirectory | undefined, homeRegion: string): Notice | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  const image = record.dynamodb?.NewImage;
  const pk = image?.pk?.S;
  if (pk === OUTBOX_PK || pk === SIGNAL_FINDING_PK) return noticeOfFinding(parseObject<AsffFinding>(image?.finding?.S, 'finding'), names, homeRegion);
  if (pk === SIGNAL_PK) return noticeOfSignal(parseObject<SecurityEvent>(image?.event?.S, 'event'), names);
  return undefined;
}

/** Parses a JSON attribute; the error names the attribute, never quotes it (it is event data). */
function parseObject<T>(text: string | undefined, attribute: string): T {
  if (text === undefined) throw new MalformedImageError(`no string attribute "${attribute}"`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedImageError(`attribute "${attribute}" is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedImageError(`attribute "${attribute}" is not a JSON object`);
  return value as T;
}

/** Our own errors say what is missing; anything else (a field of the wrong type) by its class and message. */
function reasonOf(error: unknown): string {
  if (error instanceof MalformedImageError || error instanceof UnreadableNoticeError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unreadable';
}

function keysOf(record: DynamoDBRecord): { pk?: string; sk?: string } {
  const keys = record.dynamodb?.Keys;
  return { pk: keys?.pk?.S, sk: keys?.sk?.S };
}

/** Account names make notices readable; without them a notice still goes out. */
async function directoryOf(state: StateStore, clock: Clock): Promise<AccountDirectory | undefined> {
  try {
    return await loadStoredDirectory(state, { clock });
  } catch (error) {
    log.warn('account directory unavailable', { reason: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** Reads MINIMUM_SEVERITY and NOTIFY_COOLDOWN_MINUTES, failing the cold start on a bad value. */
export function notifySettings(env: Record<string, string | undefined>): { minimumSeverity: SeverityLabel; cooldownMinutes: number } {
  const minimumSeverity = (env.MINIMUM_SEVERITY ?? 'HIGH').toUpperCase();
  if (!(SEVERITY_LABELS as readonly string[]).includes(minimumSeverity)) throw new Error(`MINIMUM_SEVERITY must be one of ${SEVERITY_LABELS.join(', ')}`);
  const cooldownMinutes = env.NOTIFY_COOLDOWN_MINUTES === undefined || env.NOTIFY_COOLDOWN_MINUTES === '' ? DEFAULT_COOLDOWN_MINUTES : Number(env.NOTIFY_COOLDOWN_MINUTES);
  if (!Number.isFinite(cooldownMinutes) || cooldownMinutes < 0) throw new Error('NOTIFY_COOLDOWN_MINUTES must be a number of minutes, 0 or more');
  return { minimumSeverity: minimumSeverity as SeverityLabel, cooldownMinutes };
}

/** The AWS dependencies, from the environment the delivery stack sets. */
async function awsDeps(): Promise<NotifierDeps> {
  const table = requireEnv('STATE_TABLE');
  const topicArn = requireEnv('TOPIC_ARN');
  const secretArn = requireEnv('SLACK_SECRET_ARN');
  const homeRegion = requireEnv('AWS_REGION');
  const settings = notifySettings(process.env);
  const clock = systemClock;
  const state = new DynamoStateStore({ client: dynamoClient(), table, clock, retentionDays: retentionDaysFromEnv() });
  const webhook = new SecretWebhook({ client: new SecretsManagerClient({}), secretArn, clock });
  const channels = [new SnsEmailChannel(new SNSClient({}), topicArn), new SlackChannel({ webhook, clock })];
  log.info('notifier ready', { minimumSeverity: settings.minimumSeverity, cooldownMinutes: settings.cooldownMinutes, channels: channels.map((c) => c.name) });
  return { state, channels, clock, homeRegion, ...settings };
}

/** The Lambda entry point; clients are built on the first invocation and reused. */
export const handler = notifierHandler(awsDeps);
