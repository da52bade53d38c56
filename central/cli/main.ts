/** The `skywatch` command line: the local, embedded face of the detection core. */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_YARA_TIMEOUT_SECONDS } from '../../member/scanner/yara/yara-budget.js';
import { StateInUseError } from '../local/state-lock.js';
import { EXIT } from './exit-codes.js';
import { findingsCommand } from './findings-command.js';
import { replayCommand } from './replay-command.js';
import { rulesListCommand, rulesTestCommand } from './rules-command.js';
import { accountList, engineName } from './query-engines.js';
import { collect, DEFAULT_STATE_DIR, nonNegativeSeconds, parseSeverity, positiveInteger } from './shared.js';

const stateOption = () => new Option('--state <dir>', 'state folder: local database and findings log').default(DEFAULT_STATE_DIR);
const rulesOption = () => new Option('--rules <dir>', 'extra rule folder (native or Sigma rules), added to the built-in rules (repeatable)').argParser(collect).default([]);
const enablePackOption = () => new Option('--enable-pack <name>', 'turn on a rule pack that is off by default, e.g. sigma (repeatable)').argParser(collect);
const suppressionsOption = () => new Option('--suppressions <path>', 'suppressions file or folder (default: rules/suppressions.yaml)');
const disablePackOption = () => new Option('--disable-pack <name>', 'turn off a rule pack (repeatable)').argParser(collect);

