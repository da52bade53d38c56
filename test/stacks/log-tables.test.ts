import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderLocation } from '../../stacks/central/log-table-layouts.js';
import { FINDINGS_TABLE, FLOW_LOGS_TABLE, LogTables, TRAIL_TABLE, WAF_TABLE, type LogTablesProps } from '../../stacks/central/log-tables.js';

const props: LogTablesProps = {
  databaseName: 'skywatch_logs',
  bucketName: 'example-log-archive',
  organizationId: 'o-exampleorgid',
  trailPrefix: '',
  flowLogsPrefix: 'flow/',
  wafPrefix: 'waf/',
  regions: ['us-east-1', 'eu-west-1'],
  projectionStart: '2024/06/01',
};

interface TableInput {
  Name: string;
  TableType: string;
  Parameters: Record<string, string>;
  PartitionKeys: { Name: string; Type: string }[];
  StorageDescriptor: {
    Location: string;
    InputFormat: string;
    OutputFormat: string;
    Compressed: boolean;
    SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
    Columns: { Name: string; Type: string }[];
  };
}

let template: Template;
let tables: Record<string, TableInput>;

beforeAll(() => {
  const stack = new Stack(new App(), 'LogTablesTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  new LogTables(stack, 'LogTables', props);
  template = Template.fromStack(stack);
  const resources = template.findResources('AWS::Glue::Table') as Record<string, { Properties: { TableInput: TableInput } }>;
  tables = Object.fromEntries(Object.values(resources).map((r) => [r.Properties.TableInput.Name, r.Properties.TableInput]));
});

const table = (name: string): TableInput => {
  const found = tables[name];
  if (!found) throw new Error(`no table ${name}`);
  return found;
};
const keys = (name: string) => table(name).PartitionKeys;
const parameters = (name: string) => table(name).Parameters;
const dayProjection = {
  'projection.day.type': 'date',
  'projection.day.format': 'yyyy/MM/dd',
  'projection.day.range': '2024/06/01,NOW',
  'projection.day.interval': '1',
  'projection.day.interval.unit': 'DAYS',
};

describe('LogTables', () => {
  it('creates one database and exactly the three log tables and the findings table in it', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'skywatch_logs' } });
    expect(Object.keys(tables).sort()).toEqual([TRAIL_TABLE, FLOW_LOGS_TABLE, WAF_TABLE, FINDINGS_TABLE].sort());
    expect([TRAIL_TABLE, FLOW_LOGS_TABLE, WAF_TABLE, FINDINGS_TABLE]).toEqual(['cloudtrail', 'vpc_flow_logs', 'waf_logs', 'findings']);
    for (const t of Object.values(tables)) {
      expect(t.TableType).toBe('EXTERNAL_TABLE');
      expect(t.Parameters.EXTERNAL).toBe('TRUE');
      expect(t.Parameters['projection.enabled']).toBe('true');
      // The log sources deliver gzip; the publisher writes the findings archive uncompressed.
      expect(t.StorageDescriptor.Compressed, t.Name).toBe(t.Name !== FINDINGS_TABLE);
    }
  });

  it('partitions every table by account, region and day, and WAF also by web ACL', () => {
    const s = (name: string) => ({ Name: name, Type: 'string' });
    expect(keys(TRAIL_TABLE)).toEqual([s('account'), s('region'), s('day')]);
    expect(keys(FLOW_LOGS_TABLE)).toEqual([s('account'), s('region'), s('day')]);
    expect(keys(WAF_TABLE)).toEqual([s('account'), s('region'), s('webacl'), s('day')]);
  });

  it('projects injected accounts, the member regions (and CloudFront for WAF) and days from the start date until now', () => {
    for (const name of [TRAIL_TABLE, FLOW_LOGS_TABLE, WAF_TABLE]) {
      expect(parameters(name)).toMatchObject({
        'projection.account.type': 'injected',
        'projection.region.type': 'enum',
        'projection.region.values': name === WAF_TABLE ? 'us-east-1,eu-west-1,cloudfront' : 'us-east-1,eu-west-1',
        ...dayProjection,
      });
      expect(parameters(name)['projection.account.values']).toBeUndefined();
    }
    expect(parameters(WAF_TABLE)['projection.webacl.type']).toBe('injected');
  });

  it('points each location template at the documented folder layout', () => {
    expect(parameters(TRAIL_TABLE)['storage.location.template']).toBe(
      's3://example-log-archive/AWSLogs/o-exampleorgid/${account}/CloudTrail/${region}/${day}',
    );
    expect(parameters(FLOW_LOGS_TABLE)['storage.location.template']).toBe(
      's3://example-log-archive/flow/AWSLogs/${account}/vpcflowlogs/${region}/${day}',
    );
    expect(parameters(WAF_TABLE)['storage.location.template']).toBe(
      's3://example-log-archive/waf/AWSLogs/${account}/WAFLogs/${region}/${webacl}/${day}',
    );
    expect(table(TRAIL_TABLE).StorageDescriptor.Location).toBe('s3://example-log-archive/AWSLogs/o-exampleorgid/');
    expect(table(FLOW_LOGS_TABLE).StorageDescriptor.Location).toBe('s3://example-log-archive/flow/AWSLogs/');
    expect(table(WAF_TABLE).StorageDescriptor.Location).toBe('s3://example-log-archive/waf/AWSLogs/');
  });

  it('renders partitions that contain real object keys of each source', () => {
    const values = { account: '111122223333', region: 'eu-west-1', day: '2024/11/25', webacl: 'storefront-acl' };
    const folder = (name: string) => `${renderLocation(parameters(name)['storage.location.template']!, values)}/`;
    const object = (key: string) => `s3://example-log-archive/${key}`;
    expect(
      object('AWSLogs/o-exampleorgid/111122223333/CloudTrail/eu-west-1/2024/11/25/111122223333_CloudTrail_eu-west-1_20241125T1750Z_abc.json.gz'),
    ).toMatch(startOf(folder(TRAIL_TABLE)));
    expect(
      object('flow/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/11/25/111122223333_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20241125T1750Z_1a2b3c4d.log.gz'),
    ).toMatch(startOf(folder(FLOW_LOGS_TABLE)));
    // WAF keys go down to HH/mm: the day partition holds them as sub-folders.
    expect(
      object('waf/AWSLogs/111122223333/WAFLogs/eu-west-1/storefront-acl/2024/11/25/17/50/111122223333_waflogs_eu-west-1_storefront-acl_20241125T1750Z_1a2b3c4d.log.gz'),
    ).toMatch(startOf(folder(WAF_TABLE)));
    // Digest files sit next to the trail, in another format: no partition may include them.
    expect(
      object('AWSLogs/o-exampleorgid/111122223333/CloudTrail-Digest/eu-west-1/2024/11/25/111122223333_CloudTrail-Digest_eu-west-1_trail_us-east-1_20241125T175000Z.json.gz'),
    ).not.toMatch(startOf(folder(TRAIL_TABLE)));
  });

  it('reads the org trail as CloudTrail records with the documented columns', () => {
    const trail = table(TRAIL_TABLE);
    expect(trail.StorageDescriptor.InputFormat).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(trail.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
    const columns = Object.fromEntries(trail.StorageDescriptor.Columns.map((c) => [c.Name, c.Type]));
    for (const name of ['eventversion', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent',
      'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'additionaleventdata', 'requestid', 'eventid',
      'readonly', 'eventtype', 'apiversion', 'recipientaccountid', 'serviceeventdetails', 'sharedeventid', 'vpcendpointid']) {
      expect(columns[name], name).toBe('string');
    }
    expect(columns.resources).toBe('array<struct<arn:string,accountid:string,type:string>>');
    expect(columns.useridentity).toContain('sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>');
    expect(columns.tlsdetails).toBe('struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>');
  });

  it('reads flow logs as space-separated v2 records after a header line', () => {
    const flow = table(FLOW_LOGS_TABLE);
    expect(flow.StorageDescriptor.Columns.map((c) => `${c.Name} ${c.Type}`)).toEqual([
      'version int', 'account_id string', 'interface_id string', 'srcaddr string', 'dstaddr string', 'srcport int',
      'dstport int', 'protocol bigint', 'packets bigint', 'bytes bigint', 'start bigint', 'end bigint', 'action string',
      'log_status string',
    ]);
    expect(flow.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      Parameters: { 'field.delim': ' ', 'serialization.format': ' ' },
    });
    expect(flow.Parameters['skip.header.line.count']).toBe('1');
  });

  it('reads WAF logs as JSON lines with the request and labels', () => {
    const waf = table(WAF_TABLE);
    expect(waf.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(waf.Parameters.classification).toBe('json');
    const columns = Object.fromEntries(waf.StorageDescriptor.Columns.map((c) => [c.Name, c.Type]));
    expect(columns.timestamp).toBe('bigint');
    expect(columns.httprequest).toBe(
      'struct<clientip:string,country:string,headers:array<struct<name:string,value:string>>,uri:string,args:string,'
        + 'httpversion:string,httpmethod:string,requestid:string>',
    );
    expect(columns.labels).toBe('array<struct<name:string>>');
    for (const name of ['formatversion', 'webaclid', 'terminatingruleid', 'terminatingruletype', 'action', 'httpsourcename',
      'httpsourceid', 'rulegrouplist', 'ratebasedrulelist', 'nonterminatingmatchingrules', 'requestheadersinserted',
      'responsecodesent', 'ja3fingerprint']) {
      expect(columns[name], name).toBeDefined();
    }
  });

  it('projects from 2024/01/01 when no start day is given', () => {
    const stack = new Stack(new App(), 'DefaultStart');
    const { trailTable } = new LogTables(stack, 'LogTables', { ...props, projectionStart: undefined });
    const input = trailTable.tableInput as { parameters: Record<string, string> };
    expect(input.parameters['projection.day.range']).toBe('2024/01/01,NOW');
  });

  it.each([
    ['organizationId', { organizationId: 'o-short' }],
    ['organizationId', { organizationId: 'O-EXAMPLEORGID' }],
    ['trailPrefix', { trailPrefix: 'trail' }],
    ['flowLogsPrefix', { flowLogsPrefix: '/flow/' }],
    ['wafPrefix', { wafPrefix: 'waf//' }],
    ['regions', { regions: [] }],
    ['regions', { regions: ['eu-west-1,us-east-1'] }],
    ['projectionStart', { projectionStart: '2024-01-01' }],
    ['databaseName', { databaseName: 'Skywatch-Logs' }],
    ['bucketName', { bucketName: 'Example_Bucket' }],
  ] as const)('rejects a bad %s', (prop, override) => {
    const stack = new Stack(new App(), 'Invalid');
    expect(() => new LogTables(stack, 'LogTables', { ...props, ...override })).toThrow(new RegExp(`\\b${prop}\\b`));
  });
});

/** A regular expression matching strings that start with `prefix` literally. */
function startOf(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);
}
