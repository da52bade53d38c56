/**
 * Least privilege, asserted exactly: the roles EventBridge and EventBridge Scheduler assume trust only
 * their own account's Skywatch rules and schedules; each central function may make only the DynamoDB
 * calls its adapters make, on the partitions it uses; the statistics function may do in S3 what
 * Athena needs and no more. The app is synthesized once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, logicalId, roleStatements, type Statement } from './policies.js';
import { resourcesOfType, synthesizeSkywatch, type Synthesized, type Template } from './synthesized.js';

let s: Synthesized;
let central: Template;
let all: Array<[string, Template]>;

beforeAll(async () => {
  s = await synthesizeSkywatch();
  central = s.template('SkywatchCentral');
  all = [...s.assembly.stacks.map((stack) => [stack.stackName, stack.template as Template] as [string, Template]), ['member template', s.stacks.memberTemplate.template as Template]];
}, 120_000);

const ref = (name: string) => ({ Ref: name });
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
/** `arn:<partition>:events:<region>:<account>:rule/<name>` as CloudFormation renders it. */
const ruleArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':events:', ref('AWS::Region'), ':', ref('AWS::AccountId'), `:rule/${name}`]] });

describe('the roles EventBridge and EventBridge Scheduler assume', () => {
  it('trust only their own account, and in it only the Skywatch rules or the Skywatch schedule group', () => {
    const trusts: unknown[] = [];
    for (const [name, template] of all) {
      for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
        for (const statement of role.Properties!.AssumeRolePolicyDocument.Statement as Statement[]) {
          const service = statement.Principal?.Service;
          if (service !== 'events.amazonaws.com' && service !== 'scheduler.amazonaws.com') continue;
          expect(statement.Condition?.StringEquals, `${name} ${id}`).toEqual({ 'aws:SourceAccount': ref('AWS::AccountId') });
          expect(Object.keys(statement.Condition!).sort(), `${name} ${id}`).toEqual(['ArnLike', 'StringEquals']);
          trusts.push([name, service, statement.Condition!.ArnLike!['aws:SourceArn']]);
        }
      }
    }
    // Scheduler names the schedule group as the source, never the schedule (its confused-deputy guidance).
    const group = { 'Fn::GetAtt': [logicalId(s.stacks.central.schedules), 'Arn'] };
    expect(trusts.sort(byJson)).toEqual(
      [
        ['SkywatchCentral', 'scheduler.amazonaws.com', group],
        ['SkywatchCentral', 'scheduler.amazonaws.com', group],
        ['SkywatchCentral', 'scheduler.amazonaws.com', group],
        ['SkywatchManagement-eu-west-1', 'events.amazonaws.com', ruleArn('skywatch-forward-*')],
        ['SkywatchManagement-us-east-1', 'events.amazonaws.com', ruleArn('skywatch-forward-*')],
        ['SkywatchManagement-us-east-1', 'events.amazonaws.com', ruleArn('skywatch-organization-events')],
        ['member template', 'events.amazonaws.com', ruleArn('skywatch-forward-*')],
      ].sort(byJson),
    );
  });

  it('are used only by rules whose names their trust admits, and by schedules of that group', () => {
    for (const [name, template] of all) {
      for (const [id, rule] of resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.Targets?.some((t: any) => t.RoleArn))) {
        const organizations = rule.Properties!.EventPattern.source?.[0] === 'aws.organizations';
        expect(rule.Properties!.Name, `${name} ${id}`).toMatch(organizations ? /^skywatch-organization-events$/ : /^skywatch-forward-[a-z0-9-]+$/);
      }
    }
    const forwarding = resourcesOfType(s.stacks.memberTemplate.template as Template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.Targets?.[0]?.Id === 'CentralBus');
    expect(forwarding.map(([, r]) => r.Properties!.Name).sort()).toEqual(s.patterns.map((p) => `skywatch-forward-${p.name}`).sort());
    const groupName = central.Resources[logicalId(s.stacks.central.schedules)]!.Properties!.Name;
    const schedules = resourcesOfType(central, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(3);
    for (const [, schedule] of schedules) expect(schedule.Properties!.GroupName).toBe(groupName);
  });
});

