/**
 * What the deployment must never lose: the StackSet's service-managed auto-deployment, the bus's
 * organization condition, the FindingWriter trust, dead-letter queues, state durability, forwarding
 * rules in every region, encryption and TLS, least privilege, and a member template a StackSet can
 * carry. The app is synthesized once, with cdk-nag's AwsSolutions checks on.
 */
import { App } from 'aws-cdk-lib';
import { Template as Assertions } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CENTRAL_BUS_NAME, FINDING_WRITER_ROLE_NAME, MEMBER_STACK_SET_NAME, PUBLISHER_ROLE_NAME, centralBusArn } from '../../stacks/names.js';
import { CentralStack } from '../../stacks/central/central-stack.js';
import { TEMPLATE_BODY_LIMIT } from '../../stacks/member/member-template.js';
import { findingsLayout, LOG_TABLE_LAYOUTS, tableParameters } from '../../stacks/central/log-table-layouts.js';
import { actionsOf, roleStatements, statementsOf } from './policies.js';
import { resourcesOfType, synthesizeSkywatch, type Synthesized, type Template } from './synthesized.js';

let s: Synthesized;
let member: Template;
let central: Template;
let all: Array<[string, Template]>;

beforeAll(async () => {
  s = await synthesizeSkywatch();
  member = s.stacks.memberTemplate.template as Template;
  central = s.template('SkywatchCentral');
  all = [...s.assembly.stacks.map((stack) => [stack.stackName, stack.template as Template] as [string, Template]), ['member template', member]];
}, 120_000);

/** The names of a template's roles allowed to put events on the central bus, `<AWS::Region>` for the region. */
function centralBusSenders(template: Template): string[] {
  const render = (name: any): string => (typeof name === 'string' ? name : name['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join(''));
  return resourcesOfType(template, 'AWS::IAM::Role')
    .filter(([id]) => roleStatements(template, id).some((st) => actionsOf(st).includes('events:PutEvents')))
    .map(([, role]) => render(role.Properties!.RoleName))
    .sort();
}

/** Replaces asset hashes so the snapshot changes only when the infrastructure does. */
function withoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[a-f0-9]{64}(\.zip)?/g, '<asset-hash>'));
}

describe('the member StackSet', () => {
  it('is service-managed, auto-deploys to the configured OUs and regions, and carries the member template inline', () => {
    const [[, stackSet]] = resourcesOfType(s.template(`SkywatchManagement-${s.config.homeRegion}`), 'AWS::CloudFormation::StackSet') as any;
    expect(stackSet.Properties).toMatchObject({
      StackSetName: MEMBER_STACK_SET_NAME,
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      ManagedExecution: { Active: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: s.config.targetOrganizationalUnits }, Regions: s.config.memberRegions }],
      OperationPreferences: { MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10, RegionConcurrencyType: 'PARALLEL' },
    });
    expect(stackSet.Properties.OperationPreferences.RegionOrder[0]).toBe('us-east-1');
    expect(stackSet.Properties.TemplateBody).toBe(s.stacks.memberTemplate.body);
  });

  it('exists only in the home region of the management account', () => {
    const withStackSet = s.stacks.management.filter((stack) => resourcesOfType(s.template(stack.stackName), 'AWS::CloudFormation::StackSet').length > 0);
    expect(withStackSet.map((stack) => stack.region)).toEqual([s.config.homeRegion]);
  });
});

