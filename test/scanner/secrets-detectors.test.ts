import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSecretDetectors } from '../../member/scanner/secrets/detector-file.js';
import { findSecrets } from '../../member/scanner/secrets/find-secrets.js';
import { runDetectorTests } from '../../member/scanner/secrets/self-test.js';
import { readJsonLines } from '../support/fixtures.js';

const DIR = fileURLToPath(new URL('../../rules/secrets/', import.meta.url));
const { detectors, problems } = loadSecretDetectors(DIR);

describe('the bundled secret detectors', () => {
  it('load every file in rules/secrets without a problem', () => {
    expect(problems).toEqual([]);
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(detectors.map((d) => `${d.id}.yaml`)).toEqual(files);
    expect(detectors.map((d) => d.file)).toEqual(files.map((f) => `secrets/${f}`));
  });

  it('number more than thirty, each with at least two positive and two negative test lines', () => {
    expect(detectors.length).toBeGreaterThanOrEqual(30);
    const thin = detectors.filter((d) => d.tests.positive.length < 2 || d.tests.negative.length < 2).map((d) => d.id);
    expect(thin).toEqual([]);
  });

  it('cover the credentials and sensitive data the scanner promises', () => {
    const ids = new Set(detectors.map((d) => d.id));
    const promised = [
      'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'private-key', 'slack-webhook-url', 'slack-bot-token',
      'slack-user-token', 'slack-legacy-token', 'slack-config-token', 'github-personal-access-token', 'github-oauth-token',
      'github-app-token', 'github-refresh-token', 'github-fine-grained-token', 'gitlab-personal-access-token', 'jwt',
      'password-in-config', 'password-in-env-file', 'connection-string-password', 'credit-card-number', 'stripe-secret-key',
      'google-api-key', 'gcp-service-account-key', 'azure-ad-client-secret', 'npm-access-token', 'sumo-logic-access-key',
      'vault-service-token', 'ibm-cos-hmac-secret', 'mailchimp-api-key', 'scalingo-api-token', 'twilio-api-key',
      'sendgrid-api-key', 'openai-api-key', 'anthropic-api-key', 'us-social-security-number',
    ];
    expect(promised.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('use Sensitive Data Identifications finding types', () => {
    const others = detectors.filter((d) => !/^Sensitive Data Identifications\/(Passwords|Financial|PII)\/[^/]+$/.test(d.findingType));
    expect(others.map((d) => d.id)).toEqual([]);
  });

  it('pass their embedded tests, each line run against every detector', () => {
    expect(runDetectorTests(detectors)).toEqual([]);
  });
});

/**
 * The development fixtures: each `tp` line must be reported by our detector of that type and each
 * `fp` line must not. Two cases pass by deliberate choices rather than by format alone:
 * - gitleaks jwt `eyJhbGciOieeeiIsInR5cCI6IkpXVCJ9...`: its header decodes to `{"alg":'z","typ":"JWT"}`,
 *   not JSON; `jwt-header` accepts a brace-delimited header with an `"alg"` key so hand-edited tokens count.
 * - detect-secrets npm `//registry.npmjs.org/:_authToken=npm_xxxxxxxxxxx`: the registry-scoped .npmrc line
 *   is what makes it a credential, so npmrc-auth-token skips only environment references, not `xxxx`.
 * No fixture case is overridden.
 */
describe('the development fixtures', () => {
  const OURS: Record<string, string> = {
    'azure-ad-client-secret': 'azure-ad-client-secret',
    'github-app-token': 'github-app-token',
    'vault-service-token': 'vault-service-token',
    jwt: 'jwt',
    'scalingo-api-token': 'scalingo-api-token',
    'slack-legacy-bot-token': 'slack-bot-token',
    'stripe-access-token': 'stripe-secret-key',
    'sumologic-access-token': 'sumo-logic-access-key',
    ibm_cos_hmac: 'ibm-cos-hmac-secret',
    mailchimp_key: 'mailchimp-api-key',
    npm: 'npmrc-auth-token',
  };
  const gitleaks = readJsonLines<{ rule_id: string; label: 'tp' | 'fp'; text: string }>('secrets/gitleaks-dev-examples.jsonl')
    .map((c) => ({ type: c.rule_id, flag: c.label === 'tp', text: c.text }));
  const detectSecrets = readJsonLines<{ plugin: string; should_flag: boolean; text: string }>('secrets/detect-secrets-dev-lines.jsonl')
    .map((c) => ({ type: c.plugin, flag: c.should_flag, text: c.text }));
  const cases = [...gitleaks, ...detectSecrets];

  it('have a detector of ours for every fixture type', () => {
    expect([...new Set(cases.map((c) => c.type))].filter((t) => !OURS[t])).toEqual([]);
    expect(cases.length).toBe(132);
  });

  it.each(Object.entries(OURS))('%s: true positives are found by %s and false positives are not', (type, id) => {
    const ofType = cases.filter((c) => c.type === type);
    const wrong = ofType.filter((c) => findSecrets(c.text, detectors).some((m) => m.rule === id) !== c.flag).map((c) => `${c.flag ? 'missed' : 'flagged'}: ${c.text.slice(0, 80)}`);
    expect(ofType.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});
