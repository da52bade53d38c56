/** The detector Lambda's cold-start check over a deployed rules folder, as bundled beside its code. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLoadedRules } from '../../central/aws/detector/rule-check.js';
import { loadRuleFolders, PACKS_FILE } from '../../central/local/rule-files.js';
import { loadSuppressionFiles } from '../../central/local/suppression-files.js';
import { ROOT_USAGE, TEAMS_ROOT_USAGE } from '../support/custom-rules.js';

/** The built-in correlation rule, as bundled in `rules/correlation/`. */
const ONE_ADDRESS = readFileSync(new URL('../../rules/correlation/one-address-findings-in-many-accounts.yaml', import.meta.url), 'utf8');

let root = '';
let logged: Array<[string, Record<string, unknown> | undefined]> = [];
const log = { info: (message: string, data?: Record<string, unknown>) => void logged.push([message, data]) };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'skywatch-bundle-'));
  copyFileSync(PACKS_FILE, join(root, 'packs.yaml'));
  mkdirSync(join(root, 'sigma'));
  write('cloudtrail/root-account-usage.yaml', ROOT_USAGE);
  logged = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** What the handler does at cold start, over the bundled folder. */
function coldStart(): void {
  checkLoadedRules(loadRuleFolders([], {}, root), loadSuppressionFiles(join(root, 'suppressions.yaml')), log);
}

describe('the detector cold start', () => {
  it('logs a custom rule that replaces a built-in one and starts', () => {
    write('custom/root-account-usage.yaml', TEAMS_ROOT_USAGE);
    expect(coldStart).not.toThrow();
    expect(logged).toEqual([['rule overridden', { rule: 'root-account-usage', file: join(root, 'custom/root-account-usage.yaml'), replaces: join(root, 'cloudtrail/root-account-usage.yaml') }]]);
  });

  it('fails on two deployed files with one id, naming both', () => {
    write('cloudtrail/identity/root-account-usage.yaml', ROOT_USAGE);
    expect(coldStart).toThrow(
      `rules failed to load: ${join(root, 'cloudtrail/root-account-usage.yaml')}:1: duplicate rule id "root-account-usage" (also in ${join(root, 'cloudtrail/identity/root-account-usage.yaml')})`,
    );
  });

  it('fails on a suppression entry that does not validate, with its line', () => {
    const entry = (id: string, expires: string) =>
      `  - id: ${id}\n    reason: Break-glass drill every quarter, run by the platform team.\n    owner: platform-team@example.com\n    expires: ${expires}\n    match: { rules: [root-account-usage] }\n`;
    write('suppressions.yaml', `suppressions:\n${entry('quarterly-drill', '2027-03-31')}${entry('annual-drill', '2027-02-29')}`);
    expect(coldStart).toThrow(`rules failed to load: ${join(root, 'suppressions.yaml')}:10: suppressions.1.expires: no such day in the calendar`);
  });

  it('loads the bundled correlation rules beside the rules', () => {
    write('correlation/one-address-findings-in-many-accounts.yaml', ONE_ADDRESS);
    expect(coldStart).not.toThrow();
    expect(loadRuleFolders([], {}, root).correlations.map((c) => c.id)).toEqual(['one-address-findings-in-many-accounts']);
    expect(logged).toEqual([]);
  });

  it('fails on a broken correlation rule, with its file and line', () => {
    write('correlation/one-address-findings-in-many-accounts.yaml', ONE_ADDRESS.replace('timespan: 1d', 'timespan: often'));
    expect(coldStart).toThrow(`rules failed to load: ${join(root, 'correlation/one-address-findings-in-many-accounts.yaml')}:`);
  });

  it('logs a correlation rule of a type Skywatch does not run and starts', () => {
    write('correlation/one-address-findings-in-many-accounts.yaml', ONE_ADDRESS.replace('type: value_count', 'type: value_sum'));
    expect(coldStart).not.toThrow();
    expect(logged.map(([message, data]) => [message, String(data?.rule)])).toEqual([['rule not loaded', expect.stringContaining('correlation/one-address-findings-in-many-accounts.yaml:')]]);
  });
});
