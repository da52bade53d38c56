/**
 * Glue database and tables (partition projection) over the organization's log archive, so the
 * central account's Athena workgroup can query CloudTrail, VPC Flow Logs and WAF logs of every
 * member account without crawlers or ALTER TABLE ADD PARTITION. The schemas and folder layouts live
 * in log-table-layouts.ts; this file only turns them into L1 resources and checks the inputs.
 */
import { Aws } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import {
  DEFAULT_PROJECTION_START,
  findingsLayout,
  flowLogsLayout,
  tableParameters,
  trailLayout,
  wafLayout,
  type LogArchive,
  type LogTableLayout,
} from './log-table-layouts.js';

export { FINDINGS_TABLE, FLOW_LOGS_TABLE, TRAIL_TABLE, WAF_TABLE } from './log-table-layouts.js';

/** Where the log archive is and what to project over it. */
export interface LogTablesProps extends Omit<LogArchive, 'projectionStart'> {
  /** Glue database name, e.g. `skywatch_logs`. */
  readonly databaseName: string;
  /** First day of data, `YYYY/MM/DD`. @default '2024/01/01' */
  readonly projectionStart?: string;
}

/** The Glue database, the three log tables and the findings table. */
export class LogTables extends Construct {
  /** The Glue database holding the tables. */
  readonly database: CfnDatabase;
  /** Organization trail, table `cloudtrail`. */
  readonly trailTable: CfnTable;
  /** VPC Flow Logs, table `vpc_flow_logs`. */
  readonly flowLogsTable: CfnTable;
  /** AWS WAF logs, table `waf_logs`. */
  readonly wafTable: CfnTable;
  /** Our own findings (the OCSF archive), table `findings`. */
  readonly findingsTable: CfnTable;

  constructor(scope: Construct, id: string, props: LogTablesProps) {
    super(scope, id);
    const archive = checkedArchive(props);
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: props.databaseName, description: 'Skywatch: organization logs for cross-account queries' },
    });
    this.trailTable = this.table('Trail', trailLayout, archive);
    this.flowLogsTable = this.table('FlowLogs', flowLogsLayout, archive);
    this.wafTable = this.table('Waf', wafLayout, archive);
    this.findingsTable = this.table('Findings', findingsLayout, archive);
  }

  private table(id: string, layout: LogTableLayout, archive: LogArchive): CfnTable {
    return new CfnTable(this, id, {
      catalogId: Aws.ACCOUNT_ID,
      // `ref` of a Glue database is its name, and makes the table wait for it.
      databaseName: this.database.ref,
      tableInput: {
        name: layout.name,
        description: layout.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: tableParameters(layout, archive),
        partitionKeys: layout.partitionKeys.map(({ name, type }) => ({ name, type })),
        storageDescriptor: {
          location: layout.location(archive),
          inputFormat: layout.inputFormat,
          outputFormat: layout.outputFormat,
          // The log sources deliver gzip files (the findings archive does not); Athena picks the codec from the file extension.
          compressed: layout.compressed ?? true,
          serdeInfo: { serializationLibrary: layout.serdeLibrary, parameters: { ...layout.serdeParameters } },
          columns: layout.columns.map(({ name, type }) => ({ name, type })),
        },
      },
    });
  }
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
// Athena accepts lowercase letters, digits and underscores in database names.
const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DAY = /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/;

/**
 * Checks the props once, at synth: projection properties are literal strings in the table, so a
 * wrong value would only show up as empty query results. Literal values are required (no tokens).
 */
function checkedArchive(props: LogTablesProps): LogArchive {
  check('databaseName', props.databaseName, DATABASE_NAME.test(props.databaseName), 'lowercase letters, digits and _');
  check('bucketName', props.bucketName, BUCKET_NAME.test(props.bucketName), 'an S3 bucket name');
  check('organizationId', props.organizationId, ORGANIZATION_ID.test(props.organizationId), "'o-' and 10-32 lowercase letters or digits");
  for (const name of ['trailPrefix', 'flowLogsPrefix', 'wafPrefix'] as const) {
    const prefix = props[name];
    // A leading or doubled slash makes an empty folder name, which Athena rewrites away.
    const ok = prefix === '' || (prefix.endsWith('/') && !prefix.startsWith('/') && !prefix.includes('//'));
    check(name, prefix, ok, "'' or a prefix ending in '/', without leading or doubled '/'");
  }
  check('regions', props.regions.join(','), props.regions.length > 0, 'at least one region');
  for (const region of props.regions) check('regions', region, REGION.test(region), 'region names like eu-west-1');
  const projectionStart = props.projectionStart ?? DEFAULT_PROJECTION_START;
  check('projectionStart', projectionStart, DAY.test(projectionStart), 'a day as YYYY/MM/DD');
  return { ...props, projectionStart };
}

function check(prop: keyof LogTablesProps, value: string, ok: boolean, wanted: string): void {
  if (!ok) throw new Error(`LogTables: ${prop} must be ${wanted}, got '${value}'`);
}
