/**
 * The three Athena tables over the organization's log archive, as plain data: columns, SerDe,
 * S3 folder layout and partition projection. No CDK here, so tests can read the layouts too (e.g. to
 * check a real object key against a location template).
 *
 * Sources followed: the Athena user guide pages "Create the table for CloudTrail logs using
 * partition projection", "Create and query a table for Amazon VPC flow logs using partition
 * projection" and "Create a table for AWS WAF S3 logs using partition projection".
 */

/** Glue table name of the organization trail. */
export const TRAIL_TABLE = 'cloudtrail';
/** Glue table name of the VPC Flow Logs (v2 default format). */
export const FLOW_LOGS_TABLE = 'vpc_flow_logs';
/** Glue table name of the AWS WAF logs. */
export const WAF_TABLE = 'waf_logs';
/** Glue table name of our own findings, the OCSF archive the publisher writes. */
export const FINDINGS_TABLE = 'findings';
/** Where the publisher writes OCSF Detection Findings in the log archive (s3-ocsf-archive.ts). */
export const FINDINGS_PREFIX = 'skywatch/ocsf/';
/** First projected day when the deployment names none. */
export const DEFAULT_PROJECTION_START = '2024/01/01';

/** Where the logs are: everything the folder layouts and projections depend on. */
export interface LogArchive {
  /** The log archive bucket (name only, it lives in another account). */
  readonly bucketName: string;
  /** Organization id, `o-` + 10-32 lowercase letters/digits. */
  readonly organizationId: string;
  /** Prefix of the organization trail, ending in `/`, usually `''` (the trail writes AWSLogs/o-xxx/...). */
  readonly trailPrefix: string;
  /** Prefix of VPC Flow Logs, ending in `/` or ''. Files: `<prefix>AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/*.log.gz`. */
  readonly flowLogsPrefix: string;
  /** Prefix of AWS WAF logs, ending in `/` or ''. Files: `<prefix>AWSLogs/ACCOUNT/WAFLogs/REGION/WEBACL/YYYY/MM/DD/HH/mm/*.log.gz`. */
  readonly wafPrefix: string;
  /** Regions to project (the member regions). */
  readonly regions: readonly string[];
  /** First day of data, `YYYY/MM/DD`. */
  readonly projectionStart: string;
}

/** A Glue column: a lowercase name and a Hive type. */
export interface ColumnDef {
  readonly name: string;
  readonly type: string;
}

/** One table: schema, storage format and where its files live. */
export interface LogTableLayout {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnDef[];
  readonly partitionKeys: readonly ColumnDef[];
  readonly serdeLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly inputFormat: string;
  readonly outputFormat: string;
  /** Table parameters other than projection (classification, header lines). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Folder names that stand where a region would, beyond the member regions. */
  readonly extraRegions?: readonly string[];
  /** How the `day` partition is written in the folder names. @default 'yyyy/MM/dd' */
  readonly dayFormat?: 'yyyy/MM/dd' | 'yyyy-MM-dd';
  /** Whether the files are gzip. @default true */
  readonly compressed?: boolean;
  /** The table LOCATION: the common parent of every partition. */
  location(archive: LogArchive): string;
  /** `storage.location.template`: one partition's folder, with `${key}` placeholders. */
  locationTemplate(archive: LogArchive): string;
}

const S = 'string';
const struct = (fields: Record<string, string>): string =>
  `struct<${Object.entries(fields).map(([name, type]) => `${name}:${type}`).join(',')}>`;
const array = (type: string): string => `array<${type}>`;
const columns = (fields: Record<string, string>): ColumnDef[] => Object.entries(fields).map(([name, type]) => ({ name, type }));

const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const root = (archive: LogArchive, prefix: string): string => `s3://${archive.bucketName}/${prefix}AWSLogs/`;

// Every table is cut by account, region and day. Accounts are `injected`: accounts join the
// organization after deploy, so their ids cannot be listed in the table. The price: every query must
// name its accounts with `account = '...'` or `account IN (...)`, or Athena refuses it
// (CONSTRAINT_VIOLATION). `webacl` is injected for the same reason (web ACLs come and go).
const ACCOUNT = { name: 'account', type: S };
const REGION = { name: 'region', type: S };
const DAY = { name: 'day', type: S };
const WEBACL = { name: 'webacl', type: S };

const userIdentity = struct({
  type: S, principalid: S, arn: S, accountid: S, invokedby: S, accesskeyid: S, username: S,
  onbehalfof: struct({ userid: S, identitystorearn: S }),
  sessioncontext: struct({
    attributes: struct({ mfaauthenticated: S, creationdate: S }),
    sessionissuer: struct({ type: S, principalid: S, arn: S, accountid: S, username: S }),
    ec2roledelivery: S,
    webidfederationdata: struct({ federatedprovider: S, attributes: 'map<string,string>' }),
  }),
});

