/**
 * The local end-to-end run: the central account's Lambda handlers, called in-process exactly as
 * AWS calls them, against DynamoDB (dynalite) and S3 (s3rver) emulators, a local Slack webhook, and
 * SDK-boundary fakes for Security Hub, STS, SNS, Secrets Manager, Organizations and CloudFormation
 * that check every request against the SDK's API model. Faults are injected everywhere, and the
 * result is compared with a fault-free reference run of the same core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isCorrelationFinding } from '../../central/core/correlation/finding.js';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Context } from 'aws-lambda';
import { outboxKey } from '../../central/core/delivery/outbox.js';
import { systemClock } from '../../central/core/ports.js';
import { generateDemoOrganization } from '../../central/demo/generate.js';
import { createRandom } from '../../central/demo/random.js';
import { listFiles } from '../../central/demo/tree.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { loadSuppressionFiles } from '../../central/local/suppression-files.js';
import { OUTBOX_PK, SIGNAL_FINDING_PK, SIGNAL_PK } from '../../central/aws/adapters/table-layout.js';
import { FINDING_WRITER_ROLE_NAME, MEMBER_STACK_SET_NAME } from '../../stacks/names.js';
import { createStateTable, startDynalite } from '../support/dynalite.js';
import { demoFakeOrganization, OrganizationFake } from '../support/organization-fake.js';
import { startS3 } from '../support/s3rver.js';
import { SecurityHubFake } from '../support/security-hub-fake.js';
import { startSlackReceiver } from '../support/slack-receiver.js';
import { fakeSecret, fakeSns } from '../support/sns-fake.js';
import { forgedEnvelopes } from '../support/forged.js';
import { sqsEvent, sqsRecord } from '../support/sqs-events.js';
import { planDelivery } from './delivery-plan.js';
import { referenceRun } from './reference.js';
import { TableStream } from './table-stream.js';

/** How big a run and how many faults. */
export interface E2eOptions {
  readonly benignEvents: number;
  readonly days: number;
  readonly seed: number;
  readonly redeliveryRate: number;
  readonly poisonMessages: number;
  readonly throttleRate: number;
  readonly serverErrorRate: number;
  readonly slackFailures: { readonly tooManyRequests: number; readonly serverErrors: number };
  readonly snsFailureRate: number;
  /** Progress lines go here. */
  readonly progress?: (line: string) => void;
}

/** The figures `npm run e2e` prints, plus what the checks need. */
export interface E2eResult {
  readonly events: number;
  readonly findings_expected: number;
  readonly findings_in_security_hub: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly wrong_account: number;
  readonly notifications: number;
  readonly outbox_pending: number;
  readonly coverage_findings: number;
  /** Cross-account correlation findings imported into Security Hub, and how many the reference run filed. */
  readonly correlation_findings: number;
  readonly correlation_findings_expected: number;
  /** Forged envelopes one member sent about another, and how many of them produced anything. */
  readonly forged_sent: number;
  readonly forged_accepted: number;
  /** Forged envelopes the detector counted as rejected (the RejectedEvents metric). */
  readonly forged_rejected: number;
  /** Findings of the account with Security Hub off, which must be exactly what is pending. */
  readonly expected_pending: number;
  readonly off_account: string;
  /** Requests that broke the AWS API model or a service limit (must be none). */
  readonly violations: readonly string[];
  /** Problems the run found with itself (must be none). */
  readonly problems: readonly string[];
  readonly faults: Record<string, number>;
  /** Every console line the handlers wrote, for the secrets check. */
  readonly logLines: readonly string[];
  /** Values that must never appear in a log line. */
  readonly secrets: readonly string[];
}

const CENTRAL_REGION = 'us-east-1';
const TABLE = 'skywatch-state';
const OCSF_PREFIX = 'skywatch/ocsf/';

