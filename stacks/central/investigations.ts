/**
 * The investigations of rules/queries/ in AWS: one Athena named query each in the workgroup (so they
 * appear in the Athena console, `:name` parameters as `?` in the order the description lists), and a
 * read-only investigator role for humans, assumable by the configured principals, that may run
 * queries in the workgroup over the log tables and read nothing else.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Investigation } from '../../central/core/query/investigation.js';
import { namedSites, positional } from '../../central/core/query/named-sql.js';
import { problemLocation } from '../../central/core/rules/load.js';
import { loadInvestigationFolders } from '../../central/local/investigation-files.js';
import type { DeploymentConfig } from '../config/schema.js';
import { acknowledge, nagForm } from '../common/nag.js';
import { FINDINGS_PREFIX } from './log-table-layouts.js';

/** The investigator role's name. */
export const INVESTIGATOR_ROLE_NAME = 'skywatch-investigator';

export interface InvestigationsProps {
  readonly config: DeploymentConfig;
  readonly workgroup: athena.CfnWorkGroup;
  /** The Glue database of the log tables. */
  readonly databaseName: string;
  /** Where the workgroup writes results, and under which prefix. */
  readonly results: s3.IBucket;
  readonly resultsPrefix: string;
  /** @default the built-in rules/queries/ */
  readonly investigations?: readonly Investigation[];
}

/**
 * The SQL a named query holds: each `:name` a `?`, one per name (`:accounts` takes one account
 * there), and the names in order for its description.
 */
export function namedQueryText(investigation: Investigation): { sql: string; order: string[] } {
  const order = namedSites(investigation.sql).map((s) => s.name);
  return { sql: positional(investigation.sql, () => ['?']).sql, order };
}

/** Named queries and the investigator role. */
export class Investigations extends Construct {
  readonly namedQueries: athena.CfnNamedQuery[];
  /** Absent when no principal is configured. */
  readonly investigatorRole?: iam.Role;

  constructor(scope: Construct, id: string, props: InvestigationsProps) {
    super(scope, id);
    const investigations = props.investigations ?? builtinInvestigations();
    const workGroup = props.workgroup.name;
    this.namedQueries = investigations.map((investigation) => {
      const { sql, order } = namedQueryText(investigation);
      const query = new athena.CfnNamedQuery(this, `Query-${investigation.name}`, {
        name: `skywatch-${investigation.name}`,
        description: clip(`${investigation.title}. Parameters in order: ${order.join(', ')} (accounts: one account id here; skywatch query run binds several).`, 1024),
        database: props.databaseName,
        workGroup,
        queryString: sql,
      });
      query.addResourceDependency(props.workgroup);
      return query;
    });
    if (props.config.investigatorPrincipalArns.length > 0) this.investigatorRole = this.investigator(props);
  }

  private investigator(props: InvestigationsProps): iam.Role {
    const { config } = props;
    const archive = config.logArchive;
    const partition = Aws.PARTITION;
    const at = `${Aws.REGION}:${Aws.ACCOUNT_ID}`;
    const role = new iam.Role(this, 'InvestigatorRole', {
      roleName: INVESTIGATOR_ROLE_NAME,
      description: 'Skywatch: run the investigations in Athena over the log archive, read-only',
      assumedBy: new iam.CompositePrincipal(...config.investigatorPrincipalArns.map((arn) => new iam.ArnPrincipal(arn))),
      maxSessionDuration: Duration.hours(4),
    });
    const workgroupArn = `arn:${partition}:athena:${at}:workgroup/${props.workgroup.name}`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RunQueriesInWorkgroup',
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup', 'athena:ListNamedQueries', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery', 'athena:ListQueryExecutions'],
      resources: [workgroupArn],
    }));
    const database = props.databaseName;
    const tablesArn = `arn:${partition}:glue:${at}:table/${database}/*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadTableDefinitions',
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
      resources: [`arn:${partition}:glue:${at}:catalog`, `arn:${partition}:glue:${at}:database/${database}`, tablesArn],
    }));
    // The tables' files: the organization trail, flow logs, WAF logs and the findings archive, listed only there.
    const archiveArn = `arn:${partition}:s3:::${archive.bucketName}`;
    const prefixes = [...new Set([`${archive.trailPrefix}AWSLogs/${config.organizationId}/`, `${archive.flowLogsPrefix}AWSLogs/`, `${archive.wafPrefix}AWSLogs/`, FINDINGS_PREFIX])];
    const objects = prefixes.map((prefix) => `${archiveArn}/${prefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadLogTables', actions: ['s3:GetObject'], resources: objects }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListLogTables', actions: ['s3:ListBucket'], resources: [archiveArn], conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'LocateLogArchive', actions: ['s3:GetBucketLocation'], resources: [archiveArn] }));
    if (archive.kmsKeyArn) role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DecryptLogArchive', actions: ['kms:Decrypt'], resources: [archive.kmsKeyArn] }));
    // Athena writes each query's results as the caller; nothing is ever deleted (results expire).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'UseQueryResultsBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [props.results.bucketArn] }));
    const resultObjects = props.results.arnForObjects(`${props.resultsPrefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteQueryResults', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [resultObjects] }));
    acknowledge(role, 'IAM5', 'An investigation reads every object under the log tables\' prefixes of the log archive, the tables of one Glue database, and writes result objects under one prefix of the workgroup\'s bucket.', [
      ...objects.map((arn) => `Resource::${arn.replace(partition, '<AWS::Partition>')}`),
      `Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${database}/*`,
      `Resource::${nagForm(this, resultObjects)}`,
    ]);
    return role;
  }
}

function builtinInvestigations(): Investigation[] {
  const { investigations, problems } = loadInvestigationFolders();
  if (problems.length) throw new Error(`investigations do not load: ${problems.map((p) => `${problemLocation(p)} ${p.reason}`).join('; ')}`);
  return investigations;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
