/**
 * The real `cdk synth` of a fresh checkout: no credentials, handlers bundled with the local esbuild,
 * cdk-nag over every stack, templates written for the management, central and member sides.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadBundledStatistics } from '../../central/aws/statistics/bundled-rules.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { REPO_ROOT } from '../../stacks/common/repo-paths.js';

const outdir = mkdtempSync(join(tmpdir(), 'skywatch-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('synthesizes every stack offline, with bundled handlers and no unacknowledged cdk-nag error', () => {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_CONFIG_FILE: join(outdir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'none'), CDK_DISABLE_CLI_TELEMETRY: 'true' };
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', outdir], { cwd: REPO_ROOT, env, stdio: 'pipe', timeout: 170_000 });
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
  expect(templates).toEqual([
    'SkywatchCentral.template.json',
    'SkywatchManagement-eu-west-1.template.json',
    'SkywatchManagement-us-east-1.template.json',
    'SkywatchMember.template.json',
    'SkywatchMemberAssets-eu-west-1.template.json',
    'SkywatchMemberAssets-us-east-1.template.json',
    'SkywatchSecurityHubAdmin-eu-west-1.template.json',
    'SkywatchSecurityHubAdmin-us-east-1.template.json',
  ]);
  // The report lists the plugins that found violations (cdk-nag is always added: see nag.test.ts).
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
  expect(report.pluginReports).toEqual([]);
  // The detector bundle carries the rules it compiles at cold start, correlation rules included.
  const detectorAsset = readdirSync(outdir).filter((f) => f.startsWith('asset.') && existsSync(join(outdir, f, 'rules', 'cloudtrail')));
  expect(detectorAsset).toHaveLength(1);
  const bundled = loadRuleFolders([], {}, join(outdir, detectorAsset[0]!, 'rules'));
  expect(bundled.problems.filter((p) => p.kind !== 'unsupported')).toEqual([]);
  expect(bundled.correlations.map((c) => c.id)).toEqual(loadRuleFolders().correlations.map((c) => c.id));
  expect(bundled.correlations.map((c) => c.id)).toContain('one-address-findings-in-many-accounts');
  // ...and the ASN tables its behaviour rules read, with their licences, where ASN_DATA_DIR points.
  expect(readdirSync(join(outdir, detectorAsset[0]!, 'asn')).sort()).toEqual(['DBIP-LICENSE', 'MODIFICATIONS', 'NRO_LICENSE', 'ROUTEVIEWS-LICENSE', 'asn-ipv4.csv', 'asn-ipv6.csv']);
  // The statistics bundle carries its detectors and the IOC lists, and nothing else of rules/.
  const statisticsAsset = readdirSync(outdir).filter((f) => f.startsWith('asset.') && existsSync(join(outdir, f, 'rules', 'statistics')) && !detectorAsset.includes(f));
  expect(statisticsAsset).toHaveLength(1);
  expect(readdirSync(join(outdir, statisticsAsset[0]!, 'rules')).sort()).toEqual(['ioc', 'statistics']);
  const statistics = loadBundledStatistics(join(outdir, statisticsAsset[0]!, 'rules'), new Date());
  expect(statistics.detectors.map((d) => d.id)).toEqual(loadStatisticsFolders().detectors.map((l) => l.detector.id));
}, 180_000);
