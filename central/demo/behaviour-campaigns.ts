/**
 * The two planted intrusions that only behaviour baselines catch, placed after the week the
 * baselines learn from: a CI role that launches a few build instances a day is used to start a GPU
 * fleet in a region the organization never uses (cryptomining), and an Identity Center user who
 * always signs in from her provider signs in from a hosting network. Each writes the victim's
 * routine of the week too, so the baseline it is measured against is part of the scenario.
 */
import type { Actor } from './actors.js';
import { resourceId, uniqueId } from './aws-ids.js';
import { ATTACKERS, Campaign } from './campaign.js';
import type { CallShape } from './catalog.js';
import { assumedRole } from './identity.js';
import type { DemoAccount, DemoOrganization } from './organization.js';
import type { Random } from './random.js';
import { UNUSED_REGION, type TrailRegion } from './regions.js';
import { isoSeconds, MINUTE } from './time.js';
import { GITHUB_RUNNER_CLI } from './user-agents.js';

/** The CI runners' egress address: GitHub-hosted runners of the organization. */
const RUNNER_IP = '198.51.100.141';

/** A RunInstances of `count` instances of `type` (the build runners use c6i.large). */
function launch(rng: Random, account: DemoAccount, region: TrailRegion, type: string, count: number): CallShape {
  const subnetId = resourceId(rng, 'subnet');
  const clientToken = rng.uuid();
  const items = Array.from({ length: count }, (_, i) => ({
    instanceId: resourceId(rng, 'i'),
    imageId: 'ami-0f58b397bc5c1f2e8',
    instanceState: { code: 0, name: 'pending' },
    amiLaunchIndex: i,
    instanceType: type,
    placement: { availabilityZone: `${region}a`, tenancy: 'default' },
    subnetId,
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    clientToken,
  }));
  return {
    source: 'ec2.amazonaws.com',
    name: 'RunInstances',
    region,
    readOnly: false,
    request: { instancesSet: { items: [{ imageId: 'ami-0f58b397bc5c1f2e8', minCount: count, maxCount: count }] }, instanceType: type, subnetId, monitoring: { enabled: false }, disableApiTermination: false, clientToken },
    response: { requestId: rng.uuid(), reservationId: resourceId(rng, 'r'), ownerId: account.id, groupSet: {}, instancesSet: { items } },
  };
}

/** A successful Identity Center console sign-in. */
function ssoSignIn(): CallShape {
  return { source: 'signin.amazonaws.com', name: 'ConsoleLogin', region: 'us-east-1', readOnly: false, request: null, response: { ConsoleLogin: 'Success' }, additional: { MobileVersion: 'No', MFAUsed: 'No' }, eventType: 'AwsConsoleSignIn', host: null };
}

/**
 * Monday to Sunday the staging CI role launches one to three build instances a day in us-east-1;
 * the next Monday afternoon its credentials, lifted from a CI log, start 96 GPU instances in ap-south-1.
 */
export function cryptominingBurst(org: DemoOrganization, rng: Random, at: (hoursIntoWeek: number) => number): Campaign {
  const a = ATTACKERS.kali;
  const c = new Campaign(rng, org, 'staging', a, at(9.5));
  const account = c.account;
  const provider = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
  const ciAt = (ip: string, agent: string): Actor => ({ identity: (t) => assumedRole(account.principals.ci, 'GitHubActions', t, { webIdentityProvider: provider, session: { accessKeyId: uniqueId(rng, 'ASIA'), creationDate: isoSeconds(t - 2 * MINUTE) } }), ip, agent: () => agent });
  const runner = ciAt(RUNNER_IP, GITHUB_RUNNER_CLI);
  for (let day = 0; day < 7; day++) {
    for (let n = 1 + ((day * 5) % 3); n > 0; n--) c.recon(runner, launch(rng, account, 'us-east-1', 'c6i.large', 1), [600, 1800]);
    c.pause(Math.max(1, Math.round((at(9.5 + 24 * (day + 1)) - c.now) / MINUTE)));
  }
  c.pause(Math.round((at(168 + 15) - c.now) / MINUTE));
  const thief = ciAt(a.ip, a.userAgent);
  c.trigger('behaviour-new-region-for-principal', thief, launch(rng, account, UNUSED_REGION, 'g4dn.xlarge', 4), `the staging CI role launches GPU instances in ${UNUSED_REGION}, a region it never used`, [20, 60]);
  for (let i = 0; i < 23; i++) c.trigger('provisioning-volume-by-principal', thief, launch(rng, account, UNUSED_REGION, 'g4dn.xlarge', 4), 'the staging CI role launches 96 GPU instances within an hour', [20, 60]);
  return c.finish();
}

/** Erin signs in from her provider three times in the week; the next Monday evening someone signs in as her from a hosting network. */
export function consoleFromNewNetwork(org: DemoOrganization, rng: Random, at: (hoursIntoWeek: number) => number): Campaign {
  const a = ATTACKERS.legacyCli;
  const c = new Campaign(rng, org, 'data-analytics', a, at(8.7));
  const account = c.account;
  const erin = org.humans.find((h) => h.email.startsWith('erin@'))!;
  const identity = (t: number) => {
    const { accessKeyId: _key, ...rest } = assumedRole(account.principals.ssoAdmin, erin.email, t, { sso: true, session: { accessKeyId: '', creationDate: isoSeconds(t) } });
    return rest;
  };
  for (const day of [0, 2, 4]) {
    c.pause(Math.max(1, Math.round((at(8.7 + 24 * day) - c.now) / MINUTE)));
    c.recon({ identity, ip: erin.ip, agent: () => erin.browser }, ssoSignIn());
  }
  c.pause(Math.round((at(168 + 19.4) - c.now) / MINUTE));
  c.trigger('behaviour-console-login-new-network', { identity, ip: a.ip, agent: () => a.browser }, ssoSignIn(), "someone signs in to the console as erin from a hosting provider's network");
  return c.finish();
}