describe('the member template', () => {
  it('fits the inline template limit and has no transform, assets, bootstrap rule or CDK metadata', () => {
    const body = s.stacks.memberTemplate.body;
    expect(Buffer.byteLength(body)).toBeLessThan(TEMPLATE_BODY_LIMIT);
    expect(Object.keys(member.Resources).length).toBeLessThan(500);
    expect(member.Transform).toBeUndefined();
    expect(member.Rules).toBeUndefined();
    expect(member.Parameters.BootstrapVersion).toBeUndefined();
    expect(resourcesOfType(member, 'AWS::CDK::Metadata')).toEqual([]);
    expect(body).not.toMatch(/aws:cdk:path|aws:asset|cdk-hnb659fds/);
    expect(body).not.toMatch(/\d{12}:(?!role|event-bus)/);
  });

  it('loads the scanner code from the per-region asset bucket named by parameters', () => {
    const [[, scanner]] = resourcesOfType(member, 'AWS::Lambda::Function') as any;
    expect(scanner.Properties.Code).toEqual({ S3Bucket: { 'Fn::Join': ['-', [{ Ref: 'AssetBucketPrefix' }, { Ref: 'AWS::Region' }]] }, S3Key: { Ref: 'ScannerCodeKey' } });
    expect(scanner.Properties.Architectures).toEqual(['x86_64']);
    expect(member.Parameters.ScannerCodeKey.Default).toBe(s.stacks.assets[0]!.scannerCodeKey);
    expect(member.Parameters.CentralEventBusArn.Default).toBe(centralBusArn(s.config.centralAccountId, s.config.homeRegion));
  });

  it('gives the scanner its per-object YARA time from the configuration', () => {
    const [[, scanner]] = resourcesOfType(member, 'AWS::Lambda::Function') as any;
    expect(scanner.Properties.Environment.Variables.YARA_TIMEOUT_SECONDS).toBe(String(s.config.scanner.yaraTimeoutSeconds));
    expect(s.config.scanner.yaraTimeoutSeconds).toBe(20);
  });

  it('creates the FindingWriter role in the home region only, trusted by the publisher role alone and inside the organization', () => {
    const roles = resourcesOfType(member, 'AWS::IAM::Role').filter(([, role]) => role.Properties?.RoleName === FINDING_WRITER_ROLE_NAME);
    expect(roles).toHaveLength(1);
    const [, role] = roles[0]!;
    expect(role.Condition).toBe('IsHomeRegion');
    expect(member.Conditions.IsHomeRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'HomeRegion' }] });
    expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { Ref: 'PublisherRoleArn' } }, Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } } },
    ]);
    expect(member.Parameters.PublisherRoleArn.Default).toBe(`arn:aws:iam::${s.config.centralAccountId}:role/${PUBLISHER_ROLE_NAME}`);
    const actions = role.Properties!.Policies.flatMap((p: any) => p.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
    expect(actions).toEqual(['securityhub:BatchImportFindings']);
  });

  it('has one forwarding rule per pattern, each sending to the central bus with a role and a dead-letter queue', () => {
    const forwarding = resourcesOfType(member, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties?.Targets?.[0]?.Id === 'CentralBus');
    expect(forwarding).toHaveLength(s.patterns.length);
    expect(s.patterns.length).toBeGreaterThanOrEqual(10);
    for (const [, rule] of forwarding) {
      expect(rule.Properties!.EventBusName).toBeUndefined();
      expect(rule.Properties!.Targets[0]).toMatchObject({ Arn: { Ref: 'CentralEventBusArn' }, RoleArn: expect.anything(), DeadLetterConfig: { Arn: expect.anything() } });
      expect(JSON.stringify(rule.Properties!.EventPattern).length).toBeLessThanOrEqual(2048);
    }
    expect(forwarding.map(([, rule]) => rule.Properties!.EventPattern)).toEqual(s.patterns.map((p) => p.pattern));
  });

  it('forwards GuardDuty findings and Config compliance changes about its own account only', () => {
    const detailOf = (source: string) => resourcesOfType(member, 'AWS::Events::Rule').find(([, rule]) => rule.Properties?.EventPattern?.source?.[0] === source)![1].Properties!.EventPattern.detail;
    expect(detailOf('aws.guardduty')).toEqual({ accountId: [{ Ref: 'AWS::AccountId' }] });
    expect(detailOf('aws.config')).toEqual({ awsAccountId: [{ Ref: 'AWS::AccountId' }] });
  });

  it('names the roles that put events on the central bus per region, as the bus policy admits them', () => {
    expect(centralBusSenders(member)).toEqual(['skywatch-forwarder-<AWS::Region>', 'skywatch-scanner-<AWS::Region>']);
  });

  it('lets the scanner read only opted-in buckets of its own account', () => {
    const read = statementsOf(member).find(({ statement }) => statement.Sid === 'ReadOptedInObjects')!.statement;
    expect(read.Condition!.StringEquals).toEqual({ 'aws:ResourceAccount': { Ref: 'AWS::AccountId' }, [`aws:ResourceTag/${s.config.scanner.optInTagKey}`]: s.config.scanner.optInTagValue });
  });
});

