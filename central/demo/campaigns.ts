/**
 * The five planted intrusions. Each uses credentials an attacker could really have obtained (a leaked
 * IAM user key, a phished root password, credentials lifted from CI or a laptop's SSO cache), so the
 * identity in each record is one the organization already has, only the address and tool are foreign.
 */
import type { Actor } from './actors.js';
import {
  attachUserPolicy, controlCall, createAccessKey, createLoginProfile, createUser, deletePublicAccessBlock, deleteSecretNow,
  iamRecon, openPort, passwordConsoleLogin, putPublicBucketPolicy, scheduleKeyDeletion, shareDbSnapshotPublicly, shareSnapshotPublicly,
} from './attack-shapes.js';
import { resourceId, uniqueId } from './aws-ids.js';
import { ATTACKERS, Campaign, type DemoAttacker } from './campaign.js';
import { callerIdentity, EC2_READS, listBuckets } from './catalog.js';
import { assumedRole, iamUser, rootUser, type Json } from './identity.js';
import { consoleFromNewNetwork, cryptominingBurst } from './behaviour-campaigns.js';
import type { DemoOrganization } from './organization.js';
import type { Random } from './random.js';
import { isoSeconds, MINUTE } from './time.js';

/**
 * The attacker calling as `identity`: with their API tool, from the console (`console`), or signing in
 * (`sign-in`: a browser, but no console session yet).
 */
function as(attacker: DemoAttacker, identity: (t: number) => Json, via: 'api' | 'console' | 'sign-in' = 'api'): Actor {
  return { identity, ip: attacker.ip, agent: () => (via === 'api' ? attacker.userAgent : attacker.browser), console: via === 'console' || undefined };
}

/** Wednesday 03:12: svc-reporting's leaked key builds a backdoor admin, who then wipes the backups. */
function leakedKeyBackdoor(org: DemoOrganization, rng: Random, start: number): Campaign {
  const a = ATTACKERS.kali;
  const c = new Campaign(rng, org, 'data-analytics', a, start);
  const account = c.account;
  const leaked = account.principals.users[0]!;
  const asLeaked = as(a, () => iamUser(leaked, account.id));
  c.recon(asLeaked, callerIdentity('us-east-1')).recon(asLeaked, iamRecon('ListUsers')).recon(asLeaked, iamRecon('ListAttachedUserPolicies', leaked.name));
  const backdoorName = 'backup-admin';
  const created = createUser(rng, account, backdoorName, c.now);
  const key = uniqueId(rng, 'AKIA');
  c.trigger('iam-user-created', asLeaked, created.shape, `svc-reporting's leaked key creates the IAM user ${backdoorName}`)
    .trigger('iam-admin-policy-attached', asLeaked, attachUserPolicy(backdoorName, 'AdministratorAccess'), `AdministratorAccess attached to ${backdoorName}`)
    .trigger('iam-access-key-created-for-another-user', asLeaked, createAccessKey(backdoorName, key, c.now), `an access key created for ${backdoorName}`)
    .trigger('iam-login-profile-created-for-another-user', asLeaked, createLoginProfile(backdoorName, c.now), `a console password set for ${backdoorName}`)
    .pause(6);
  const backdoor = { name: backdoorName, id: created.userId, arn: `arn:aws:iam::${account.id}:user/${backdoorName}`, accessKeyId: key, ip: a.ip, userAgent: a.userAgent };
  c.trigger('console-login-without-mfa', as(a, () => iamUser(backdoor, account.id, null), 'sign-in'), passwordConsoleLogin(rng), `${backdoorName} signs in to the console with a password only`)
    .pause(21);
  const asBackdoor = as(a, () => iamUser(backdoor, account.id));
  const vault = 'analytics-vault';
  const planId = rng.uuid();
  const recoveryPoint = () => `arn:aws:backup:eu-west-1:${account.id}:recovery-point:${rng.uuid()}`;
  // The backup rule of the brief (backup-vault-or-plan-deleted) ships as two rules: plans and
  // selections (MEDIUM), and vaults and recovery points (HIGH).
  const plans = 'the analytics backup plan is deleted';
  const vaults = 'the analytics recovery points and backup vault are deleted';
  c.recon(asBackdoor, controlCall('backup.amazonaws.com', 'ListBackupPlans', 'eu-west-1', null, true))
    .trigger('backup-plan-deleted', asBackdoor, controlCall('backup.amazonaws.com', 'DeleteBackupSelection', 'eu-west-1', { backupPlanId: planId, selectionId: rng.uuid() }), plans)
    .trigger('backup-plan-deleted', asBackdoor, controlCall('backup.amazonaws.com', 'DeleteBackupPlan', 'eu-west-1', { backupPlanId: planId }, false, {
      backupPlanId: planId, backupPlanArn: `arn:aws:backup:eu-west-1:${account.id}:backup-plan:${planId}`, versionId: rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 32),
    }), plans)
    .recon(asBackdoor, controlCall('backup.amazonaws.com', 'ListRecoveryPointsByBackupVault', 'eu-west-1', { backupVaultName: vault }, true))
    .trigger('backup-vault-or-recovery-point-deleted', asBackdoor, controlCall('backup.amazonaws.com', 'DeleteRecoveryPoint', 'eu-west-1', { backupVaultName: vault, recoveryPointArn: recoveryPoint() }), vaults)
    .trigger('backup-vault-or-recovery-point-deleted', asBackdoor, controlCall('backup.amazonaws.com', 'DeleteRecoveryPoint', 'eu-west-1', { backupVaultName: vault, recoveryPointArn: recoveryPoint() }), vaults)
    .trigger('backup-vault-or-recovery-point-deleted', asBackdoor, controlCall('backup.amazonaws.com', 'DeleteBackupVault', 'eu-west-1', { backupVaultName: vault }), vaults);
  return c.finish();
}