/** Builds the program; each action resolves to an exit code. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('skywatch')
    .description('Organization-wide threat detection for AWS, on your laptop: replay CloudTrail logs, test rules, list findings.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const run = (action: () => number | Promise<number>) => async () => setExit(await action());

  program
    .command('replay')
    .description('Detect threats in local logs (files or folders, recursively): CloudTrail (.json, .json.gz, JSON lines, org-trail layout), VPC Flow Logs and AWS WAF logs (S3 layout or loose files), recognized by layout and content.')
    .argument('<paths...>', 'files or folders to read')
    .option('--out <file>', 'write the findings of this replay as ASFF JSON lines')
    .addOption(stateOption())
    .addOption(rulesOption())
    .addOption(enablePackOption())
    .addOption(disablePackOption())
    .option('--json', 'print the report as one JSON object instead of tables')
    .addOption(suppressionsOption())
    .option('--ioc-pack <id>', 'also match an optional IOC list of rules/ioc/ (repeatable), e.g. signature-base-c2', collect)
    .action((paths: string[], opts) => run(() => replayCommand(paths, opts))());

  const rules = program.command('rules').description('List and test detection rules.');
  rules
    .command('list')
    .description('List the loaded rules.')
    .addOption(rulesOption())
    .addOption(enablePackOption())
    .addOption(disablePackOption())
    .option('--json', 'print JSON')
    .action((opts) => run(() => rulesListCommand(opts))());
  rules
    .command('test')
    .description("Run every rule's test cases against the whole rule set, and every suppression's test cases.")
    .addOption(suppressionsOption())
    .addOption(rulesOption())
    .addOption(enablePackOption())
    .addOption(disablePackOption())
    .option('--json', 'print JSON')
    .action((opts) => run(() => rulesTestCommand(opts))());

  rules
    .command('coverage')
    .description('MITRE ATT&CK (IaaS) and Stratus Red Team techniques covered by the active rules, and what is not covered.')
    .addOption(rulesOption())
    .addOption(enablePackOption())
    .addOption(disablePackOption())
    .option('--json', 'print JSON')
    .action((opts) => run(async () => (await import('./coverage-command.js')).coverageCommand(opts))());

  program
    .command('findings')
    .description('List findings held in the local state.')
    .addOption(new Option('--severity <label>', 'at or above this severity (INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL)').argParser(parseSeverity))
    .option('--account <id>', 'only this account')
    .option('--rule <id>', 'only this rule')
    .option('--correlated', 'only correlation findings (one activity across accounts), with the accounts they join')
    .addOption(stateOption())
    .option('--json', 'print one ASFF finding per line')
    .action((opts) => run(() => findingsCommand({ ...opts, ruleId: opts.rule }))());

  program
    .command('baselines')
    .description('List what the statistics detectors learned: per key its training, expected value, band, latest value, anomaly episode and recent windows; per scope its peer baseline.')
    .option('--detector <id>', 'only this statistics detector')
    .option('--key <text>', 'only keys whose account, region and key fields, joined by spaces, contain this text')
    .addOption(stateOption())
    .option('--json', 'print one JSON object {"baselines":[...],"peers":[...]} with the numbers and recent windows')
    .action((opts) => run(async () => (await import('./baselines-command.js')).baselinesCommand(opts))());

  program
    .command('scan')
    .description('Scan files and folders (recursively; gzip and zip unpacked) with the YARA rules and secret detectors the member scanner runs.')
    .argument('<paths...>', 'files or folders to scan')
    .addOption(new Option('--rules <dir>', 'extra rules: .yar/.yara files under it, secret detectors under <dir>/secrets (repeatable)').argParser(collect).default([]))
    .option('--no-builtin', 'use only the rules given with --rules')
    .addOption(new Option('--max-size <MB>', 'files larger than this are reported as not scanned').argParser(positiveInteger).default(100))
    .addOption(new Option('--yara-timeout <seconds>', 'YARA time per file; past it the file is reported as scanned in part (0: no limit)').argParser(nonNegativeSeconds).default(DEFAULT_YARA_TIMEOUT_SECONDS))
    .option('--skip-media', 'skip images, audio and video (by magic bytes)')
    .option('--json', 'print one JSON object per match: {"path","kind","rule","offset","preview"}')
    .action((paths: string[], opts) => run(async () => (await import('./scan-command.js')).scanCommand(paths, opts))());

  const engineOptions = (command: Command) =>
    command
      .addOption(new Option('--engine <name>', 'where to run: duckdb (local log folders) or athena (the deployment\'s workgroup)').argParser(engineName).default('duckdb'))
      .addOption(new Option('--logs <dir>', 'local log folders in the archive layout (org trail, flow logs, WAF logs) (repeatable; default: the demo\'s, .skywatch/demo)').argParser(collect))
      .addOption(stateOption())
      .addOption(new Option('--accounts <ids>', 'accounts to read, comma-separated (default on duckdb: every account in the log folders; required on athena)').argParser(accountList))
      .option('--workgroup <name>', 'Athena workgroup', 'skywatch')
      .option('--database <name>', 'Glue database of the log tables', 'skywatch_logs')
      .option('--region <region>', 'AWS region of the workgroup (default: the SDK\'s)');

  const query = program.command('query').description('Investigations over the logs (rules/queries/): list them, run one on DuckDB or Athena.');
  query
    .command('list')
    .description('List the investigations, their parameters and tables.')
    .option('--json', 'print JSON')
    .action((opts) => run(async () => (await import('./query-command.js')).queryListCommand(opts))());
  engineOptions(
    query
      .command('run')
      .description('Run one investigation; parameters with --param name=value. Progress on stderr, a table at the end (bytes scanned and cost on Athena).')
      .argument('<name>', 'the investigation, e.g. actor-activity')
      .option('--param <name=value>', 'a parameter value (repeatable)', collect)
      .option('--from <time>', 'start: ISO 8601, a day, or a duration before now (24h, 7d) (default: everything on duckdb; the investigation\'s window on athena)')
      .option('--to <time>', 'end, exclusive (default: now)')
      .option('--json', 'print one JSON object with the columns and rows')
      .option('--csv', 'print CSV'),
  ).action((name: string, opts) => run(async () => (await import('./query-command.js')).queryRunCommand(name, opts))());

  engineOptions(
    program
      .command('investigate')
      .description("Run the investigations that fit a local finding (its actor, access key, address, rule) across every account, over a window around it, and print one timeline.")
      .argument('<finding-id>', 'the finding Id, or a unique part of it (skywatch findings --json lists them)')
      .addOption(new Option('--hours <n>', 'hours before the first and after the last event of the finding').argParser(positiveInteger).default(24))
      .option('--json', 'print one JSON object with the investigations and the timeline'),
  ).action((id: string, opts) => run(async () => (await import('./investigate-command.js')).investigateCommand(id, opts))());

  program
    .command('demo')
    .description('Generate a synthetic AWS Organization with planted attacks, replay it, and show the findings.')
    .option('--dir <dir>', 'where to write the generated logs', '.skywatch/demo')
    .addOption(stateOption())
    .addOption(new Option('--events <n>', 'benign events to generate').argParser(positiveInteger).default(210_000))
    .addOption(new Option('--seed <n>', 'random seed').argParser(positiveInteger).default(7))
    .action((opts) => run(async () => (await import('./demo-command.js')).demoCommand(opts))());

  return program;
}

/** Runs the command line and exits with its code. */
export async function main(argv: string[]): Promise<void> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version exit 0; anything else commander rejects is a usage error.
      code = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (err instanceof StateInUseError) {
      process.stderr.write(`skywatch: ${err.message}\n`);
      code = EXIT.stateInUse;
    } else {
      process.stderr.write(`skywatch: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      code = EXIT.internal;
    }
  }
  process.exitCode = code;
}