describe('the management account', () => {
  it('has the same forwarding rules as members in every member region, and the Organizations rule in us-east-1 only', () => {
    for (const stack of s.stacks.management) {
      const template = s.template(stack.stackName);
      const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties?.Targets?.[0]?.Id === 'CentralBus');
      const organizations = rules.filter(([, rule]) => rule.Properties!.EventPattern.source?.[0] === 'aws.organizations');
      expect(rules.length - organizations.length).toBe(s.patterns.length);
      expect(organizations.length).toBe(stack.region === 'us-east-1' ? 1 : 0);
    }
    const [[, organizations]] = resourcesOfType(s.template('SkywatchManagement-us-east-1'), 'AWS::Events::Rule').filter(([, rule]) => rule.Properties?.EventPattern?.source?.[0] === 'aws.organizations') as any;
    expect(organizations.Properties.EventPattern.detail.eventName).toEqual(['CreateAccountResult', 'AcceptHandshake', 'MoveAccount', 'AccountJoinedOrganization', 'RemoveAccountFromOrganization']);
    expect(organizations.Properties.Targets[0].Arn).toBe(centralBusArn(s.config.centralAccountId, s.config.homeRegion));
  });

  it('forwards GuardDuty findings and Config compliance changes about the management account itself only', () => {
    for (const stack of s.stacks.management) {
      const patterns = resourcesOfType(s.template(stack.stackName), 'AWS::Events::Rule').map(([, rule]) => rule.Properties?.EventPattern);
      expect(patterns.find((p) => p?.source?.[0] === 'aws.guardduty').detail, stack.stackName).toEqual({ accountId: [{ Ref: 'AWS::AccountId' }] });
      expect(patterns.find((p) => p?.source?.[0] === 'aws.config').detail, stack.stackName).toEqual({ awsAccountId: [{ Ref: 'AWS::AccountId' }] });
    }
  });

  it('names the roles that put events on the central bus as the members\' are, and the Organizations events role', () => {
    for (const stack of s.stacks.management) {
      expect(centralBusSenders(s.template(stack.stackName)), stack.stackName).toEqual([
        'skywatch-forwarder-<AWS::Region>',
        ...(stack.region === 'us-east-1' ? ['skywatch-organization-events'] : []),
        'skywatch-scanner-<AWS::Region>',
      ]);
    }
  });

  it('creates its own FindingWriter in the home region only', () => {
    const writers = s.stacks.management.map((stack) => resourcesOfType(s.template(stack.stackName), 'AWS::IAM::Role').filter(([, role]) => role.Properties?.RoleName === FINDING_WRITER_ROLE_NAME).length);
    expect(writers).toEqual(s.stacks.management.map((stack) => (stack.region === s.config.homeRegion ? 1 : 0)));
  });

  it('designates the central account as Security Hub administrator in every member region', () => {
    expect(s.stacks.admins.map((stack) => [stack.region, resourcesOfType(s.template(stack.stackName), 'AWS::SecurityHub::DelegatedAdmin')[0]![1].Properties!.AdminAccountId])).toEqual(
      s.config.memberRegions.map((region) => [region, s.config.centralAccountId]),
    );
  });
});