/**
 * The organization trail: `{"Records":[...]}` gzip files. CloudTrailInputFormat splits each file into
 * records and the Hive JSON SerDe reads them, as in AWS's partition-projection DDL (which replaced
 * the older CloudTrailSerde there). Request/response payloads stay JSON strings: their shape differs per API.
 */
export const trailLayout: LogTableLayout = {
  name: TRAIL_TABLE,
  description: 'Organization CloudTrail (management and data events) from the log archive',
  columns: columns({
    eventversion: S, useridentity: userIdentity, eventtime: S, eventsource: S, eventname: S, awsregion: S,
    sourceipaddress: S, useragent: S, errorcode: S, errormessage: S,
    requestparameters: S, responseelements: S, additionaleventdata: S,
    requestid: S, eventid: S, readonly: S, resources: array(struct({ arn: S, accountid: S, type: S })),
    eventtype: S, apiversion: S, recipientaccountid: S, serviceeventdetails: S, sharedeventid: S,
    vpcendpointid: S, vpcendpointaccountid: S, eventcategory: S,
    addendum: struct({ reason: S, updatedfields: S, originalrequestid: S, originaleventid: S }),
    sessioncredentialfromconsole: S, edgedevicedetails: S,
    tlsdetails: struct({ tlsversion: S, ciphersuite: S, clientprovidedhostheader: S }),
  }),
  partitionKeys: [ACCOUNT, REGION, DAY],
  serdeLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
  serdeParameters: {},
  inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
  outputFormat: TEXT_OUTPUT,
  parameters: { classification: 'cloudtrail' },
  location: (a) => `${root(a, a.trailPrefix)}${a.organizationId}/`,
  // CloudTrail/ only: the sibling CloudTrail-Digest/ and CloudTrail-Insight/ folders hold other formats.
  locationTemplate: (a) => `${root(a, a.trailPrefix)}${a.organizationId}/\${account}/CloudTrail/\${region}/\${day}`,
};

/**
 * VPC Flow Logs, default v2 format: space-separated text with a header line. `-` (NODATA/SKIPDATA
 * rows) reads as NULL in the numeric columns. `end` is a reserved word: quote it in queries.
 */
export const flowLogsLayout: LogTableLayout = {
  name: FLOW_LOGS_TABLE,
  description: 'VPC Flow Logs (default v2 format) from the log archive',
  columns: columns({
    version: 'int', account_id: S, interface_id: S, srcaddr: S, dstaddr: S, srcport: 'int', dstport: 'int',
    protocol: 'bigint', packets: 'bigint', bytes: 'bigint', start: 'bigint', end: 'bigint', action: S, log_status: S,
  }),
  partitionKeys: [ACCOUNT, REGION, DAY],
  serdeLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  serdeParameters: { 'field.delim': ' ', 'serialization.format': ' ' },
  inputFormat: TEXT_INPUT,
  outputFormat: TEXT_OUTPUT,
  parameters: { classification: 'csv', 'skip.header.line.count': '1' },
  location: (a) => root(a, a.flowLogsPrefix),
  // Flow logs delivered with hourly partitions add an HH/ folder below the day; it is read too (see WAF).
  locationTemplate: (a) => `${root(a, a.flowLogsPrefix)}\${account}/vpcflowlogs/\${region}/\${day}`,
};

const matchDetails = array(struct({ conditiontype: S, sensitivitylevel: S, location: S, matcheddata: array(S) }));
const solved = struct({ responsecode: S, solvetimestamp: S });
const nameValue = array(struct({ name: S, value: S }));

/**
 * AWS WAF logs: one JSON object a line, read with the OpenX JSON SerDe as AWS documents it.
 * `timestamp` (ms since the epoch) is a reserved word: quote it in queries.
 */