/** A Lambda context with the central account in the function ARN, as the handlers read it. */
function lambdaContext(name: string, account: string, budgetMs = 300_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${CENTRAL_REGION}:${account}:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: `e2e-${name}-${started}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: '2026/11/21/[$LATEST]e2e',
    getRemainingTimeInMillis: () => budgetMs - (Date.now() - started),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const say = options.progress ?? (() => {});
  const problems: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'skywatch-e2e-'));
  const dynamo = await startDynalite();
  const s3 = await startS3();
  const slack = await startSlackReceiver();
  const cleanups: Array<() => unknown> = [() => slack.close(), () => s3.close(), () => dynamo.close(), () => rmSync(work, { recursive: true, force: true })];
  const logLines: string[] = [];
  const restoreConsole = captureConsole(logLines);
  const savedEnv = { ...process.env };
  const restoreEnv = () => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  };
  try {
    // The demo organization's trail, in its bucket with the organization-trail layout.
    const demo = await generateDemoOrganization({ outDir: work, seed: options.seed, days: options.days, benignEvents: options.benignEvents, network: false });
    const bucket = demo.organization.trail.bucket;
    await s3.createBucket(bucket);
    const files = (await listFiles(join(work, 'AWSLogs'))).sort();
    for (const file of files) await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: relative(work, file), Body: await readFile(file) }));
    say(`demo organization: ${demo.accounts.length} accounts, ${demo.events} events in ${files.length} files`);

    const org = demoFakeOrganization(demo.organization, { homeRegion: CENTRAL_REGION });
    const central = org.centralAccount;
    const { rules, correlations } = loadRuleFolders();
    const suppressions = loadSuppressionFiles().suppressions;
    const logFiles = files.filter((f) => !f.includes('CloudTrail-Digest'));
    // A compromised member puts envelopes about another member (with Security Hub on) on the bus.
    const members = org.accounts.map((a) => a.id).filter((a) => a !== central && a !== org.managementAccount).sort();
    const [victim, forger] = [members[0]!, members[1]!];
    const forgeries = Array.from({ length: 3 }, () => forgedEnvelopes(forger, victim)).flat().map((f) => f.envelope);
    const forgedIds = new Set(forgeries.flatMap((e) => [String(e.id), String((e.detail as { eventID?: string }).eventID ?? e.id)]));
    const plan = planDelivery({
      root: work, files: logFiles, bucket, rules, random: createRandom(options.seed).fork('delivery'), redeliveryRate: options.redeliveryRate, poisonMessages: options.poisonMessages,
      forgeries: forgeries.map((e) => sqsRecord(JSON.stringify(e))),
    });
    say(`delivery: ${plan.forwarded} forwarded events and ${plan.files} trail files in ${plan.batches.length} SQS batches`);

    const expected = await referenceRun(plan.firstDeliveries, rules, suppressions, s3.client, { rules: correlations, home: { account: central, region: CENTRAL_REGION } });
    const correlationExpected = [...expected.values()].filter((f) => f.correlation).length;
    // Security Hub is off in the member account with the fewest findings (at least one).
    const perAccount = new Map<string, number>();
    for (const f of expected.values()) perAccount.set(f.account, (perAccount.get(f.account) ?? 0) + 1);
    const offAccount = [...perAccount].filter(([a]) => a !== central && a !== org.managementAccount).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    if (!offAccount) throw new Error('the reference run produced no member-account finding; the demo is too small');
    const expectedPending = [...expected.values()].filter((f) => f.account === offAccount).length;
    say(`reference run: ${expected.size} findings (${correlationExpected} across accounts); Security Hub off in ${offAccount} (${expectedPending} findings)`);

    // The AWS side.
    await createStateTable(dynamo.client, TABLE);
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${OCSF_PREFIX}.keep`, Body: '' }));
    const hub = new SecurityHubFake({
      clock: systemClock,
      seed: options.seed,
      throttleProbability: options.throttleRate,
      serverErrorProbability: options.serverErrorRate,
      off: demo.regions.map((r) => `${offAccount}/${r}`),
    });
    cleanups.unshift(() => hub.restore());
    const organization = new OrganizationFake(
      { ...org, accounts: org.accounts.map((a) => (a.id === offAccount ? { ...a, securityHub: 'Disabled' } : a)) },
      { clock: systemClock },
    ).mock({ organizations: OrganizationsClient, cloudFormation: CloudFormationClient });
    organization.handle({ securityHub: hub.securityHubStub, sts: hub.stsStub });
    cleanups.unshift(() => organization.restore());
    const sns = fakeSns();
    sns.failAtRate(options.snsFailureRate, options.seed);
    cleanups.unshift(() => sns.restore());
    const secretArn = `arn:aws:secretsmanager:${CENTRAL_REGION}:${central}:secret:skywatch/slack-webhook-AbCdEf`;
    const secret = fakeSecret(secretArn, slack.url);
    cleanups.unshift(() => secret.restore());
    slack.rateLimit(options.slackFailures.tooManyRequests, 1);
    slack.fail(options.slackFailures.serverErrors, 500);

    Object.assign(process.env, {
      AWS_REGION: CENTRAL_REGION,
      // s3rver accepts only its own key pair; dynalite accepts any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      STATE_TABLE: TABLE,
      TRAIL_BUCKET: bucket,
      TRAIL_PREFIX: `AWSLogs/${demo.orgId}/`,
      RULES_DIR: new URL('../../rules', import.meta.url).pathname,
      STATE_RETENTION_DAYS: '90',
      CENTRAL_ACCOUNT_ID: central,
      HOME_REGION: CENTRAL_REGION,
      FINDING_WRITER_ROLE_NAME,
      OCSF_BUCKET: bucket,
      OCSF_PREFIX,
      TOPIC_ARN: `arn:aws:sns:${CENTRAL_REGION}:${central}:SkywatchCentral-Notifications`,
      SLACK_SECRET_ARN: secretArn,
      MINIMUM_SEVERITY: 'HIGH',
      COVERAGE_READER_ROLE_ARN: organization.readerRoleArn,
      STACK_SET_NAME: MEMBER_STACK_SET_NAME,
      MEMBER_REGIONS: demo.regions.join(','),
    });
    const detector = (await import('../../central/aws/handlers/detector.js')).handler;
    const publisher = (await import('../../central/aws/handlers/publisher.js')).handler;
    const notifier = (await import('../../central/aws/handlers/notifier.js')).handler;
    const onboarding = (await import('../../central/aws/handlers/onboarding.js')).handler;
    const stream = new TableStream(dynamo.client, TABLE);
    const faults = { redelivered: 0, poison: 0, poisonFailed: 0, detectorRetries: 0, streamRetries: 0 };

    // Onboarding first, as after deploy: the directory snapshot names accounts in notifications.
    await onboarding({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event' }, lambdaContext('SkywatchOnboarding', central));

    const flush = async () => {
      for (const event of await stream.changes()) {
        const published = await publisher(event, lambdaContext('SkywatchPublisher', central));
        if ('batchItemFailures' in published && published.batchItemFailures.length) faults.streamRetries++;
        let pending = event;
        for (let attempt = 0; attempt < 5 && pending.Records.length; attempt++) {
          const { batchItemFailures } = await notifier(pending, lambdaContext('SkywatchNotifier', central, 60_000));
          // Lambda retries from the first failed record onwards (bisect is off for the notifier).
          const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
          const at = pending.Records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
          pending = { Records: at < 0 ? [] : pending.Records.slice(at) };
          if (at >= 0) faults.streamRetries++;
        }
        if (pending.Records.length) problems.push(`${pending.Records.length} stream records still failing in the notifier after 5 attempts`);
      }
    };

    let retry: typeof plan.batches[number] = [];
    for (let i = 0; i < plan.batches.length; i++) {
      const batch = [...plan.batches[i]!, ...retry];
      retry = [];
      const { batchItemFailures } = await detector(sqsEvent(batch.map((m) => m.record)));
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      for (const message of batch) {
        if (message.redelivery) faults.redelivered++;
        if (message.poison) {
          faults.poison++;
          if (failed.has(message.record.messageId)) faults.poisonFailed++;
          else problems.push(`poison message ${message.record.messageId} was acknowledged`);
        } else if (message.forged) {
          if (failed.has(message.record.messageId)) problems.push(`forged envelope ${message.record.messageId} failed instead of being rejected and acknowledged`);
        } else if (failed.has(message.record.messageId)) {
          faults.detectorRetries++;
          retry.push({ ...message, redelivery: true });
        }
      }
      if (i % 25 === 24) {
        await flush();
        say(`detector: ${i + 1}/${plan.batches.length} batches`);
      }
    }
    if (retry.length) problems.push(`${retry.length} good messages still failing in the detector`);
    await flush();

    // The schedules: the publisher retries what was held back, onboarding checks coverage.
    await onboarding({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event' }, lambdaContext('SkywatchOnboarding', central));
    let pendingCount = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 20; round++) {
      await flush();
      await publisher({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event' }, lambdaContext('SkywatchPublisher', central));
      const now = (await stream.items(OUTBOX_PK)).length;
      if (now === pendingCount) break;
      pendingCount = now;
    }
    await flush();

    // What Security Hub holds, against the reference.
    const inHub = hub.findings();
    const skywatch = inHub.filter((f) => !f.GeneratorId.startsWith('skywatch/coverage/'));
    const coverage = inHub.filter((f) => f.GeneratorId.startsWith('skywatch/coverage/') && f.RecordState === 'ACTIVE');
    const pendingItems = await stream.items(OUTBOX_PK);
    const pendingFindings = pendingItems.map((item) => JSON.parse(item.finding!.S!) as { Id: string; AwsAccountId: string; Region: string });
    const pendingIds = new Set(pendingFindings.map((f) => f.Id));
    const hubIds = new Map(skywatch.map((f) => [f.Id, f]));
    let lost = 0, duplicates = 0;
    for (const [id, want] of expected) {
      const got = hubIds.get(id);
      if (!got && !pendingIds.has(id)) lost++;
      const count = want.correlation ? got?.ProductFields['skywatch/ObservationCount'] : got?.ProductFields['skywatch/EventCount'];
      if (got && Number(count) > want.eventCount) duplicates++;
    }
    for (const id of hubIds.keys()) if (!expected.has(id)) duplicates++;
    const wrongPlace = skywatch.filter((f) => {
      const want = expected.get(f.Id);
      return want && (want.account !== f.AwsAccountId || want.region !== f.Region);
    }).length;
    for (const f of pendingFindings) {
      if (f.AwsAccountId !== offAccount) problems.push(`finding ${outboxKey(f)} is still pending though its account has Security Hub on`);
      else if (!expected.has(f.Id)) problems.push(`finding ${outboxKey(f)} is pending but the reference run has no such finding`);
    }
    const violations = [...hub.violations, ...organization.violations, ...sns.invalid];
    // Anything a forgery left behind: a finding in Security Hub or the outbox, a signal or a finding over one to notify.
    const evidenceOf = (f: { ProductFields?: Record<string, string> }) => (f.ProductFields?.['skywatch/EventIds'] ?? '').split(',');
    const notified = [...(await stream.items(SIGNAL_PK)).map((i) => i.sk!.S!), ...(await stream.items(SIGNAL_FINDING_PK)).flatMap((i) => evidenceOf(JSON.parse(i.finding!.S!)))];
    const forgedAccepted = [...inHub.flatMap(evidenceOf), ...pendingItems.flatMap((i) => evidenceOf(JSON.parse(i.finding!.S!))), ...notified].filter((id) => forgedIds.has(id)).length
      + inHub.filter((f) => f.AwsAccountId === victim && !expected.has(f.Id) && !f.GeneratorId.startsWith('skywatch/coverage/')).length;
    const forgedRejected = logLines.filter((l) => l.includes('"message":"event rejected"') && l.includes(`"sender":"${forger}"`)).length;
    return {
      events: plan.events,
      findings_expected: expected.size,
      findings_in_security_hub: skywatch.length,
      duplicates,
      lost,
      wrong_account: hub.counters.wrongAccount + wrongPlace,
      notifications: slack.accepted.length + sns.published.length,
      outbox_pending: pendingItems.length,
      coverage_findings: coverage.length,
      correlation_findings: skywatch.filter(isCorrelationFinding).length,
      correlation_findings_expected: correlationExpected,
      forged_sent: forgeries.length,
      forged_accepted: forgedAccepted,
      forged_rejected: forgedRejected,
      expected_pending: expectedPending,
      off_account: offAccount,
      violations,
      problems,
      faults: { ...faults, securityHubThrottled: hub.counters.throttled, securityHubServerErrors: hub.counters.serverErrors, slackRefused: slack.requests.filter((r) => r.status !== 200).length, snsFailed: sns.calls() - sns.published.length },
      logLines,
      secrets: [slack.url, ...hub.issuedSecrets()],
    };
  } finally {
    restoreConsole();
    restoreEnv();
    for (const cleanup of cleanups) await cleanup();
  }
}

/** Keeps every console line (the handlers log JSON lines) instead of printing it. */
function captureConsole(lines: string[]): () => void {
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  const keep = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  Object.assign(console, { log: keep, error: keep, warn: keep, info: keep });
  return () => Object.assign(console, saved);
}