describe('the central account', () => {
  it('lets only the roles Skywatch puts in accounts of the organization put events on the skywatch bus', () => {
    const [[busId, bus]] = resourcesOfType(central, 'AWS::Events::EventBus') as any;
    expect(bus.Properties.Name).toBe(CENTRAL_BUS_NAME);
    const policies = resourcesOfType(central, 'AWS::Events::EventBusPolicy');
    expect(policies).toHaveLength(1);
    const role = (account: string, name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/${name}`]] });
    expect(policies[0]![1].Properties!.Statement).toEqual({
      Sid: 'cdk-SkywatchRolesPutEvents',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': s.config.organizationId },
        ArnLike: {
          'aws:PrincipalArn': [role('*', 'skywatch-forwarder-*'), role('*', 'skywatch-scanner-*'), role(s.config.managementAccountId, 'skywatch-organization-events')],
        },
      },
    });
  });

  it('keeps state with TTL, point-in-time recovery and encryption, and streams it to delivery', () => {
    const [[, table]] = resourcesOfType(central, 'AWS::DynamoDB::GlobalTable') as any;
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  it('tells the detector where correlation findings are filed: this account, the home region, and where its rules are', () => {
    const [[, detector]] = resourcesOfType(central, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('Detector')) as any;
    expect(detector.Properties.Environment.Variables).toMatchObject({
      CENTRAL_ACCOUNT_ID: s.config.centralAccountId,
      HOME_REGION: s.config.homeRegion,
      RULES_DIR: 'rules',
    });
  });

  it('tells the statistics function its table, workgroup, database, scan cutoff and rules folder', () => {
    const [[, statistics]] = resourcesOfType(central, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('Statistics')) as any;
    expect(statistics.Properties.Environment.Variables).toMatchObject({
      ATHENA_WORKGROUP: 'skywatch',
      GLUE_DATABASE: 'skywatch_logs',
      ATHENA_BYTES_CUTOFF: String(s.config.athenaBytesScannedCutoffGb * 1024 ** 3),
      STATE_RETENTION_DAYS: String(s.config.stateRetentionDays),
      RULES_DIR: 'rules',
    });
    expect(statistics.Properties.Description).toBe('Skywatch: flow-log and WAF statistics over Athena, findings into the outbox');
  });

  it('feeds the detector from the bus queue and the trail queue, reporting per-record failures, each at most detectorMaxConcurrency at once', () => {
    const mappings = resourcesOfType(central, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => JSON.stringify(m.Properties!.FunctionName).includes('Detector'));
    expect(mappings).toHaveLength(2);
    expect(s.config.detectorMaxConcurrency).toBe(10);
    for (const [, mapping] of mappings) {
      expect(mapping.Properties!.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(mapping.Properties!.ScalingConfig).toEqual({ MaximumConcurrency: 10 });
    }
  });

  it('takes the detector\'s maximum concurrency from the configuration', () => {
    // The context buildSkywatch sets for the access-log buckets.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
    const probe = new CentralStack(app, 'Probe', { config: { ...s.config, detectorMaxConcurrency: 250 } });
    const mappings = Object.values(Assertions.fromStack(probe).findResources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName).includes('Detector'));
    expect(mappings.map((m) => m.Properties.ScalingConfig)).toEqual([{ MaximumConcurrency: 250 }, { MaximumConcurrency: 250 }]);
  });

  it('accepts trail notifications only from the log archive bucket and account', () => {
    const trailPolicy = resourcesOfType(central, 'AWS::SQS::QueuePolicy')
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement)
      .find((st: any) => st.Sid === 'LogArchiveNotifies');
    expect(trailPolicy.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': `arn:aws:s3:::${s.config.logArchive.bucketName}` }, StringEquals: { 'aws:SourceAccount': s.config.logArchive.accountId } });
  });

  it('names the publisher role the member template trusts, and lets it assume only FindingWriter roles of the organization', () => {
    const [[id, role]] = resourcesOfType(central, 'AWS::IAM::Role').filter(([, r]) => r.Properties?.RoleName === PUBLISHER_ROLE_NAME) as any;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    const assume = statementsOf(central).find(({ owner, statement }) => owner.startsWith('DeliveryPublisherRoleDefaultPolicy') && statement.Action === 'sts:AssumeRole');
    expect(id).toMatch(/^DeliveryPublisherRole/);
    expect(assume!.statement.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${FINDING_WRITER_ROLE_NAME}`]] });
    expect(assume!.statement.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': s.config.organizationId } });
  });

  it('encrypts the notification topic with a rotating customer key and subscribes the configured email', () => {
    const [[, topic]] = resourcesOfType(central, 'AWS::SNS::Topic') as any;
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(resourcesOfType(central, 'AWS::KMS::Key')[0]![1].Properties!.EnableKeyRotation).toBe(true);
    expect(resourcesOfType(central, 'AWS::SNS::Subscription')[0]![1].Properties).toMatchObject({ Protocol: 'email', Endpoint: s.config.notifications.email });
    expect(resourcesOfType(central, 'AWS::SecretsManager::Secret')[0]![1].Properties!.Name).toBe(s.config.notifications.slackWebhookSecretName);
  });

  it('limits every Athena query by bytes scanned and enforces the workgroup settings', () => {
    const [[, workgroup]] = resourcesOfType(central, 'AWS::Athena::WorkGroup') as any;
    expect(workgroup.Properties.WorkGroupConfiguration).toMatchObject({ EnforceWorkGroupConfiguration: true, BytesScannedCutoffPerQuery: 10 * 1024 ** 3 });
  });

  it('defines the log tables with the projection of the documented layouts for the configured archive', () => {
    const tables = resourcesOfType(central, 'AWS::Glue::Table').map(([, t]) => t.Properties!.TableInput);
    const archive = {
      bucketName: s.config.logArchive.bucketName,
      organizationId: s.config.organizationId,
      trailPrefix: s.config.logArchive.trailPrefix,
      flowLogsPrefix: s.config.logArchive.flowLogsPrefix,
      wafPrefix: s.config.logArchive.wafPrefix,
      regions: s.config.memberRegions,
      projectionStart: '2024/01/01',
    };
    const layouts = [...LOG_TABLE_LAYOUTS, findingsLayout];
    expect(tables.map((t: any) => t.Name).sort()).toEqual(layouts.map((l) => l.name).sort());
    for (const layout of layouts) {
      const table = tables.find((t: any) => t.Name === layout.name);
      expect(table.Parameters).toMatchObject(tableParameters(layout, archive as never));
      expect(table.PartitionKeys.map((k: any) => k.Name)).toEqual(layout.partitionKeys.map((k) => k.name));
    }
    expect(tables.find((t: any) => t.Name === 'cloudtrail').Parameters['storage.location.template']).toBe(
      `s3://${s.config.logArchive.bucketName}/AWSLogs/${s.config.organizationId}/\${account}/CloudTrail/\${region}/\${day}`,
    );
  });

  it('aggregates Security Hub findings from the other member regions', () => {
    const [[, aggregator]] = resourcesOfType(central, 'AWS::SecurityHub::FindingAggregator') as any;
    expect(aggregator.Properties).toEqual({ RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: s.config.memberRegions.filter((r) => r !== s.config.homeRegion) });
  });
});

