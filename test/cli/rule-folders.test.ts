/** The CLI over a team's own rule folder and suppressions: overrides, Sigma rules, hostile and broken files. */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR } from '../../central/local/rule-files.js';
import { skywatch, writeInput } from '../support/cli.js';
import { KMS_DELETION_SIGMA, ROOT_USAGE, TEAMS_ROOT_USAGE } from '../support/custom-rules.js';
import { billionLaughs } from '../support/hostile-yaml.js';

interface ListedRule {
  id: string;
  pack: string;
  status: string;
  severity: string;
  file: string;
}

const dir = mkdtempSync(join(tmpdir(), 'skywatch-cli-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BUILTIN_IDS = readdirSync(BUILTIN_RULES_DIR).map((f) => f.replace(/\.yaml$/, ''));

describe('skywatch rules list --rules DIR', () => {
  it("lists the team's rule in place of the built-in one and its Sigma rule as active, with the override as a notice (exit 0)", () => {
    const rules = join(dir, 'acme-rules');
    writeInput(join(rules, 'root-account-usage.yaml'), TEAMS_ROOT_USAGE);
    writeInput(join(rules, 'acme_kms_key_scheduled_deletion.yml'), KMS_DELETION_SIGMA);
    const r = skywatch(['rules', 'list', '--json', '--rules', rules]);
    expect(r.stderr).toBe(`skywatch: rule override: ${rules}/root-account-usage.yaml replaces the built-in rules/cloudtrail/root-account-usage.yaml (rule root-account-usage)\n`);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as ListedRule[];
    expect(listed.map((x) => x.id).sort()).toEqual([...BUILTIN_IDS, 'sigma-acme-kms-key-scheduled-deletion'].sort());
    const pick = (id: string) => listed.filter((x) => x.id === id).map((x) => [x.pack, x.status, x.severity, x.file]);
    expect(pick('root-account-usage')).toEqual([['identity', 'active', 'CRITICAL', `${rules}/root-account-usage.yaml`]]);
    expect(pick('sigma-acme-kms-key-scheduled-deletion')).toEqual([['custom', 'active', 'HIGH', `${rules}/acme_kms_key_scheduled_deletion.yml`]]);
  });

  it('reports an alias bomb with its file and line, walks past a link loop, and lists every other rule (exit 3)', () => {
    const rules = join(dir, 'hostile-rules');
    writeInput(join(rules, 'lol-bomb.yaml'), `id: lol-bomb\ntitle: Laughs\nseverity: LOW\n${billionLaughs()}\n`);
    writeInput(join(rules, 'team', 'root-usage-eu.yaml'), ROOT_USAGE.replace('id: root-account-usage', 'id: root-usage-eu'));
    symlinkSync(rules, join(rules, 'team', 'loop'), 'dir');
    const r = skywatch(['rules', 'list', '--json', '--rules', rules]);
    expect(r.stderr).toBe(`skywatch: rule error: ${rules}/lol-bomb.yaml:5: invalid YAML: Excessive alias count indicates a resource exhaustion attack\n`);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as ListedRule[]).map((x) => x.id).sort()).toEqual([...BUILTIN_IDS, 'root-usage-eu'].sort());
  });
});

describe('skywatch rules test --suppressions FILE', () => {
  it('leaves out the entry with an impossible date, reports it once, and keeps the valid entry (exit 3)', () => {
    const file = join(dir, 'suppressions.yaml');
    const entry = (id: string, expires: string) =>
      `  - id: ${id}\n    reason: The platform pipeline creates VPCs in sandbox accounts on every merge.\n    owner: platform-team@example.com\n    expires: ${expires}\n    match: { rules: [ec2-vpc-changed], ous: [ou-exmp-sandbox1] }\n`;
    writeInput(file, `suppressions:\n${entry('sandbox-vpcs', '2027-06-30')}${entry('sandbox-routes', '2026-02-30')}`);
    const r = skywatch(['rules', 'test', '--suppressions', file]);
    expect(r.stderr).toBe(`skywatch: suppression error: ${file}:10: suppressions.1.expires: no such day in the calendar\n`);
    expect(r.stdout).toMatch(/ IOC lists, 1 suppressions \(0 expired\), /);
    expect(r.code).toBe(3);
  });
});
