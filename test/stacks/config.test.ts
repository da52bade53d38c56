/**
 * The deployment configuration fails synth with the wrong field's name and line, and fills defaults.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../stacks/common/repo-paths.js';
import { DeploymentConfigError, loadDeploymentConfig, parseDeploymentConfig } from '../../stacks/config/load.js';

const example = readFileSync(repoPath('skywatch.config.example.yaml'), 'utf8');
const withLine = (pattern: RegExp, replacement: string) => example.replace(pattern, replacement);

function errorOf(text: string): DeploymentConfigError {
  try {
    parseDeploymentConfig('skywatch.config.yaml', text);
  } catch (err) {
    if (err instanceof DeploymentConfigError) return err;
    throw err;
  }
  throw new Error('configuration was accepted');
}

describe('the deployment configuration', () => {
  it('accepts the example and fills the defaults', () => {
    const config = loadDeploymentConfig(repoPath('skywatch.config.example.yaml'));
    expect(config.memberRegions).toEqual(['eu-west-1', 'us-east-1']);
    expect(config.designateSecurityHubAdministrator).toBe(true);
    const minimal = parseDeploymentConfig('x.yaml', example.replace(/^scanner:[\s\S]*?(?=^stackSet:)/m, ''));
    expect(minimal.scanner).toEqual({ optInTagKey: 'skywatch:scan', optInTagValue: 'true', maxObjectMb: 100, skipMedia: false, yaraTimeoutSeconds: 20 });
    expect(parseDeploymentConfig('x.yaml', example.replace(/^detectorMaxConcurrency:.*\n/m, '')).detectorMaxConcurrency).toBe(10);
  });

  it('accepts the log archive key as a single-region or a multi-region KMS key ARN, and nothing else', () => {
    const withKey = (arn: string) => example.replace(/^(logArchive:\n  accountId: "333333333333"\n)/m, `$1  kmsKeyArn: ${arn}\n`);
    const single = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const multi = 'arn:aws:kms:eu-west-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    expect(parseDeploymentConfig('x.yaml', withKey(single)).logArchive.kmsKeyArn).toBe(single);
    expect(parseDeploymentConfig('x.yaml', withKey(multi)).logArchive.kmsKeyArn).toBe(multi);
    expect(errorOf(withKey('arn:aws:kms:eu-west-1:333333333333:alias/logs')).message).toContain('must be a KMS key ARN');
  });

  it.each([
    ['an account id without quotes that lost its digits', /centralAccountId: "222222222222"/, 'centralAccountId: 2222', 'centralAccountId', 'must be a 12-digit account id'],
    ['a malformed organization id', /organizationId: o-exampleorgid/, 'organizationId: org-1', 'organizationId', 'must look like o-exampleorgid'],
    ['member regions without us-east-1', /memberRegions: \[eu-west-1, us-east-1\]/, 'memberRegions: [eu-west-1]', 'memberRegions', 'must include us-east-1'],
    ['a home region outside the member regions', /homeRegion: eu-west-1/, 'homeRegion: eu-central-1', 'memberRegions', 'must include the home region eu-central-1'],
    ['an OU id that is an account id', /targetOrganizationalUnits: \[ou-exam-11111111\]/, 'targetOrganizationalUnits: ["444455556666"]', 'targetOrganizationalUnits.0', 'must be an OU id'],
    ['a notification email that is not one', /email: security-team@example.com/, 'email: security-team', 'notifications.email', 'must be an email address'],
    ['a severity that does not exist', /minimumSeverity: HIGH/, 'minimumSeverity: URGENT', 'notifications.minimumSeverity', ''],
    ['a prefix with a leading slash', /flowLogsPrefix: flowlogs\//, 'flowLogsPrefix: /flowlogs/', 'logArchive.flowLogsPrefix', "must be '' or end with '/'"],
    ['an unknown field (a typo)', /athenaBytesScannedCutoffGb: 10/, 'athenaBytesScanedCutoffGb: 10', '', 'athenaBytesScanedCutoffGb'],
    ['a detector concurrency below what Lambda allows', /detectorMaxConcurrency: 10/, 'detectorMaxConcurrency: 1', 'detectorMaxConcurrency', 'must be an integer from 2 to 1000'],
    ['a detector concurrency above what Lambda allows', /detectorMaxConcurrency: 10/, 'detectorMaxConcurrency: 1001', 'detectorMaxConcurrency', 'must be an integer from 2 to 1000'],
    ['the central account as the management account', /centralAccountId: "222222222222"/, 'centralAccountId: "111111111111"', 'centralAccountId', 'must differ from managementAccountId'],
  ])('rejects %s, naming the field and its line', (_, pattern, replacement, field, message) => {
    const text = withLine(pattern, replacement);
    expect(text).not.toBe(example);
    const err = errorOf(text);
    expect(err.message).toContain(message);
    if (field) expect(err.reason.startsWith(`${field}: `)).toBe(true);
    const key = field ? field.split('.').filter((part) => !/^\d+$/.test(part)).pop()! : replacement.split(':')[0]!;
    const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(`${key}:`)) + 1;
    expect(err.line).toBe(line);
  });

  it('reports a missing file and a YAML syntax error clearly', () => {
    expect(() => loadDeploymentConfig('/nonexistent/skywatch.config.yaml')).toThrow(/skywatch.config.yaml: configuration file not found/);
    expect(errorOf('organizationId: [o-abc\n').message).toMatch(/^skywatch.config.yaml:\d+: invalid YAML/);
  });
});
