/**
 * The Glue tables as DuckDB views over a local copy of the log archive (`<root>/AWSLogs/...`, laid out
 * as the S3 keys are): the same names, the same lowercase columns and types, and the partition keys
 * `account`, `region`, (`webacl`,) `day` taken from each file's path, as Athena's projection takes
 * them from the S3 prefix.
 *
 * JSON keys are camelCase and DuckDB matches them case-sensitively, so each JSON table is read with
 * its keys' own spelling and renamed field by field (the OpenX and Hive SerDes Athena uses ignore case).
 */

/** A JSON field: our lowercase column name, the key in the file, and its type. */
export interface JsonField {
  readonly name: string;
  readonly key: string;
  /** VARCHAR, BIGINT, INTEGER, JSON (kept as its text), VARCHAR[], a struct or a list of structs. */
  readonly type: string | { readonly struct: readonly JsonField[] } | { readonly list: readonly JsonField[] };
}

const f = (name: string, key: string, type: JsonField['type'] = 'VARCHAR'): JsonField => ({ name, key, type });
const struct = (...fields: JsonField[]) => ({ struct: fields });
const list = (...fields: JsonField[]) => ({ list: fields });
const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;
/** A SQL string literal. */
export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

// struct_extract works on any expression, where `expr.key` needs a plain column on its left.
const field = (source: string, key: string): string => `struct_extract(${source}, ${literal(key)})`;

/** The DuckDB type that reads a field with its file's key names. */
function readType(type: JsonField['type']): string {
  if (typeof type === 'string') return type;
  const fields = 'struct' in type ? type.struct : type.list;
  const body = `STRUCT(${fields.map((x) => `${quote(x.key)} ${readType(x.type)}`).join(', ')})`;
  return 'struct' in type ? body : `${body}[]`;
}

/** The expression that renames `source` (read with file keys) into our lowercase shape. */
function renamed(source: string, type: JsonField['type']): string {
  if (typeof type === 'string') return type === 'JSON' ? `CAST(${source} AS VARCHAR)` : source;
  const fields = 'struct' in type ? type.struct : type.list;
  const pack = (from: string) => `struct_pack(${fields.map((x) => `${quote(x.name)} := ${renamed(field(from, x.key), x.type)}`).join(', ')})`;
  if ('struct' in type) return `CASE WHEN ${source} IS NULL THEN NULL ELSE ${pack(source)} END`;
  return `list_transform(${source}, lambda item: ${pack('item')})`;
}

const columnsOption = (fields: readonly JsonField[]): string => `{${fields.map((x) => `${literal(x.key)}: ${literal(readType(x.type))}`).join(', ')}}`;
const selectList = (source: string, fields: readonly JsonField[]): string => fields.map((x) => `${renamed(source ? field(source, x.key) : quote(x.key), x.type)} AS ${quote(x.name)}`).join(',\n  ');

const sessionIssuer = struct(f('type', 'type'), f('principalid', 'principalId'), f('arn', 'arn'), f('accountid', 'accountId'), f('username', 'userName'));

