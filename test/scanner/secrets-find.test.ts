import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maskValue, shortHash } from '../../member/scanner/redact.js';
import { loadSecretDetectors, parseSecretDetectors } from '../../member/scanner/secrets/detector-file.js';
import { shannonEntropy } from '../../member/scanner/secrets/entropy.js';
import { findSecrets } from '../../member/scanner/secrets/find-secrets.js';

const { detectors } = loadSecretDetectors(fileURLToPath(new URL('../../rules/secrets/', import.meta.url)));

// Fake values shaped like the real formats.
const GITHUB_TOKEN = 'ghp_Xw6XYXMOexFOZRZltFZsodPTMWUsRNX5ZvkT';
const OTHER_GITHUB_TOKEN = 'ghp_xeKnBAnBRwf5Hd6m1e1ZJCoB8Uv4HDlRdE0R';
const KEY_ID = 'AKIAQIB5JIZSHHLVER4J';
const SECRET = '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';
const KEY_ID_2 = 'AKIADOMQCSQX2Q2J3ATD';
const SECRET_2 = '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';
const STRIPE_KEY = 'sk_live_ZSX5ZcCJCN9Sn2jSLA9EMJUd';
const PEM_BODY = [
  'MIIEowIBAAKCAQEAAyATZHQup3SprpMvv9K6Mlcf2G1SweamZZeIH9khgQdHGeGm',
  'FQD3uHxpVMJzMIscA8tgsSu0JTA1hCSZq80waI+BkDM61k03l8xIYmeSTeGp8rkN',
  'ssk8vJUQPDrxrCgGSIefdGVrEJ9tTAGguQkiUok6UNTXbMTcF2eVlLPm+X1iJSNF',
  'K7DQJZcIVQ9+g5xd2WJ693Uu0Hx2DV5z86R8gcUU',
].join('\n');
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`;
const WEBHOOK = 'https://hooks.slack.com/services/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';

/** One detector from YAML, for tests of a single mechanism. */
function detector(yaml: string) {
  const parsed = parseSecretDetectors([{ file: `secrets/${/^id: (\S+)/m.exec(yaml)![1]}.yaml`, text: yaml }]);
  expect(parsed.problems).toEqual([]);
  return parsed.detectors;
}
const TESTS = 'tests: { positive: [a], negative: [b] }';

describe('findSecrets', () => {
  it('reports a token at its exact byte offset and line, redacted', () => {
    const content = `# deploy settings\nREGION=eu-west-1\nGITHUB_TOKEN=${GITHUB_TOKEN}\n`;
    expect(findSecrets(content, detectors)).toEqual([
      {
        kind: 'secret',
        rule: 'github-personal-access-token',
        title: 'GitHub personal access token (classic)',
        offset: 48,
        line: 3,
        preview: 'ghp_****ZvkT',
        hash: shortHash(GITHUB_TOKEN),
        severity: 'HIGH',
        findingType: 'Sensitive Data Identifications/Passwords/GitHub token',
      },
    ]);
    expect(content.slice(48, 48 + GITHUB_TOKEN.length)).toBe(GITHUB_TOKEN);
  });

  it('counts offsets in bytes when the caller decodes the object as latin1', () => {
    const bytes = Buffer.from(`café ✓ token: ${GITHUB_TOKEN}`, 'utf8');
    const [match] = findSecrets(bytes.toString('latin1'), detectors);
    expect(match?.offset).toBe(bytes.indexOf(GITHUB_TOKEN));
    expect(match?.offset).toBe(17);
  });

  it('reports the same secret at two places as two matches, sorted by offset', () => {
    const content = `a: ${OTHER_GITHUB_TOKEN}\nb: ${GITHUB_TOKEN}\nc: ${OTHER_GITHUB_TOKEN}\n`;
    const matches = findSecrets(content, detectors);
    expect(matches.map((m) => [m.offset, m.line, m.hash])).toEqual([
      [3, 1, shortHash(OTHER_GITHUB_TOKEN)],
      [47, 2, shortHash(GITHUB_TOKEN)],
      [91, 3, shortHash(OTHER_GITHUB_TOKEN)],
    ]);
  });

  it('reports an access key id with its secret access key nearby as one pair match, at the secret', () => {
    const content = `[default]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
    expect(findSecrets(content, detectors)).toEqual([
      {
        kind: 'secret',
        rule: 'aws-secret-access-key',
        title: 'AWS access key pair (access key id and secret access key)',
        offset: 75,
        line: 3,
        preview: 'WsLo****y5nG',
        hash: shortHash(SECRET),
        severity: 'CRITICAL',
        findingType: 'Sensitive Data Identifications/Passwords/AWS secret access key',
      },
    ]);
    expect(content.slice(75, 115)).toBe(SECRET);
  });

  it('reports the secret of a pair once, even where a password detector would also match it', () => {
    const content = `aws_access_key_id = ${KEY_ID}\npassword = "${SECRET}"\n`;
    expect(findSecrets(content, detectors).map((m) => [m.rule, m.offset])).toEqual([['aws-secret-access-key', 53]]);
  });

  it('pairs each secret with its own access key id when a file holds two pairs', () => {
    const content = `${KEY_ID},${SECRET}\n${'#'.repeat(600)}\n${KEY_ID_2},${SECRET_2}\n`;
    const matches = findSecrets(content, detectors);
    expect(matches.map((m) => [m.rule, m.offset, m.hash])).toEqual([
      ['aws-secret-access-key', 21, shortHash(SECRET)],
      ['aws-secret-access-key', content.indexOf(SECRET_2), shortHash(SECRET_2)],
    ]);
  });

  it('reports an access key id alone, and not its secret, when they are more than 512 bytes apart', () => {
    const content = `aws_access_key_id = ${KEY_ID}\n${'x = 1\n'.repeat(100)}aws_secret_access_key = ${SECRET}\n`;
    expect(findSecrets(content, detectors).map((m) => [m.rule, m.offset, m.severity])).toEqual([['aws-access-key-id', 20, 'LOW']]);
  });

  it("skips AWS's documented example keys through the allow-list", () => {
    const content = '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
    expect(findSecrets(content, detectors)).toEqual([]);
  });

  it('reports a Luhn-valid card number and not the same digits with a wrong check digit', () => {
    const content = 'name,card\nkim,4242 4242 4242 4242\nlee,4242 4242 4242 4241\n';
    expect(findSecrets(content, detectors).map((m) => [m.rule, m.offset, m.line, m.preview])).toEqual([['credit-card-number', 14, 2, '424****242']]);
  });

  it('reports a PEM private key spanning lines once, at the first line of its body', () => {
    const content = `# key for the build agent\n${PEM}`;
    const matches = findSecrets(content, detectors);
    expect(matches.map((m) => [m.rule, m.offset, m.line, m.hash])).toEqual([['private-key', content.indexOf('MIIEow'), 3, shortHash(PEM_BODY)]]);
  });

  it('reports a Stripe key assigned to a password once, as a Stripe key: a format beats a generic detector', () => {
    const content = `DB_PASSWORD="${STRIPE_KEY}"\nDB_PASSWORD=${STRIPE_KEY}\n`;
    expect(findSecrets(content, detectors).map((m) => [m.rule, m.offset])).toEqual([
      ['stripe-secret-key', 13],
      ['stripe-secret-key', 59],
    ]);
  });

  it('reports a service-account key file as one match instead of the private key inside it', () => {
    const pkcs8 = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\n`;
    const file = JSON.stringify({ type: 'service_account', project_id: 'billing-prod-4821', private_key: pkcs8, client_email: 'exporter@billing-prod-4821.iam.gserviceaccount.com' }, null, 2);
    expect(findSecrets(file, detectors).map((m) => [m.rule, m.offset, m.line])).toEqual([['gcp-service-account-key', file.indexOf('-----BEGIN'), 4]]);
    expect(findSecrets(pkcs8, detectors).map((m) => [m.rule, m.offset, m.line])).toEqual([['private-key', 28, 2]]);
  });

  it('skips placeholders through the allow-lists of the password detectors', () => {
    const content = ['password: "${DB_PASSWORD}"', 'password = "<your-password>"', 'PASSWORD=changeme', 'postgres://app:password@localhost/db', 'password: "hT7#kq2Lz9"'].join('\n');
    expect(findSecrets(content, detectors).map((m) => [m.rule, m.line, m.preview])).toEqual([['password-in-config', 5, 'hT****z9']]);
  });

  it('skips a candidate below the minimum entropy', () => {
    const lowEntropy = detector(`id: low-entropy\ntitle: t\nseverity: LOW\nfindingType: Sensitive Data Identifications/Passwords/Test\nkeywords: [tok_]\npattern: 'tok_[a-z0-9]{16}'\nminEntropy: 3\n${TESTS}\n`);
    expect(findSecrets('tok_aaaaaaaabbbbbbbb tok_k3j9x0q2m7v5w8z1', lowEntropy).map((m) => m.offset)).toEqual([21]);
  });

  it('runs a detector only when one of its keywords occurs, in any case', () => {
    const keyed = detector(`id: keyed\ntitle: t\nseverity: LOW\nfindingType: Sensitive Data Identifications/Passwords/Test\nkeywords: [vendor]\npattern: '[0-9]{6}'\n${TESTS}\n`);
    expect(findSecrets('code 123456', keyed)).toEqual([]);
    expect(findSecrets('VENDOR code 123456', keyed).map((m) => m.offset)).toEqual([12]);
  });

  it('finds nothing in empty content and in prose', () => {
    expect(findSecrets('', detectors)).toEqual([]);
    expect(findSecrets('The password reset link was sent; rotate the token and update the config.\n', detectors)).toEqual([]);
  });

  it('never puts a raw secret into its matches', () => {
    const secrets = [GITHUB_TOKEN, SECRET, STRIPE_KEY, PEM_BODY, WEBHOOK, 'hT7#kq2Lz9', '4242424242424242', 'Xq7v2LrP9kZ'];
    const content = [
      `GITHUB_TOKEN=${GITHUB_TOKEN}`, `aws_access_key_id = ${KEY_ID}`, `aws_secret_access_key = ${SECRET}`, `stripe_key: ${STRIPE_KEY}`,
      PEM, `SLACK_WEBHOOK_URL=${WEBHOOK}`, 'DB_PASSWORD="hT7#kq2Lz9"', 'card=4242424242424242', 'DATABASE_URL=postgres://app:Xq7v2LrP9kZ@db.example.com/app',
    ].join('\n');
    const matches = findSecrets(content, detectors);
    expect(matches.map((m) => m.rule)).toEqual([
      'github-personal-access-token', 'aws-secret-access-key', 'stripe-secret-key', 'private-key', 'slack-webhook-url',
      'password-in-config', 'credit-card-number', 'connection-string-password',
    ]);
    const json = JSON.stringify(matches);
    for (const secret of secrets) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(secret.slice(4, -4));
    }
    expect(matches.map((m) => m.preview)).toEqual(secrets.map((s) => maskValue(s)));
    expect(json).not.toContain(KEY_ID);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated character, 1 for two even ones and 4 for sixteen', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('0123456789abcdef')).toBe(4);
  });
});
