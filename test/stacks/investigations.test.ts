/**
 * The investigations in the synthesized central stack: one Athena named query per file of
 * rules/queries/ in the workgroup, a Glue table over the OCSF findings archive, and the read-only
 * investigator role, trusted only by the configured principal and allowed only to query.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { namedSites, positional } from '../../central/core/query/named-sql.js';
import { loadInvestigationFolders } from '../../central/local/investigation-files.js';
import { INVESTIGATOR_ROLE_NAME } from '../../stacks/central/investigations.js';
import { actionsOf, logicalId, roleStatements } from './policies.js';
import { resourcesOfType, synthesizeSkywatch, type Synthesized, type Template } from './synthesized.js';

let s: Synthesized;
let central: Template;
const investigations = loadInvestigationFolders().investigations;

beforeAll(async () => {
  s = await synthesizeSkywatch();
  central = s.template('SkywatchCentral');
}, 120_000);

describe('the investigations in the central stack', () => {
  it('has one named query per investigation, in the skywatch workgroup and the log database, its parameters as ?', () => {
    const queries = resourcesOfType(central, 'AWS::Athena::NamedQuery').map(([, r]) => r.Properties!);
    expect(queries.map((q) => q.Name).sort()).toEqual(investigations.map((q) => `skywatch-${q.name}`).sort());
    const workgroup = resourcesOfType(central, 'AWS::Athena::WorkGroup').map(([id, r]) => [id, r.Properties!.Name]);
    expect(workgroup).toHaveLength(1);
    for (const q of investigations) {
      const named = queries.find((n) => n.Name === `skywatch-${q.name}`)!;
      expect({ database: named.Database, workGroup: named.WorkGroup }).toEqual({ database: 'skywatch_logs', workGroup: 'skywatch' });
      expect(named.QueryString).toBe(positional(q.sql, () => ['?']).sql);
      expect(namedSites(named.QueryString)).toEqual([]);
      // The console asks for each ? in turn: the description names them in the order of the placeholders.
      expect(named.Description).toBe(`${q.title}. Parameters in order: ${namedSites(q.sql).map((site) => site.name).join(', ')} (accounts: one account id here; skywatch query run binds several).`);
      expect(named.Description).toContain('accounts');
    }
    const [id] = workgroup[0]!;
    const dependent = resourcesOfType(central, 'AWS::Athena::NamedQuery').filter(([, r]) => ([] as string[]).concat((r as { DependsOn?: string[] }).DependsOn ?? []).includes(id as string));
    expect(dependent).toHaveLength(investigations.length);
  });

  it('defines a findings table over the OCSF archive, partitioned as the publisher writes it', () => {
    const tables = resourcesOfType(central, 'AWS::Glue::Table').map(([, r]) => r.Properties!.TableInput);
    const findings = tables.find((t) => t.Name === 'findings');
    expect(tables.map((t) => t.Name).sort()).toEqual(['cloudtrail', 'findings', 'vpc_flow_logs', 'waf_logs']);
    expect(findings.StorageDescriptor.Location).toBe(`s3://${s.config.logArchive.bucketName}/skywatch/ocsf/`);
    expect(findings.StorageDescriptor.Compressed).toBe(false);
    expect(findings.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(findings.PartitionKeys).toEqual([{ Name: 'account', Type: 'string' }, { Name: 'region', Type: 'string' }, { Name: 'day', Type: 'string' }]);
    expect(findings.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.type': 'injected',
      'projection.region.type': 'enum',
      'projection.region.values': s.config.memberRegions.join(','),
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': '2024-01-01,NOW',
      'storage.location.template': `s3://${s.config.logArchive.bucketName}/skywatch/ocsf/account=\${account}/region=\${region}/date=\${day}`,
    });
    expect(findings.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(['class_uid', 'activity_name', 'severity_id', 'severity', 'time', 'status', 'message', 'finding_info', 'cloud', 'resources', 'metadata']);
  });
});

describe('the investigator role', () => {
  const role = () => s.stacks.central.investigations.investigatorRole!;

  it('is trusted by the configured principals only', () => {
    const resource = central.Resources[logicalId(role())]!;
    expect(resource.Properties!.RoleName).toBe(INVESTIGATOR_ROLE_NAME);
    expect(resource.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: s.config.investigatorPrincipalArns[0] } },
    ]);
  });

  it('may run queries in the workgroup and read the tables, and change nothing but its own query results', () => {
    const statements = roleStatements(central, logicalId(role()));
    const actions = statements.flatMap(actionsOf).sort();
    expect(actions).toEqual([
      'athena:BatchGetNamedQuery', 'athena:GetNamedQuery', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:ListNamedQueries', 'athena:ListQueryExecutions',
      'athena:StartQueryExecution', 'athena:StopQueryExecution',
      'glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable', 'glue:GetTables',
      's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetBucketLocation', 's3:GetObject', 's3:GetObject', 's3:ListBucket', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:PutObject',
    ]);
    const reads = statements.find((st) => st.Sid === 'ReadLogTables')!;
    const archive = s.config.logArchive;
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${archive.bucketName}/${suffix}`]] });
    expect(reads.Resource).toEqual([arn(`${archive.trailPrefix}AWSLogs/${s.config.organizationId}/*`), arn(`${archive.flowLogsPrefix}AWSLogs/*`), arn(`${archive.wafPrefix}AWSLogs/*`), arn('skywatch/ocsf/*')]);
    const put = statements.find((st) => actionsOf(st).includes('s3:PutObject'))!;
    expect(put.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(s.stacks.central.statistics.results), 'Arn'] }, '/results/*']] });
  });
});
