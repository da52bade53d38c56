import { describe, expect, it } from 'vitest';
import { loadCatalogues } from '../../central/cli/coverage-command.js';
import { skywatch } from '../support/cli.js';

interface ListedRule {
  id: string;
  status: string;
  pack: string;
  format: string;
  stratus: string[];
  tests: { fires: number; quiet: number };
}

describe('skywatch rules', () => {
  const list = skywatch(['rules', 'list', '--json']);
  const rules = JSON.parse(list.stdout) as ListedRule[];

  it('list --json: at least 100 active CloudTrail rules, each with a positive and a negative test', () => {
    expect(list.code).toBe(0);
    const active = rules.filter((r) => r.status === 'active' && r.format === 'skywatch');
    expect(active.length).toBeGreaterThanOrEqual(100);
    for (const r of active) {
      expect(r.tests.fires, r.id).toBeGreaterThanOrEqual(1);
      expect(r.tests.quiet, r.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('packs: the Sigma pack is off by default and can be turned on; a native pack can be turned off', () => {
    expect(rules.some((r) => r.pack === 'sigma')).toBe(false);
    const withSigma = JSON.parse(skywatch(['rules', 'list', '--json', '--enable-pack', 'sigma']).stdout) as ListedRule[];
    expect(withSigma.filter((r) => r.pack === 'sigma').length).toBeGreaterThanOrEqual(55);
    const withoutNetwork = JSON.parse(skywatch(['rules', 'list', '--json', '--disable-pack', 'network']).stdout) as ListedRule[];
    expect(withoutNetwork.some((r) => r.pack === 'network')).toBe(false);
    expect(withoutNetwork.length).toBe(rules.length - rules.filter((r) => r.pack === 'network').length);
  });

  it('an unknown pack is a usage error naming the known packs', () => {
    const r = skywatch(['rules', 'list', '--enable-pack', 'nonesuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown pack "nonesuch" \(known: .*identity/);
  });

  it('test passes on the shipped rules and suppressions', () => {
    const r = skywatch(['rules', 'test']);
    expect(r.stdout).toMatch(/ 0 failed/);
    expect(r.stdout).toMatch(/12 statistics detectors, 5 IOC lists/);
    expect(r.code).toBe(0);
  }, 120_000);

  it('coverage --json names every Stratus Red Team AWS technique and the active rules that cover it', () => {
    const r = skywatch(['rules', 'coverage', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const { stratus, mitre } = loadCatalogues();
    const ids = report.stratus.techniques.map((t: { id: string }) => t.id);
    expect(ids.sort()).toEqual(Object.keys(stratus.techniques).sort());
    const active = new Set(rules.filter((x) => x.status === 'active').map((x) => x.id));
    for (const t of report.stratus.techniques) {
      expect(t.covered).toBe(t.rules.length > 0);
      for (const id of t.rules) {
        expect(active.has(id), id).toBe(true);
        expect(rules.find((x) => x.id === id)!.stratus).toContain(t.id);
      }
    }
    expect(report.stratus.unknown).toEqual([]);
    expect(report.mitre.unknown).toEqual([]);
    expect(report.mitre.total).toBe(Object.keys(mitre.techniques).length);
    expect(report.mitre.tactics.map((t: { id: string }) => t.id)).toEqual(mitre.tactics.map((t) => t.id));
  });

  it('coverage prints a table per catalogue', () => {
    const r = skywatch(['rules', 'coverage']);
    expect(r.stdout).toMatch(/MITRE ATT&CK .* techniques covered by \d+ active rules/);
    expect(r.stdout).toMatch(/Stratus Red Team \(AWS\): \d+ of \d+ techniques covered/);
  });
});