/** The trail columns read locally (a subset of the Glue table's: see docs/queries.md). */
export const TRAIL_FIELDS: readonly JsonField[] = [
  f('eventversion', 'eventVersion'),
  f('useridentity', 'userIdentity', struct(
    f('type', 'type'), f('principalid', 'principalId'), f('arn', 'arn'), f('accountid', 'accountId'), f('invokedby', 'invokedBy'),
    f('accesskeyid', 'accessKeyId'), f('username', 'userName'),
    f('sessioncontext', 'sessionContext', struct(f('attributes', 'attributes', struct(f('mfaauthenticated', 'mfaAuthenticated'), f('creationdate', 'creationDate'))), f('sessionissuer', 'sessionIssuer', sessionIssuer))),
  )),
  f('eventtime', 'eventTime'), f('eventsource', 'eventSource'), f('eventname', 'eventName'), f('awsregion', 'awsRegion'),
  f('sourceipaddress', 'sourceIPAddress'), f('useragent', 'userAgent'), f('errorcode', 'errorCode'), f('errormessage', 'errorMessage'),
  f('requestparameters', 'requestParameters', 'JSON'), f('responseelements', 'responseElements', 'JSON'), f('additionaleventdata', 'additionalEventData', 'JSON'),
  f('requestid', 'requestID'), f('eventid', 'eventID'), f('readonly', 'readOnly', 'JSON'),
  f('resources', 'resources', list(f('arn', 'ARN'), f('accountid', 'accountId'), f('type', 'type'))),
  f('eventtype', 'eventType'), f('apiversion', 'apiVersion'), f('recipientaccountid', 'recipientAccountId'),
  f('serviceeventdetails', 'serviceEventDetails', 'JSON'), f('sharedeventid', 'sharedEventID'), f('vpcendpointid', 'vpcEndpointId'), f('eventcategory', 'eventCategory'),
  f('tlsdetails', 'tlsDetails', struct(f('tlsversion', 'tlsVersion'), f('ciphersuite', 'cipherSuite'), f('clientprovidedhostheader', 'clientProvidedHostHeader'))),
];

const matchDetails = list(f('conditiontype', 'conditionType'), f('sensitivitylevel', 'sensitivityLevel'), f('location', 'location'), f('matcheddata', 'matchedData', 'VARCHAR[]'));
const nameValue = list(f('name', 'name'), f('value', 'value'));
const solved = (...extra: JsonField[]) => struct(f('responsecode', 'responseCode'), f('solvetimestamp', 'solveTimestamp'), ...extra);

/** The WAF columns read locally (the Glue table's but `rulegrouplist`: see docs/queries.md). */
export const WAF_FIELDS: readonly JsonField[] = [
  f('timestamp', 'timestamp', 'BIGINT'), f('formatversion', 'formatVersion', 'INTEGER'), f('webaclid', 'webaclId'),
  f('terminatingruleid', 'terminatingRuleId'), f('terminatingruletype', 'terminatingRuleType'), f('action', 'action'),
  f('terminatingrulematchdetails', 'terminatingRuleMatchDetails', matchDetails), f('httpsourcename', 'httpSourceName'), f('httpsourceid', 'httpSourceId'),
  f('ratebasedrulelist', 'rateBasedRuleList', list(f('ratebasedruleid', 'rateBasedRuleId'), f('limitkey', 'limitKey'), f('maxrateallowed', 'maxRateAllowed', 'INTEGER'))),
  f('nonterminatingmatchingrules', 'nonTerminatingMatchingRules', list(f('ruleid', 'ruleId'), f('action', 'action'), f('rulematchdetails', 'ruleMatchDetails', matchDetails))),
  f('requestheadersinserted', 'requestHeadersInserted', nameValue), f('responsecodesent', 'responseCodeSent'),
  f('httprequest', 'httpRequest', struct(
    f('clientip', 'clientIp'), f('country', 'country'), f('headers', 'headers', nameValue), f('uri', 'uri'), f('args', 'args'),
    f('httpversion', 'httpVersion'), f('httpmethod', 'httpMethod'), f('requestid', 'requestId'),
  )),
  f('labels', 'labels', list(f('name', 'name'))),
  f('captcharesponse', 'captchaResponse', solved(f('failurereason', 'failureReason'))),
  f('challengeresponse', 'challengeResponse', solved(f('failurereason', 'failureReason'))),
  f('ja3fingerprint', 'ja3Fingerprint'),
];

/** VPC Flow Logs v2 columns in file order, typed as the Glue table types them. */
export const FLOW_COLUMNS: readonly (readonly [string, string])[] = [
  ['version', 'INTEGER'], ['account_id', 'VARCHAR'], ['interface_id', 'VARCHAR'], ['srcaddr', 'VARCHAR'], ['dstaddr', 'VARCHAR'],
  ['srcport', 'INTEGER'], ['dstport', 'INTEGER'], ['protocol', 'BIGINT'], ['packets', 'BIGINT'], ['bytes', 'BIGINT'],
  ['start', 'BIGINT'], ['end', 'BIGINT'], ['action', 'VARCHAR'], ['log_status', 'VARCHAR'],
];