/** Thursday 02:18: the same attacker, with CI credentials, exfiltrates payment data and destroys keys. */
function paymentsExfiltration(org: DemoOrganization, rng: Random, start: number): Campaign {
  const a = ATTACKERS.kali;
  const c = new Campaign(rng, org, 'prod-payments', a, start);
  const account = c.account;
  const provider = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
  const session = { accessKeyId: uniqueId(rng, 'ASIA'), creationDate: isoSeconds(start - 38 * MINUTE) };
  const ci = as(a, (t) => assumedRole(account.principals.ci, 'GitHubActions', t, { webIdentityProvider: provider, session }));
  const region = 'eu-west-1' as const;
  const secrets = account.resources.secrets.filter((s) => s.region === region);
  const stamp = new Date(start).toISOString().slice(0, 10);
  c.recon(ci, callerIdentity(region))
    .recon(ci, controlCall('ec2.amazonaws.com', 'DescribeSnapshots', region, { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, sharedUsersSet: {}, filterSet: {} }, true))
    .trigger('ec2-snapshot-shared', ci, shareSnapshotPublicly(rng, region, resourceId(rng, 'snap')), 'an EBS snapshot of the payments database volume is made public')
    .recon(ci, controlCall('rds.amazonaws.com', 'DescribeDBSnapshots', region, { dBInstanceIdentifier: 'payments-db', includeShared: false, includePublic: false }, true))
    .recon(ci, controlCall('rds.amazonaws.com', 'CopyDBSnapshot', region, { sourceDBSnapshotIdentifier: `rds:payments-db-${stamp}-01-05`, targetDBSnapshotIdentifier: 'payments-db-export', copyTags: false }))
    .pause(9)
    .trigger('rds-snapshot-shared', ci, shareDbSnapshotPublicly(region, 'payments-db-export'), 'a copy of the payments database snapshot is shared with everyone')
    .recon(ci, controlCall('secretsmanager.amazonaws.com', 'ListSecrets', region, { maxResults: 100 }, true))
    .recon(ci, controlCall('secretsmanager.amazonaws.com', 'GetSecretValue', region, { secretId: secrets[secrets.length - 1]!.arn }, true))
    .trigger('secret-deleted', ci, deleteSecretNow(secrets[0]!, c.now), 'the database credentials secret is deleted without recovery')
    .trigger('kms-key-deletion-scheduled', ci, scheduleKeyDeletion(account, account.resources.keys[region], c.now), 'the payments KMS key is scheduled for deletion');
  return c.finish();
}

