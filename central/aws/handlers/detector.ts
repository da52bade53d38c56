/**
 * Detector Lambda: builds the intake over DynamoDB (state, outbox, signals) and S3 (trail files)
 * once per container; the SQS edge is `central/aws/detector/sqs-intake.ts`. Correlation rules
 * (`rules/correlation/`) run over the same state, and their findings are filed in the central
 * account (`CENTRAL_ACCOUNT_ID`) in the home region (`HOME_REGION`).
 */
import { resolve } from 'node:path';
import { EngineCorrelator } from '../../core/correlation/correlator.js';
import { SignalRoutingSink } from '../../core/delivery/signals.js';
import { Detector } from '../../core/detector.js';
import { loadStoredDirectory } from '../../core/directory/stored-directory.js';
import { Intake } from '../../core/intake.js';
import { StoredIocTallies } from '../../core/ioc/stored-tallies.js';
import { systemClock } from '../../core/ports.js';
import { RuleEngine } from '../../core/rules/engine.js';
import type { AccountDirectory } from '../../core/suppressions/match.js';
import type { AsnLookup } from '../../core/ioc/asn-ranges.js';
import { asnForRules } from '../../local/behaviour-asn.js';
import { loadRuleFolders } from '../../local/rule-files.js';
import { loadSuppressionFiles } from '../../local/suppression-files.js';
import { DynamoOutbox } from '../adapters/dynamodb-outbox.js';
import { DynamoSignalSink } from '../adapters/dynamodb-signal-sink.js';
import { DynamoStateStore } from '../adapters/dynamodb-state-store.js';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { dynamoClient, s3Client } from '../clients.js';
import { checkLoadedRules } from '../detector/rule-check.js';
import { detectorHandler, intakeRuntime, type DetectorRuntime, type TrailSource } from '../detector/sqs-intake.js';
import { loadBundledIoc } from '../statistics/bundled-rules.js';
import { requireEnv, retentionDaysFromEnv } from '../lambda/environment.js';
import { log } from '../lambda/log.js';

/** Trail files are a few MB at most; anything this large is not a trail file. */
const MAX_TRAIL_FILE_BYTES = 100 * 1024 * 1024;

/**
 * Builds the AWS runtime from the environment: rules compiled and clients built once per container
 * (exported for tests, which build one per case over emulators).
 */
export async function awsRuntime(): Promise<DetectorRuntime> {
  const table = requireEnv('STATE_TABLE');
  // Where correlation findings are filed: the Security Hub administrator's account and region.
  const home = { account: requireEnv('CENTRAL_ACCOUNT_ID'), region: requireEnv('HOME_REGION') };
  const trail: TrailSource = { bucket: requireEnv('TRAIL_BUCKET'), prefix: process.env.TRAIL_PREFIX ?? '', maxObjectBytes: MAX_TRAIL_FILE_BYTES };
  const rulesRoot = resolve(process.env.RULES_DIR ?? 'rules');
  const retentionDays = retentionDaysFromEnv();
  const loaded = loadRuleFolders([], {}, rulesRoot);
  const suppressions = loadSuppressionFiles(resolve(rulesRoot, 'suppressions.yaml'));
  checkLoadedRules(loaded, suppressions, log);
  const client = dynamoClient();
  const state = new DynamoStateStore({ client, table, clock: systemClock, retentionDays });
  const signals = new DynamoSignalSink({ client, table, clock: systemClock });
  let current: AccountDirectory | undefined;
  const directory: AccountDirectory = { describe: (account) => current?.describe(account) };
  const correlator = loaded.correlations.length ? new EngineCorrelator({ rules: loaded.correlations, state, home, directory }) : undefined;
  const asn = behaviourAsn(loaded.rules);
  const detector = new Detector({
    engine: new RuleEngine(loaded.rules),
    ...(asn && { asn }),
    state,
    // Findings over GuardDuty and Config signals are notified only; every other finding goes to the outbox.
    sink: new SignalRoutingSink(new DynamoOutbox({ client, table }), signals),
    clock: systemClock,
    suppressions: suppressions.suppressions,
    directory,
    ...(correlator && { correlator }),
  });
  // IOC lists on every CloudTrail event's source address and user agent; their findings go to the outbox.
  const ioc = loadBundledIoc(rulesRoot, systemClock.now());
  const intake = new Intake({
    detector,
    state,
    signals,
    objects: new S3ObjectStore(s3Client()),
    maxObjectBytes: trail.maxObjectBytes,
    ...(ioc.lists > 0 && { ioc: { matcher: ioc.matcher, tallies: new StoredIocTallies(state, systemClock), findings: new DynamoOutbox({ client, table }) } }),
  });
  log.info('detector ready', { rules: loaded.rules.length, correlations: loaded.correlations.length, suppressions: suppressions.suppressions.length, iocLists: ioc.lists, asnListsUnmatched: ioc.asnLists, home });
  return intakeRuntime(intake, trail, async () => {
    current = await loadStoredDirectory(state);
  });
}

/**
 * The ASN data for behaviour rules over `network.asn`: from `ASN_DATA_DIR` (the CSVs copied next to
 * the bundle), else the installed package. Missing data is logged, never fatal: those rules learn
 * nothing and every other rule runs.
 */
function behaviourAsn(rules: Parameters<typeof asnForRules>[0]): AsnLookup | undefined {
  const dir = process.env.ASN_DATA_DIR;
  try {
    return dir ? asnForRules(rules, { ipv4: resolve(dir, 'asn-ipv4.csv'), ipv6: resolve(dir, 'asn-ipv6.csv') }) : asnForRules(rules);
  } catch (err) {
    log.warn('asn data unavailable', { dir, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

/** The Lambda entry point; the runtime is built on the first invocation and reused. */
export const handler = detectorHandler(awsRuntime);
