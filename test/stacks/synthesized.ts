/**
 * Synthesizes the whole Skywatch app once per test file (bundling skipped: the tests look at
 * templates, not at bundles) from the example configuration and the built-in rules.
 */
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { repoPath } from '../../stacks/common/repo-paths.js';
import { loadDeploymentConfig } from '../../stacks/config/load.js';
import type { DeploymentConfig } from '../../stacks/config/schema.js';
import type { ForwardingPattern } from '../../stacks/member/forwarding-patterns.js';
import { buildSkywatch, type SkywatchStacks } from '../../stacks/skywatch-app.js';

/** A CloudFormation template as plain JSON. */
export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any>; Condition?: string }>; [key: string]: any };

/** Everything a stack test needs. */
export interface Synthesized {
  readonly config: DeploymentConfig;
  readonly stacks: SkywatchStacks;
  readonly assembly: CloudAssembly;
  /** The member forwarding patterns as the templates hold them (the account a `Ref`). */
  readonly patterns: ForwardingPattern[];
  template(stackName: string): Template;
}

/** Builds and synthesizes the app; throws if cdk-nag reports an unacknowledged error. */
export async function synthesizeSkywatch(): Promise<Synthesized> {
  const config = loadDeploymentConfig(repoPath('skywatch.config.example.yaml'));
  const { rules, problems } = await loadRuleFolders([], {});
  if (problems.length > 0) throw new Error(`rules do not load: ${problems.map((p) => p.reason).join('; ')}`);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildSkywatch(app, config, rules);
  const assembly = app.synth();
  return {
    config,
    stacks,
    assembly,
    patterns: stacks.patterns.map((p) => ({ name: p.name, pattern: stacks.central.resolve(p.pattern) as Record<string, unknown> })),
    template: (stackName) => assembly.getStackByName(stackName).template as Template,
  };
}

/** The resources of a template of one type. */
export function resourcesOfType(template: Template, type: string): Array<[string, { Type: string; Properties?: Record<string, any>; Condition?: string }]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
