/**
 * A Node.js Lambda function built from a handler in this repository, with its own log group
 * (retention set, kept on stack deletion) and its own role whose only default permission is writing
 * to that log group: no AWS managed policy, so every grant is visible in the stack that needs it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REPO_ROOT, repoPath } from './repo-paths.js';

/** The Node.js runtime of every Skywatch function. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** A function's log group, kept a year and beyond the stack, and the role's only right to write it. */
export function retainedLogGroup(scope: Construct, role: iam.IRole): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  return logGroup;
}

export interface SkywatchFunctionProps {
  /** Handler file, relative to the repository root (e.g. `central/aws/handlers/detector.ts`). */
  readonly entry: string;
  /** One line on what the function does. */
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 1 minute */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default ARM_64 */
  readonly architecture?: lambda.Architecture;
  /**
   * Copy `rules/` next to the bundle (for functions that compile the rules at cold start): all of it,
   * or only the named folders of it (`['statistics', 'ioc']`). @default false
   */
  readonly bundleRules?: boolean | readonly string[];
  /**
   * Copy the offline IP-to-ASN tables (and their licences) into `asn/` next to the bundle, for
   * functions that look up the network of an address (behaviour rules over `network.asn`). @default false
   */
  readonly bundleAsnData?: boolean;
  /** An existing role to run as (e.g. a role other accounts trust by name). @default a new role */
  readonly role?: iam.Role;
}

/** The shell commands that copy the rules a function bundles next to its code. */
function rulesCopy(rules: boolean | readonly string[] | undefined, output: string): string[] {
  if (!rules) return [];
  if (rules === true) return [`cp -R "${repoPath('rules')}" "${output}/rules"`];
  return [`mkdir -p "${output}/rules"`, ...rules.map((folder) => `cp -R "${repoPath(`rules/${folder}`)}" "${output}/rules/${folder}"`)];
}

/** The ASN package's tables and the licences that must travel with them. */
const ASN_FILES = ['asn-ipv4.csv', 'asn-ipv6.csv', 'DBIP-LICENSE', 'NRO_LICENSE', 'ROUTEVIEWS-LICENSE', 'MODIFICATIONS'];

/** The shell commands that copy the ASN tables next to a function's code. */
function asnCopy(bundle: boolean | undefined, output: string): string[] {
  if (!bundle) return [];
  const dir = dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/asn-ipv4.csv'));
  return [`mkdir -p "${output}/asn"`, ...ASN_FILES.map((f) => `cp "${join(dir, f)}" "${output}/asn/${f}"`)];
}

/** A bundled TypeScript handler with a scoped role and a retained log group. */
export class SkywatchFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SkywatchFunctionProps) {
    super(scope, id);
    this.role = props.role ?? new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: props.description });
    this.logGroup = retainedLogGroup(this, this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: repoPath(props.entry),
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(1),
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // Bundle the SDK clients we pin and test against rather than whatever version the runtime carries.
        externalModules: [],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [...rulesCopy(props.bundleRules, output), ...asnCopy(props.bundleAsnData, output)],
        },
      },
    });
  }
}
