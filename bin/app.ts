/**
 * The CDK app: the single composition root. Reads the deployment configuration (`-c config=FILE`,
 * else skywatch.config.yaml, else the example so a fresh clone synthesizes) and the rule set whose
 * event sources and names the member forwarding rules are built from.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { problemLocation } from '../central/core/rules/load.js';
import { loadRuleFolders } from '../central/local/rule-files.js';
import { repoPath } from '../stacks/common/repo-paths.js';
import { loadDeploymentConfig } from '../stacks/config/load.js';
import { buildSkywatch } from '../stacks/skywatch-app.js';

const app = new App();
const chosen = app.node.tryGetContext('config') as string | undefined;
const file = chosen ?? (existsSync(repoPath('skywatch.config.yaml')) ? repoPath('skywatch.config.yaml') : repoPath('skywatch.config.example.yaml'));
if (!chosen && file.endsWith('example.yaml')) console.warn(`skywatch: no skywatch.config.yaml, synthesizing with ${file}`);
const config = loadDeploymentConfig(file);

const loaded = await loadRuleFolders([], {});
if (loaded.problems.length > 0) throw new Error(`rules do not load: ${loaded.problems.map((p) => `${problemLocation(p)} ${p.reason}`).join('; ')}`);
const { memberTemplate } = buildSkywatch(app, config, loaded.rules);
app.synth();
// The StackSet carries the member template inline; a copy beside the others makes it easy to review.
writeFileSync(join(app.outdir, 'SkywatchMember.template.json'), `${JSON.stringify(memberTemplate.template, null, 1)}\n`);
