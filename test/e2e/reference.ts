/**
 * The reference run: the same first deliveries, in the same order, through the same core with
 * in-memory state and no faults. What it puts in its outbox is what Security Hub should end up with.
 */
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import type { CompiledCorrelation } from '../../central/core/correlation/compile.js';
import { EngineCorrelator } from '../../central/core/correlation/correlator.js';
import type { HomePlace } from '../../central/core/correlation/finding.js';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { decodeDetectorRecord } from '../../central/aws/detector/sqs-intake.js';
import { MemoryOutbox } from '../../central/core/delivery/outbox.js';
import { SignalRoutingSink, type SignalSink } from '../../central/core/delivery/signals.js';
import { Detector } from '../../central/core/detector.js';
import { loadBundledIoc } from '../../central/aws/statistics/bundled-rules.js';
import { StoredIocTallies } from '../../central/core/ioc/stored-tallies.js';
import { REPO_ROOT } from '../support/repo-paths.js';
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
  /** Events behind it (observations, for a correlation finding). */
  readonly eventCount: number;
  /** A cross-account correlation finding (filed in the central account's home region). */
  readonly correlation: boolean;
}

/** Correlation as the detector Lambda runs it: its rules, and where their findings are filed. */
export interface ReferenceCorrelation {
  readonly rules: readonly CompiledCorrelation[];
  readonly home: HomePlace;
}

export async function referenceRun(
  deliveries: readonly SQSRecord[],
  rules: readonly CompiledRule[],
  suppressions: readonly CompiledSuppression[],
  s3: S3Client,
  correlation?: ReferenceCorrelation,
): Promise<Map<string, ExpectedFinding>> {
  const state = new MemoryStateStore();
  const correlator = correlation?.rules.length ? new EngineCorrelator({ rules: correlation.rules, state, home: correlation.home }) : undefined;
  const outbox = new MemoryOutbox();
  const signals: SignalSink = { put: async () => {}, putFindings: async () => {} };
  const detector = new Detector({ engine: new RuleEngine(rules), state, sink: new SignalRoutingSink(outbox, signals), clock: systemClock, suppressions, ...(correlator && { correlator }) });
  // The IOC lists the function bundles, matched on every CloudTrail event as it matches them.
  const ioc = { matcher: loadBundledIoc(join(REPO_ROOT, 'rules'), systemClock.now()).matcher, tallies: new StoredIocTallies(state, systemClock), findings: outbox };
  const intake = new Intake({ detector, state, signals, objects: new S3ObjectStore(s3), maxObjectBytes: 100 * 1024 * 1024, ioc });
  for (const record of deliveries) {
    const { events, objects } = decodeDetectorRecord(record);
    if (events.length) await intake.detectEvents(events);
    for (const object of objects) await intake.detectObject(object);
  }
  const expected = new Map<string, ExpectedFinding>();
  for await (const page of outbox.pages()) {
    for (const { finding } of page) {
      const fields = finding.ProductFields;
      const correlation = fields['skywatch/CorrelationRule'] !== undefined;
      const eventCount = Number(correlation ? fields['skywatch/ObservationCount'] : fields['skywatch/EventCount']);
      expected.set(finding.Id, { account: finding.AwsAccountId, region: finding.Region, eventCount, correlation });
    }
  }
  return expected;
}
