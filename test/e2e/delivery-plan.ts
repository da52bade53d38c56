/**
 * What AWS would deliver to the detector for the demo organization's trail, in the order it would:
 * for each trail file, first the records EventBridge forwards (seconds after the call), then the S3
 * notification of the file (minutes later), in SQS batches of 10. Faults: a share of messages is
 * delivered again later (SQS is at-least-once), and poison messages that can never succeed.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import type { Random } from '../../central/demo/random.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { forwardingPatterns, type ForwardingPattern } from '../../stacks/member/forwarding-patterns.js';
import { eventBridgeEnvelope } from '../support/cloudtrail.js';
import { matchesEventPattern } from '../support/event-pattern-match.js';
import { s3Notification, sqsRecord } from '../support/sqs-events.js';

/** One message on a detector queue. */
export interface PlannedMessage {
  readonly record: SQSRecord;
  /** A delivery of a message already delivered. */
  readonly redelivery: boolean;
  /** A message that fails every time (it ends in the dead-letter queue). */
  readonly poison: boolean;
  /** An envelope a member forged about another account: it must be acknowledged and come to nothing. */
  readonly forged?: boolean;
}

export interface DeliveryPlan {
  /** The batches as the detector receives them. */
  readonly batches: PlannedMessage[][];
  /** The first delivery of every good message, in order: what a fault-free run sees. */
  readonly firstDeliveries: SQSRecord[];
  readonly events: number;
  readonly forwarded: number;
  readonly files: number;
}

export interface PlanOptions {
  readonly root: string;
  readonly files: readonly string[];
  readonly bucket: string;
  readonly rules: readonly CompiledRule[];
  readonly random: Random;
  /** Share of messages delivered twice. */
  readonly redeliveryRate: number;
  readonly poisonMessages: number;
  /** Forged envelopes, put on the bus at random moments. */
  readonly forgeries?: readonly SQSRecord[];
}

const BATCH = 10;

/** The forwarding patterns of each account's default bus (they name the account), built once per account. */
function patternsByAccount(rules: readonly CompiledRule[]): (account: string) => ForwardingPattern[] {
  const built = new Map<string, ForwardingPattern[]>();
  return (account) => {
    let patterns = built.get(account);
    if (!patterns) built.set(account, (patterns = forwardingPatterns(rules, { account })));
    return patterns;
  };
}

export function planDelivery(options: PlanOptions): DeliveryPlan {
  const patternsOf = patternsByAccount(options.rules);
  const firstDeliveries: SQSRecord[] = [];
  let events = 0, forwarded = 0;
  for (const file of options.files) {
    const bytes = readFileSync(file);
    const records = (JSON.parse(gunzipSync(bytes).toString('utf8')) as { Records: Array<Record<string, unknown>> }).Records;
    events += records.length;
    for (const record of records) {
      const envelope = eventBridgeEnvelope(record);
      if (!patternsOf(String(envelope.account)).some((p) => matchesEventPattern(p.pattern, envelope))) continue;
      forwarded++;
      firstDeliveries.push(sqsRecord(JSON.stringify(envelope)));
    }
    firstDeliveries.push(sqsRecord(JSON.stringify(s3Notification(options.bucket, relative(options.root, file), bytes.length))));
  }
  const messages: PlannedMessage[] = [];
  const later: Array<{ at: number; message: PlannedMessage }> = [];
  for (const record of firstDeliveries) {
    messages.push({ record, redelivery: false, poison: false });
    // Redelivered a few batches later, as after a visibility timeout.
    if (options.random.chance(options.redeliveryRate)) later.push({ at: messages.length + 5 + options.random.int(56), message: { record, redelivery: true, poison: false } });
    while (later.length && later[0]!.at <= messages.length) messages.push(later.shift()!.message);
    later.sort((a, b) => a.at - b.at);
  }
  messages.push(...later.map((l) => l.message));
  for (let i = 0; i < options.poisonMessages; i++) {
    const at = options.random.int(messages.length + 1);
    messages.splice(at, 0, { record: sqsRecord(i % 2 ? '{"Records": [{"s3": {"bucket": {"name": ' : 'not json at all'), redelivery: false, poison: true });
  }
  for (const record of options.forgeries ?? []) messages.splice(options.random.int(messages.length + 1), 0, { record, redelivery: false, poison: false, forged: true });
  const batches: PlannedMessage[][] = [];
  for (let i = 0; i < messages.length; i += BATCH) batches.push(messages.slice(i, i + BATCH));
  return { batches, firstDeliveries, events, forwarded, files: options.files.length };
}