/** Partition-key patterns and the calls allowed on them, as each function's adapters use the table (central/aws/adapters). */
const STATE_CALLS: Record<string, Array<[string[], string[]]>> = {
  // DynamoStateStore get/put and unseen/remember, DynamoOutbox.put, DynamoSignalSink put/putFindings.
  detector: [
    [['v#*'], ['dynamodb:GetItem', 'dynamodb:PutItem']],
    [['s#*'], ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']],
    [['outbox#pending'], ['dynamodb:UpdateItem']],
    [['notify#signal'], ['dynamodb:BatchWriteItem']],
    [['notify#finding'], ['dynamodb:PutItem']],
  ],
  // DynamoOutbox pages/remove/failed and put (coverage findings), CoverageTracker's state.
  publisher: [
    [['v#*'], ['dynamodb:GetItem', 'dynamodb:PutItem']],
    [['outbox#pending'], ['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:UpdateItem']],
  ],
  // Delivery marks and the account directory.
  notifier: [[['v#*'], ['dynamodb:GetItem', 'dynamodb:PutItem']]],
  // The directory snapshot and coverage state, coverage findings into the outbox.
  onboarding: [
    [['v#*'], ['dynamodb:GetItem', 'dynamodb:PutItem']],
    [['outbox#pending'], ['dynamodb:UpdateItem']],
  ],
  // DynamoStateStore get/put (baselines, progress, the directory snapshot), DynamoOutbox.put (findings).
  statistics: [
    [['v#*'], ['dynamodb:GetItem', 'dynamodb:PutItem']],
    [['outbox#pending'], ['dynamodb:UpdateItem']],
  ],
};
const STREAM_READERS = new Set(['publisher', 'notifier']);

describe('the state table', () => {
  const roles = () => ({
    detector: s.stacks.central.detector.role,
    publisher: s.stacks.central.delivery.publisher.role,
    notifier: s.stacks.central.delivery.notifier.role,
    onboarding: s.stacks.central.onboarding.function.role,
    statistics: s.stacks.central.statistics.function.role,
  });

  it.each(Object.keys(STATE_CALLS))('lets the %s make only the calls it makes, each on the partitions it uses', (name) => {
    const role = roles()[name as keyof ReturnType<typeof roles>];
    const tableId = logicalId(s.stacks.central.state.table);
    const table = { 'Fn::GetAtt': [tableId, 'Arn'] };
    const stream = { 'Fn::GetAtt': [tableId, 'StreamArn'] };
    const dynamo = roleStatements(central, logicalId(role)).filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
    const onTable = dynamo.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(table));
    const onStream = dynamo.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(stream));
    expect(onTable.length + onStream.length, 'DynamoDB statements on other resources').toBe(dynamo.length);
    expect(onTable.map((st) => [st.Condition, actionsOf(st).sort()]).sort(byJson)).toEqual(
      STATE_CALLS[name]!.map(([keys, actions]) => [{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } }, actions]).sort(byJson),
    );
    expect(onStream.flatMap(actionsOf).sort()).toEqual(STREAM_READERS.has(name) ? ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'] : []);
  });

  it('is scanned or described by no function (neither can be limited to partitions)', () => {
    for (const role of Object.values(roles())) {
      const actions = roleStatements(central, logicalId(role)).flatMap(actionsOf);
      expect(actions.filter((a) => /^dynamodb:(Scan|DescribeTable|\*)/.test(a)), logicalId(role)).toEqual([]);
    }
  });
});

describe('the statistics function in S3', () => {
  it('reads and lists only the flow-log and WAF prefixes, and on its results bucket may do what Athena needs, deleting nothing', () => {
    const role = s.stacks.central.statistics.function.role;
    const statements = roleStatements(central, logicalId(role)).filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
    const archive = `:s3:::${s.config.logArchive.bucketName}`;
    const archiveArn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), `${archive}${suffix}`]] });
    const results = { 'Fn::GetAtt': [logicalId(s.stacks.central.statistics.results), 'Arn'] };
    expect(statements.map((st) => ({ ...st, Action: actionsOf(st).sort() })).sort((a, b) => a.Sid!.localeCompare(b.Sid!))).toEqual([
      {
        Sid: 'ListFlowAndWafLogs',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: archiveArn(''),
        Condition: { StringLike: { 's3:prefix': ['flowlogs/AWSLogs/*', 'waf/AWSLogs/*'] } },
      },
      { Sid: 'LocateLogArchive', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: archiveArn('') },
      { Sid: 'ReadFlowAndWafLogs', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [archiveArn('/flowlogs/AWSLogs/*'), archiveArn('/waf/AWSLogs/*')] },
      { Sid: 'UseQueryResultsBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: results },
      {
        Sid: 'WriteQueryResults',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [results, '/results/*']] },
      },
    ]);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
  });
});