/** Wednesday 14:06: an SSO session lifted from bob's laptop opens SSH to the world and publishes a bucket. */
function webExposure(org: DemoOrganization, rng: Random, start: number): Campaign {
  const a = ATTACKERS.legacyCli;
  const c = new Campaign(rng, org, 'prod-web', a, start);
  const account = c.account;
  const bob = org.humans.find((h) => h.email.startsWith('bob@'))!;
  const stolen = as(a, (t) => assumedRole(account.principals.ssoAdmin, bob.email, t, { sso: true, sessionHours: 8 }));
  const uploads = account.resources.buckets.find((b) => b.name.includes('user-uploads'))!;
  c.recon(stolen, callerIdentity('us-east-1'))
    .recon(stolen, EC2_READS.DescribeSecurityGroups!(rng, account, 'us-east-1'))
    .trigger('ec2-security-group-open-to-internet', stolen, openPort(rng, account, 'us-east-1', account.resources.networks['us-east-1'].securityGroupIds[0]!, 22), 'SSH opened to 0.0.0.0/0 on the web tier')
    .pause(3)
    .recon(stolen, listBuckets(rng))
    .trigger('s3-public-access-block-removed', stolen, deletePublicAccessBlock(rng, account, uploads), `the public access block of ${uploads.name} is deleted`)
    .trigger('s3-bucket-policy-public', stolen, putPublicBucketPolicy(rng, account, uploads), `${uploads.name} gets a policy that lets anyone read it`);
  return c.finish();
}

/** Thursday 02:54: with Terraform's credentials, the first attacker blinds staging before moving on. */
function stagingDefenseEvasion(org: DemoOrganization, rng: Random, start: number): Campaign {
  const a = ATTACKERS.kali;
  const c = new Campaign(rng, org, 'staging', a, start);
  const account = c.account;
  const region = 'eu-west-1' as const;
  const session = { accessKeyId: uniqueId(rng, 'ASIA'), creationDate: isoSeconds(start - 25 * MINUTE) };
  const tf = as(a, (t) => assumedRole(account.principals.terraform, 'terraform-11873390412', t, { session }));
  c.recon(tf, callerIdentity(region))
    .recon(tf, controlCall('cloudtrail.amazonaws.com', 'DescribeTrails', region, { trailNameList: [], includeShadowTrails: true }, true))
    .trigger('cloudtrail-logging-stopped', tf, controlCall('cloudtrail.amazonaws.com', 'StopLogging', region, { name: `arn:aws:cloudtrail:${region}:${account.id}:trail/staging-audit` }), "staging's own trail is stopped")
    .recon(tf, controlCall('guardduty.amazonaws.com', 'ListDetectors', region, null, true))
    .trigger('guardduty-detector-disabled', tf, controlCall('guardduty.amazonaws.com', 'DeleteDetector', region, { detectorId: account.resources.detectors[region] }), 'the GuardDuty detector is deleted')
    .recon(tf, controlCall('config.amazonaws.com', 'DescribeConfigurationRecorders', region, null, true))
    .trigger('config-recorder-stopped', tf, controlCall('config.amazonaws.com', 'StopConfigurationRecorder', region, { configurationRecorderName: 'default' }), 'the AWS Config recorder is stopped');
  return c.finish();
}