/** One view: its name, the files it may read, and its SELECT over the globs that match files. */
export interface LogView {
  readonly name: string;
  /** One glob per root folder. */
  readonly globs: readonly string[];
  /** The SELECT over the globs that match files (read_* refuses a glob that matches nothing). */
  select(globs: readonly string[]): string;
  /** A typed SELECT with no rows, for when no glob matches a file. */
  readonly empty: string;
}

const partitions = (pattern: string, keys: readonly string[]) =>
  `regexp_extract(replace(filename, '\\', '/'), ${literal(pattern)}, [${keys.map(literal).join(', ')}])`;
const partitionColumns = (keys: readonly string[]) => keys.map((k) => `p.${k} AS ${k}`).join(', ');
const DAY = '(\\d{4}/\\d{2}/\\d{2})';
const globList = (globs: readonly string[]) => `[${globs.map(literal).join(', ')}]`;

/** Where each table's files start below the root, as the deployment's LogArchive prefixes (each '' or ending in `/`). */
export interface LocalPrefixes {
  readonly trailPrefix?: string;
  readonly flowLogsPrefix?: string;
  readonly wafPrefix?: string;
  /** Where the OCSF findings archive starts below the root. @default 'skywatch/ocsf/' */
  readonly findingsPrefix?: string;
}

/** The OCSF findings columns read, as the Glue table `findings` has them (stacks/central/log-table-layouts.ts). */
export const FINDING_FIELDS: readonly JsonField[] = [
  f('class_uid', 'class_uid', 'INTEGER'), f('activity_name', 'activity_name'), f('severity_id', 'severity_id', 'INTEGER'), f('severity', 'severity'),
  f('time', 'time', 'BIGINT'), f('status', 'status'), f('message', 'message'),
  f('finding_info', 'finding_info', struct(
    f('uid', 'uid'), f('title', 'title'), f('types', 'types', 'VARCHAR[]'), f('created_time', 'created_time', 'BIGINT'), f('modified_time', 'modified_time', 'BIGINT'),
    f('first_seen_time', 'first_seen_time', 'BIGINT'), f('last_seen_time', 'last_seen_time', 'BIGINT'), f('analytic', 'analytic', struct(f('uid', 'uid'), f('name', 'name'))), f('product_uid', 'product_uid'),
  )),
  f('cloud', 'cloud', struct(f('region', 'region'), f('account', 'account', struct(f('uid', 'uid'))))),
  f('resources', 'resources', list(f('uid', 'uid'), f('type', 'type'), f('region', 'region'))),
  f('metadata', 'metadata', struct(f('uid', 'uid'), f('version', 'version'))),
];

/**
 * The views over `roots` (one or more copies of the archive). DuckDB allows one `**` a pattern, so the
 * levels above it are spelled out: `AWSLogs/<account>/vpcflowlogs/**`, `AWSLogs/<account>/WAFLogs/**`,
 * `AWSLogs/<org>/<account>/CloudTrail/**`; the findings archive is `account=/region=/date=` folders.
 */
