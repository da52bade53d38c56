/**
 * The reference run: the same first deliveries, in the same order, through the same core with
 * in-memory state and no faults. What it puts in its outbox is what Security Hub should end up with.
 */
import type { SQSRecord } from 'aws-lambda';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { decodeDetectorRecord } from '../../central/aws/detector/sqs-intake.js';
import { MemoryOutbox } from '../../central/core/delivery/outbox.js';
import { SignalRoutingSink, type SignalSink } from '../../central/core/delivery/signals.js';
import { Detector } from '../../central/core/detector.js';
import { Intake } from '../../central/core/intake.js';
import { systemClock } from '../../central/core/ports.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import type { CompiledSuppression } from '../../central/core/suppressions/match.js';
import type { S3Client } from '@aws-sdk/client-s3';

/** A finding the reference run produced. */
export interface ExpectedFinding {
  readonly account: string;
  readonly region: string;
  readonly eventCount: number;
}

export async function referenceRun(deliveries: readonly SQSRecord[], rules: readonly CompiledRule[], suppressions: readonly CompiledSuppression[], s3: S3Client): Promise<Map<string, ExpectedFinding>> {
  const state = new MemoryStateStore();
  const outbox = new MemoryOutbox();
  const signals: SignalSink = { put: async () => {}, putFindings: async () => {} };
  const detector = new Detector({ engine: new RuleEngine(rules), state, sink: new SignalRoutingSink(outbox, signals), clock: systemClock, suppressions });
  const intake = new Intake({ detector, state, signals, objects: new S3ObjectStore(s3), maxObjectBytes: 100 * 1024 * 1024 });
  for (const record of deliveries) {
    const { events, objects } = decodeDetectorRecord(record);
    if (events.length) await intake.detectEvents(events);
    for (const object of objects) await intake.detectObject(object);
  }
  const expected = new Map<string, ExpectedFinding>();
  for await (const page of outbox.pages()) {
    for (const { finding } of page) expected.set(finding.Id, { account: finding.AwsAccountId, region: finding.Region, eventCount: Number(finding.ProductFields['skywatch/EventCount']) });
  }
  return expected;
}