/** Tuesday 21:48: a phished root password for the sandbox; the attacker tries to take the account out of the organization. */
function sandboxRoot(org: DemoOrganization, rng: Random, start: number): Campaign {
  const a = ATTACKERS.legacyCli;
  const c = new Campaign(rng, org, 'dev-sandbox', a, start);
  const account = c.account;
  const session = { accessKeyId: uniqueId(rng, 'ASIA'), creationDate: isoSeconds(start), mfa: false };
  const root = as(a, () => rootUser(account.id, session), 'console');
  const denied = `User: arn:aws:iam::${account.id}:root is not authorized to perform: organizations:LeaveOrganization with an explicit deny in a service control policy`;
  const why = 'the root user signs in with a password and works in the console';
  c.trigger('root-account-usage', as(a, () => rootUser(account.id), 'sign-in'), passwordConsoleLogin(rng), why, [20, 90])
    .trigger('root-account-usage', root, controlCall('iam.amazonaws.com', 'GetAccountSummary', 'us-east-1', null, true), why)
    .trigger('root-account-usage', root, listBuckets(rng), why)
    .recon(root, controlCall('organizations.amazonaws.com', 'DescribeOrganization', 'us-east-1', null, true))
    .trigger('organizations-leave-attempt', root, { ...controlCall('organizations.amazonaws.com', 'LeaveOrganization', 'us-east-1', null), errorCode: 'AccessDenied', errorMessage: denied }, 'the root user tries to leave the organization and an SCP denies it');
  return c.finish();
}

/**
 * Friday 16:24: the shared Terraform runner is compromised, and its role in each of three production
 * accounts is used, minutes apart, from the same address to blind the account: GuardDuty deleted,
 * then the VPC flow logs. One by one these are three findings; together they are one intrusion.
 */
function fleetBlinding(org: DemoOrganization, rng: Random, start: number): Campaign[] {
  const a = ATTACKERS.legacyCli;
  let at = start;
  return ['prod-web', 'data-analytics', 'prod-payments'].map((name) => {
    const c = new Campaign(rng, org, name, a, at);
    const account = c.account;
    const region = 'us-east-1' as const;
    const session = { accessKeyId: uniqueId(rng, 'ASIA'), creationDate: isoSeconds(at - 3 * MINUTE) };
    const sessionName = `terraform-${rng.between(11_000_000_000, 11_999_999_999)}`;
    const tf = as(a, (t) => assumedRole(account.principals.terraform, sessionName, t, { session }));
    const flowLog = `fl-${rng.hex(17)}`;
    c.recon(tf, callerIdentity(region))
      .recon(tf, controlCall('guardduty.amazonaws.com', 'ListDetectors', region, null, true))
      .trigger('guardduty-detector-disabled', tf, controlCall('guardduty.amazonaws.com', 'DeleteDetector', region, { detectorId: account.resources.detectors[region] }), `the GuardDuty detector of ${name} is deleted with the Terraform role`)
      .recon(tf, controlCall('ec2.amazonaws.com', 'DescribeFlowLogs', region, { DescribeFlowLogsRequest: '' }, true))
      .trigger('vpc-flow-logs-deleted', tf, controlCall('ec2.amazonaws.com', 'DeleteFlowLogs', region, { DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: flowLog } } }, false, {
        DeleteFlowLogsResponse: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', requestId: rng.uuid(), unsuccessful: '' },
      }), `the VPC flow logs of ${name} are deleted`);
    at = c.now + rng.between(6, 11) * MINUTE;
    return c.finish();
  });
}

/** Every campaign, at its hour of the week (see `plantAttacks` for the scaling). */
export function plantedCampaigns(org: DemoOrganization, rng: Random, at: (hoursIntoWeek: number) => number): Campaign[] {
  return [
    sandboxRoot(org, rng.fork('sandbox-root'), at(45.8)),
    leakedKeyBackdoor(org, rng.fork('leaked-key'), at(51.2)),
    webExposure(org, rng.fork('web-exposure'), at(62.1)),
    paymentsExfiltration(org, rng.fork('payments'), at(74.3)),
    stagingDefenseEvasion(org, rng.fork('staging'), at(74.9)),
    ...fleetBlinding(org, rng.fork('fleet-blinding'), at(88.4)),
    // After the week, which is what behaviour baselines learn from.
    cryptominingBurst(org, rng.fork('cryptomining'), at),
    consoleFromNewNetwork(org, rng.fork('console-new-network'), at),
  ];
}
