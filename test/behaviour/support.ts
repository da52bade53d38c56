/** Realistic CloudTrail records for behaviour tests: a CI role launching instances, console sign-ins. */
import { createHash } from 'node:crypto';
import type { SecurityEvent } from '../../central/core/event.js';
import { eventOf } from '../support/detector.js';

export const ACCOUNT = '111122223333';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/ci-deployer`;

/** A deterministic UUID-shaped id, so two runs over the same events see the same ids. */
function idOf(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A session of the CI deploy role; each run has its own session name, as GitHub Actions does. */
export function ciSession(run: number) {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLECIDEPLOY1:GitHubActions-${run}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deployer/GitHubActions-${run}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIAEXAMPLECI${String(run).padStart(7, '0')}`,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLECIDEPLOY1', arn: ROLE_ARN, accountId: ACCOUNT, userName: 'ci-deployer' },
      webIdFederationData: { federatedProvider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      attributes: { creationDate: '2026-11-01T00:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

/** A successful RunInstances of `count` instances of `type`. */
export function runInstances(time: string, region: string, type: string, count: number, session = 1, seed = ''): SecurityEvent {
  const items = Array.from({ length: count }, (_, i) => ({
    instanceId: `i-0${createHash('sha1').update(`${time}${region}${seed}${i}`).digest('hex').slice(0, 16)}`,
    imageId: 'ami-0a1b2c3d4e5f67890',
    instanceType: type,
    currentState: { code: 0, name: 'pending' },
    placement: { availabilityZone: `${region}a` },
  }));
  return eventOf({
    eventVersion: '1.09',
    userIdentity: ciSession(session),
    eventTime: time,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: region,
    sourceIPAddress: '198.51.100.20',
    userAgent: 'aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0-18-amd64 md/arch#x86_64 lang/python#3.11.8 md/command#ec2.run-instances',
    requestParameters: { instancesSet: { items: [{ imageId: 'ami-0a1b2c3d4e5f67890', minCount: count, maxCount: count }] }, instanceType: type, monitoring: { enabled: false }, disableApiTermination: false },
    responseElements: { requestId: idOf(`req${time}${seed}`), reservationId: `r-0${idOf(time + seed).replace(/-/g, '').slice(0, 16)}`, ownerId: ACCOUNT, instancesSet: { items } },
    requestID: idOf(`request${time}${region}${seed}`),
    eventID: idOf(`event${time}${region}${seed}${count}${type}`),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  });
}

/**
 * A week of one to three small launches a day in eu-west-1, from 2026-11-01, at working hours;
 * the counts follow a fixed pattern so the test is the same on every run.
 */
export function quietWeek(): SecurityEvent[] {
  const perDay = [1, 3, 2, 1, 2, 3, 1];
  const events: SecurityEvent[] = [];
  perDay.forEach((n, day) => {
    for (let i = 0; i < n; i++) {
      const time = new Date(Date.UTC(2026, 10, 1 + day, 9 + i * 3, 12 + i, 40)).toISOString().replace('.000', '');
      events.push(runInstances(time, 'eu-west-1', 't3.medium', 1, day * 10 + i, `week${day}-${i}`));
    }
  });
  return events;
}

/** 100 launches of one GPU instance each within one hour, from `start`, in `region`. */
export function gpuBurst(start: string, region: string): SecurityEvent[] {
  const from = Date.parse(start);
  return Array.from({ length: 100 }, (_, i) => runInstances(new Date(from + i * 30_000).toISOString().replace('.000', ''), region, 'g4dn.xlarge', 1, 900, `burst${i}`));
}
