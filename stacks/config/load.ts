/**
 * Reads the deployment configuration file and reports the first wrong field with its line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { issueProblem, parseYaml } from '../../central/core/rules/load.js';
import { DeploymentConfigSchema, type DeploymentConfig } from './schema.js';

/** The configuration file is missing or a field is wrong; the message names the file, line and field. */
export class DeploymentConfigError extends Error {
  override readonly name = 'DeploymentConfigError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
  }
}

/** Parses and validates configuration text; `file` is only used in messages. */
export function parseDeploymentConfig(file: string, text: string): DeploymentConfig {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) throw new DeploymentConfigError(file, yaml.line, yaml.reason);
  const parsed = DeploymentConfigSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // An unknown key (often a typo) is reported at that key's line, not at its parent's.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const problem = issueProblem(file, yaml, { path, message: issue.message }, '', '(configuration)');
    throw new DeploymentConfigError(file, problem.line, problem.reason);
  }
  return parsed.data;
}

/** Reads and validates a configuration file. */
export function loadDeploymentConfig(file: string): DeploymentConfig {
  if (!existsSync(file)) throw new DeploymentConfigError(file, undefined, 'configuration file not found (copy skywatch.config.example.yaml)');
  return parseDeploymentConfig(file, readFileSync(file, 'utf8'));
}
