/** A team's own rules (origin `user`) replace built-in rules of the same id, and their Sigma rules run in the `custom` pack. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, type RuleSource } from '../../central/core/rules/load.js';
import { BUILTIN_SIGMA_DIR } from '../../central/local/rule-files.js';
import { KMS_DELETION_SIGMA, ROOT_USAGE, TEAMS_ROOT_USAGE } from '../support/custom-rules.js';
import { eventOf } from '../support/detector.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';

const builtin: RuleSource = { file: 'rules/cloudtrail/root-account-usage.yaml', text: ROOT_USAGE, origin: 'builtin' };
const teams: RuleSource = { file: 'acme-rules/root-account-usage.yaml', text: TEAMS_ROOT_USAGE, origin: 'user' };

const rootCall = eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }));

describe('a user rule with the id of a built-in rule', () => {
  it.each([
    ['after the built-in file', [builtin, teams]],
    ['before the built-in file', [teams, builtin]],
  ])('replaces it when it comes %s, and the override is a notice naming both files', (_, sources) => {
    const { rules, problems, overrides } = loadRules(sources);
    expect(rules.map((r) => [r.id, r.file, r.severity(rootCall)])).toEqual([['root-account-usage', 'acme-rules/root-account-usage.yaml', 'CRITICAL']]);
    expect(problems).toEqual([]);
    expect(overrides).toEqual([{ id: 'root-account-usage', file: 'acme-rules/root-account-usage.yaml', replaces: 'rules/cloudtrail/root-account-usage.yaml' }]);
  });

  it('two user files with one id: the first in order loads, the second is a duplicate naming both', () => {
    const again: RuleSource = { ...teams, file: 'platform-rules/root-account-usage.yaml' };
    const { rules, problems, overrides } = loadRules([builtin, teams, again]);
    expect(rules.map((r) => r.file)).toEqual(['acme-rules/root-account-usage.yaml']);
    expect(problems).toEqual([{ file: 'platform-rules/root-account-usage.yaml', line: 1, reason: 'duplicate rule id "root-account-usage" (also in acme-rules/root-account-usage.yaml)' }]);
    expect(overrides).toEqual([{ id: 'root-account-usage', file: 'acme-rules/root-account-usage.yaml', replaces: 'rules/cloudtrail/root-account-usage.yaml' }]);
  });

  it('a broken user file replaces nothing: the built-in rule loads and the user file is the problem', () => {
    const broken = { ...teams, text: teams.text.replace('mitre: [T1078.004]', 'mitre: [T1078.4]') };
    const { rules, problems, overrides } = loadRules([builtin, broken]);
    expect(rules.map((r) => r.file)).toEqual(['rules/cloudtrail/root-account-usage.yaml']);
    expect(problems.map((p) => [p.file, p.reason])).toEqual([['acme-rules/root-account-usage.yaml', 'mitre.0: must be a MITRE ATT&CK technique id such as T1078.004']]);
    expect(overrides).toEqual([]);
  });
});

describe('Sigma rules by origin', () => {
  it("a user's Sigma rule runs in the custom pack, active", () => {
    const { rules, problems } = loadRules([{ file: 'acme-rules/acme_kms_key_scheduled_deletion.yml', text: KMS_DELETION_SIGMA, origin: 'user' }]);
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.id, r.pack, r.status, r.format])).toEqual([['sigma-acme-kms-key-scheduled-deletion', 'custom', 'active', 'sigma']]);
  });

  it("SigmaHQ's rules shipped in rules/sigma stay in the sigma pack", () => {
    const text = readFileSync(join(BUILTIN_SIGMA_DIR, 'cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml'), 'utf8');
    const { rules } = loadRules([{ file: 'rules/sigma/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml', text, origin: 'builtin' }]);
    expect(rules.map((r) => [r.id, r.pack])).toEqual([['sigma-aws-cloudtrail-disable-logging', 'sigma']]);
  });

  it("a user's copy of a SigmaHQ rule replaces it and runs in the custom pack", () => {
    const text = readFileSync(join(BUILTIN_SIGMA_DIR, 'cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml'), 'utf8');
    const shipped = { file: 'rules/sigma/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml', text, origin: 'builtin' as const };
    const tuned = { file: 'acme-rules/aws_cloudtrail_disable_logging.yml', text: text.replace(/^level: \w+$/m, 'level: critical'), origin: 'user' as const };
    const { rules, overrides } = loadRules([shipped, tuned]);
    expect(rules.map((r) => [r.id, r.pack, r.file, r.defaultSeverity])).toEqual([['sigma-aws-cloudtrail-disable-logging', 'custom', 'acme-rules/aws_cloudtrail_disable_logging.yml', 'CRITICAL']]);
    expect(overrides).toEqual([{ id: 'sigma-aws-cloudtrail-disable-logging', file: tuned.file, replaces: shipped.file }]);
  });
});