describe('every stack', () => {
  it('gives every work queue a dead-letter queue, and every other queue is one', () => {
    for (const [name, template] of all) {
      const queues = resourcesOfType(template, 'AWS::SQS::Queue');
      const text = JSON.stringify(template);
      for (const [id, queue] of queues) {
        const usedAsDeadLetter = [...text.matchAll(/"(deadLetterTargetArn|DeadLetterConfig|Destination)":\{?"?(Arn)?"?:?\{"Fn::GetAtt":\["([^"]+)"/g)].some((m) => m[3] === id);
        expect(queue.Properties?.RedrivePolicy !== undefined || usedAsDeadLetter, `${name} ${id}`).toBe(true);
        expect(queue.Properties?.SqsManagedSseEnabled, `${name} ${id} encryption`).toBe(true);
      }
    }
  });

  it('blocks public access, encrypts and enforces TLS on every bucket', () => {
    for (const [name, template] of all) {
      const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
      for (const [id, bucket] of resourcesOfType(template, 'AWS::S3::Bucket')) {
        expect(bucket.Properties!.PublicAccessBlockConfiguration, `${name} ${id}`).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
        expect(bucket.Properties!.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
        const policy = policies.find(([, p]) => p.Properties!.Bucket.Ref === id);
        const denyInsecure = policy?.[1].Properties!.PolicyDocument.Statement.find((st: any) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false');
        expect(denyInsecure, `${name} ${id} TLS`).toBeDefined();
      }
    }
  });

  it('grants "*" resources only for actions that have no resource-level permissions', () => {
    const allowed = new Set(['organizations:ListAccounts', 'organizations:ListRoots']);
    for (const [name, template] of all) {
      for (const { owner, statement } of statementsOf(template)) {
        if ([statement.Resource].flat().includes('*')) {
          for (const action of [statement.Action].flat()) expect(allowed.has(action), `${name} ${owner} ${action}`).toBe(true);
        }
      }
    }
  });

  it('keeps Lambda functions on a current Node.js runtime with log groups of their own', () => {
    for (const [name, template] of all) {
      for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
        if (fn.Properties!.Runtime?.startsWith('python')) {
          expect(name, 'only CDK\'s BucketDeployment provider runs Python').toMatch(/^SkywatchMemberAssets-/);
          continue;
        }
        expect(fn.Properties!.Runtime, `${name} ${id}`).toBe('nodejs24.x');
        expect(fn.Properties!.LoggingConfig?.LogGroup, `${name} ${id}`).toBeDefined();
      }
    }
  });
});

it('matches the snapshot of the member and central templates (asset hashes stripped)', () => {
  expect(withoutAssetHashes({ member, central })).toMatchSnapshot();
});