export function logViews(roots: string | readonly string[], prefixes: LocalPrefixes = {}): LogView[] {
  const bases = (typeof roots === 'string' ? [roots] : roots).map((root) => root.replace(/[\\/]+$/, ''));
  const each = (tail: (base: string) => string) => bases.map(tail);
  const flowGlobs = each((base) => `${base}/${prefixes.flowLogsPrefix ?? ''}AWSLogs/*/vpcflowlogs/**/*.log*`);
  const wafGlobs = each((base) => `${base}/${prefixes.wafPrefix ?? ''}AWSLogs/*/WAFLogs/**/*.log*`);
  const trailGlobs = each((base) => `${base}/${prefixes.trailPrefix ?? ''}AWSLogs/*/*/CloudTrail/**/*.json.gz`);
  const findingGlobs = each((base) => `${base}/${prefixes.findingsPrefix ?? 'skywatch/ocsf/'}account=*/region=*/date=*/*.jsonl*`);
  const flowKeys = ['account', 'region', 'day'];
  const wafKeys = ['account', 'region', 'webacl', 'day'];
  // strict_mode off: a record with more fields than the v2 columns (a v5 format that starts with
  // them) is read by its first fields, as the Glue table's LazySimpleSerDe reads it.
  const flowRead = (globs: readonly string[]) =>
    `read_csv(${globList(globs)}, delim = ' ', header = true, nullstr = '-', filename = true, auto_detect = false, strict_mode = false, columns = {${FLOW_COLUMNS.map(([n, t]) => `${literal(n)}: ${literal(t)}`).join(', ')}})`;
  const flowSelect = FLOW_COLUMNS.map(([n]) => quote(n)).join(', ');
  const jsonRead = (globs: readonly string[], fields: readonly JsonField[]) => `read_json(${globList(globs)}, format = 'newline_delimited', filename = true, columns = ${columnsOption(fields)})`;
  return [
    {
      name: 'vpc_flow_logs',
      globs: flowGlobs,
      select: (globs) => `SELECT ${flowSelect}, ${partitionColumns(flowKeys)} FROM (SELECT *, ${partitions(`/AWSLogs/(\\d{12})/vpcflowlogs/([^/]+)/${DAY}/`, flowKeys)} AS p FROM ${flowRead(globs)})`,
      empty: `SELECT ${FLOW_COLUMNS.map(([n, t]) => `CAST(NULL AS ${t}) AS ${quote(n)}`).join(', ')}, ${flowKeys.map((k) => `CAST(NULL AS VARCHAR) AS ${k}`).join(', ')} LIMIT 0`,
    },
    {
      name: 'waf_logs',
      globs: wafGlobs,
      select: (globs) => `SELECT ${selectList('', WAF_FIELDS)}, ${partitionColumns(wafKeys)} FROM (SELECT *, ${partitions(`/AWSLogs/(\\d{12})/WAFLogs/([^/]+)/([^/]+)/${DAY}/`, wafKeys)} AS p FROM ${jsonRead(globs, WAF_FIELDS)})`,
      empty: emptyJson(WAF_FIELDS, wafKeys),
    },
    {
      name: 'cloudtrail',
      globs: trailGlobs,
      // One {"Records":[...]} document a file: raise the object size limit (CloudTrail files reach tens of MB).
      select: (globs) => `SELECT ${selectList('r', TRAIL_FIELDS)}, ${partitionColumns(flowKeys)} FROM (SELECT unnest("Records") AS r, ${partitions(`/AWSLogs/o-[a-z0-9]+/(\\d{12})/CloudTrail/([^/]+)/${DAY}/`, flowKeys)} AS p FROM read_json(${globList(globs)}, format = 'auto', filename = true, maximum_object_size = 268435456, columns = {'Records': ${literal(`${readType(struct(...TRAIL_FIELDS))}[]`)}}))`,
      empty: emptyJson(TRAIL_FIELDS, flowKeys),
    },
    {
      name: 'findings',
      globs: findingGlobs,
      // The archive's day is `date=YYYY-MM-DD`, the Glue table's `day` partition.
      select: (globs) => `SELECT ${selectList('', FINDING_FIELDS)}, ${partitionColumns(flowKeys)} FROM (SELECT *, ${partitions('/account=(\\d{12})/region=([^/]+)/date=(\\d{4}-\\d{2}-\\d{2})/', flowKeys)} AS p FROM ${jsonRead(globs, FINDING_FIELDS)})`,
      empty: emptyJson(FINDING_FIELDS, flowKeys),
    },
  ];
}

// A row shaped like the renamed fields, then LIMIT 0: the view has the right column types and no rows.
function emptyJson(fields: readonly JsonField[], keys: readonly string[]): string {
  const typed = fields.map((x) => `${renamed(`CAST(NULL AS ${readType(x.type)})`, x.type)} AS ${quote(x.name)}`).join(', ');
  return `SELECT ${typed}, ${keys.map((k) => `CAST(NULL AS VARCHAR) AS ${k}`).join(', ')} LIMIT 0`;
}