export const wafLayout: LogTableLayout = {
  name: WAF_TABLE,
  description: 'AWS WAF web ACL logs from the log archive',
  // Web ACLs of CloudFront distributions log under `cloudfront` where the region would be.
  extraRegions: ['cloudfront'],
  columns: columns({
    timestamp: 'bigint', formatversion: 'int', webaclid: S, terminatingruleid: S, terminatingruletype: S, action: S,
    terminatingrulematchdetails: matchDetails, httpsourcename: S, httpsourceid: S,
    rulegrouplist: array(struct({
      rulegroupid: S,
      terminatingrule: struct({ ruleid: S, action: S, rulematchdetails: matchDetails }),
      nonterminatingmatchingrules: array(struct({ ruleid: S, action: S, overriddenaction: S, rulematchdetails: matchDetails })),
      excludedrules: array(struct({ ruleid: S, exclusiontype: S })),
    })),
    ratebasedrulelist: array(struct({ ratebasedruleid: S, limitkey: S, maxrateallowed: 'int' })),
    nonterminatingmatchingrules: array(struct({
      ruleid: S, action: S, rulematchdetails: matchDetails, captcharesponse: solved, challengeresponse: solved,
    })),
    // An array of {name, value} in current logs (see the CAPTCHA example in the WAF guide), not a string.
    requestheadersinserted: nameValue,
    responsecodesent: S,
    httprequest: struct({
      clientip: S, country: S, headers: nameValue, uri: S, args: S, httpversion: S, httpmethod: S, requestid: S,
    }),
    labels: array(struct({ name: S })),
    captcharesponse: struct({ responsecode: S, solvetimestamp: S, failurereason: S }),
    challengeresponse: struct({ responsecode: S, solvetimestamp: S, failurereason: S }),
    ja3fingerprint: S,
  }),
  partitionKeys: [ACCOUNT, REGION, WEBACL, DAY],
  serdeLibrary: 'org.openx.data.jsonserde.JsonSerDe',
  serdeParameters: {},
  inputFormat: TEXT_INPUT,
  outputFormat: TEXT_OUTPUT,
  parameters: { classification: 'json' },
  location: (a) => root(a, a.wafPrefix),
  // WAF writes YYYY/MM/DD/HH/mm/ folders; the partition stops at the day. Athena reads every file
  // under a partition's folder, sub-folders included ("Athena reads all data stored in the Amazon S3
  // folder that you specify"); AWS's own WAF projection DDL uses the same day-level template over
  // these minute folders. A minute-level projection would only multiply the partitions to list.
  locationTemplate: (a) => `${root(a, a.wafPrefix)}\${account}/WAFLogs/\${region}/\${webacl}/\${day}`,
};

/**
 * Our own findings: the OCSF Detection Findings the publisher writes, one JSON object a line under
 * `account=/region=/date=/` folders (uncompressed). The columns are those the `findings` view reads
 * locally too (central/local/duckdb-log-views.ts); `time` is a reserved word: quote it in queries.
 */
export const findingsLayout: LogTableLayout = {
  name: FINDINGS_TABLE,
  description: "Skywatch's own findings (OCSF 1.1 Detection Findings) as the publisher archives them",
  columns: columns({
    class_uid: 'int', activity_name: S, severity_id: 'int', severity: S, time: 'bigint', status: S, message: S,
    finding_info: struct({
      uid: S, title: S, types: array(S), created_time: 'bigint', modified_time: 'bigint', first_seen_time: 'bigint', last_seen_time: 'bigint',
      analytic: struct({ uid: S, name: S }), product_uid: S,
    }),
    cloud: struct({ region: S, account: struct({ uid: S }) }),
    resources: array(struct({ uid: S, type: S, region: S })),
    metadata: struct({ uid: S, version: S }),
  }),
  partitionKeys: [ACCOUNT, REGION, DAY],
  serdeLibrary: 'org.openx.data.jsonserde.JsonSerDe',
  serdeParameters: {},
  inputFormat: TEXT_INPUT,
  outputFormat: TEXT_OUTPUT,
  parameters: { classification: 'json' },
  dayFormat: 'yyyy-MM-dd',
  compressed: false,
  location: (a) => `s3://${a.bucketName}/${FINDINGS_PREFIX}`,
  locationTemplate: (a) => `s3://${a.bucketName}/${FINDINGS_PREFIX}account=\${account}/region=\${region}/date=\${day}`,
};

/** The three tables, in a stable order. */
export const LOG_TABLE_LAYOUTS: readonly LogTableLayout[] = [trailLayout, flowLogsLayout, wafLayout];

/** How each partition key is projected; keys of every layout are covered. */
const PROJECTIONS: Readonly<Record<string, (archive: LogArchive, layout: LogTableLayout) => Record<string, string>>> = {
  account: () => ({ type: 'injected' }),
  webacl: () => ({ type: 'injected' }),
  region: (a, layout) => ({ type: 'enum', values: [...a.regions, ...(layout.extraRegions ?? [])].join(',') }),
  day: (a, layout) => {
    const format = layout.dayFormat ?? 'yyyy/MM/dd';
    const start = format === 'yyyy-MM-dd' ? a.projectionStart.replaceAll('/', '-') : a.projectionStart;
    return { type: 'date', format, range: `${start},NOW`, interval: '1', 'interval.unit': 'DAYS' };
  },
};

/** The Glue table parameters (Athena TBLPROPERTIES): the layout's own, projection, location template. */
export function tableParameters(layout: LogTableLayout, archive: LogArchive): Record<string, string> {
  const projection: Record<string, string> = { 'projection.enabled': 'true' };
  for (const key of layout.partitionKeys) {
    const project = PROJECTIONS[key.name];
    if (!project) throw new Error(`no projection for partition key ${key.name} of table ${layout.name}`);
    for (const [property, value] of Object.entries(project(archive, layout))) projection[`projection.${key.name}.${property}`] = value;
  }
  return { EXTERNAL: 'TRUE', ...layout.parameters, ...projection, 'storage.location.template': layout.locationTemplate(archive) };
}

/** Fills a location template the way Athena does, e.g. to check a real object key against it. */
export function renderLocation(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for \${${key}} in ${template}`);
    return value;
  });
}
