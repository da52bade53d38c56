/** loadRuleFolders: the user's folders (`--rules`, `rules/custom/`) against the built-in rules. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, loadRuleFolders, PACKS_FILE } from '../../central/local/rule-files.js';
import { KMS_DELETION_SIGMA, ROOT_USAGE, TEAMS_ROOT_USAGE } from '../support/custom-rules.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-rules-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): string {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
  return join(dir, path);
}

const BUILTIN_IDS = readdirSync(BUILTIN_RULES_DIR).map((f) => f.replace(/\.yaml$/, ''));

describe('loadRuleFolders with --rules folders', () => {
  it("a user rule replaces the built-in one of its id; the worker sources carry the user's file, not the built-in one", () => {
    const mine = write('acme-rules/root-account-usage.yaml', TEAMS_ROOT_USAGE);
    const kms = write('acme-rules/acme_kms_key_scheduled_deletion.yml', KMS_DELETION_SIGMA);
    const loaded = loadRuleFolders([join(dir, 'acme-rules')]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.overrides).toEqual([{ id: 'root-account-usage', file: mine, replaces: 'rules/cloudtrail/root-account-usage.yaml' }]);
    expect(loaded.rules.map((r) => r.id).sort()).toEqual([...BUILTIN_IDS, 'sigma-acme-kms-key-scheduled-deletion'].sort());
    expect(loaded.rules.find((r) => r.id === 'root-account-usage')!.file).toBe(mine);
    const files = loaded.sources.map((s) => s.file);
    expect(files).toContain(mine);
    expect(files).not.toContain('rules/cloudtrail/root-account-usage.yaml');
    expect(loaded.sources.filter((s) => s.origin === 'user').map((s) => s.file)).toEqual([kms, mine]);
  });

  it("a user's Sigma rule is active by default in the custom pack while SigmaHQ's pack stays off", () => {
    write('acme-rules/acme_kms_key_scheduled_deletion.yml', KMS_DELETION_SIGMA);
    const { rules, packs } = loadRuleFolders([join(dir, 'acme-rules')]);
    expect(rules.filter((r) => r.format === 'sigma').map((r) => [r.id, r.pack, r.status])).toEqual([['sigma-acme-kms-key-scheduled-deletion', 'custom', 'active']]);
    expect(packs.filter((p) => p.name === 'custom' || p.name === 'sigma').map((p) => [p.name, p.enabled])).toEqual([['custom', true], ['sigma', false]]);
  });

  it('a built-in folder given again with --rules is read once, as built-in: no duplicates, no overrides', () => {
    const loaded = loadRuleFolders([BUILTIN_RULES_DIR]);
    expect([loaded.problems, loaded.overrides]).toEqual([[], []]);
    expect(loaded.rules.map((r) => r.id).sort()).toEqual([...BUILTIN_IDS].sort());
  });
});

describe('loadRuleFolders over a deployed rules folder (the Lambda reads its bundled copy, no --rules)', () => {
  it("loads custom/ as the user's rules: overrides and Sigma rules as with --rules", () => {
    copyFileSync(PACKS_FILE, join(dir, 'packs.yaml'));
    write('cloudtrail/root-account-usage.yaml', ROOT_USAGE);
    mkdirSync(join(dir, 'sigma'));
    write('custom/root-account-usage.yaml', TEAMS_ROOT_USAGE);
    write('custom/acme_kms_key_scheduled_deletion.yml', KMS_DELETION_SIGMA);
    const loaded = loadRuleFolders([], {}, dir);
    expect(loaded.problems).toEqual([]);
    expect(loaded.rules.map((r) => [r.id, r.pack, r.file])).toEqual([
      ['sigma-acme-kms-key-scheduled-deletion', 'custom', join(dir, 'custom/acme_kms_key_scheduled_deletion.yml')],
      ['root-account-usage', 'identity', join(dir, 'custom/root-account-usage.yaml')],
    ]);
    expect(loaded.overrides).toEqual([{ id: 'root-account-usage', file: join(dir, 'custom/root-account-usage.yaml'), replaces: join(dir, 'cloudtrail/root-account-usage.yaml') }]);
  });
});
