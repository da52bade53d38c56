/** The organization fake itself: it must refuse what the real services refuse, or onboarding's tests prove little. */
import { CloudFormationClient, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListMembersCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assumedRoleCredentials } from '../../central/aws/adapters/organizations-directory.js';
import { buildOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';
import { ManualClock } from '../support/detector.js';
import { demoFakeOrganization, OrganizationFake } from '../support/organization-fake.js';

const OWN = { accessKeyId: 'ASIAONBOARDINGLAMBDA', secretAccessKey: 'ownSecret/K7MDENGbPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEOnboarding' };

let fake: OrganizationFake;
let sts: STSClient;
let reader: OrganizationsClient;
let clock: ManualClock;

beforeEach(() => {
  clock = new ManualClock(Date.parse('2026-06-01T09:00:00Z'));
  fake = new OrganizationFake(demoFakeOrganization(buildOrganization(createRandom(7))), { clock, pageSize: 3 });
  sts = new STSClient({ region: 'us-east-1', credentials: OWN });
  reader = new OrganizationsClient({ region: 'us-east-1', credentials: assumedRoleCredentials(sts, fake.readerRoleArn, { clock }) });
  fake.mock({ organizations: OrganizationsClient, cloudFormation: CloudFormationClient, securityHub: SecurityHubClient, sts });
});
afterEach(() => fake.restore());

describe('the organization fake', () => {
  it('pages ListAccounts with NextToken until every account is listed', async () => {
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await reader.send(new ListAccountsCommand({ ...(token && { NextToken: token }) }));
      ids.push(...(page.Accounts ?? []).map((a) => a.Id!));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(ids).toEqual(fake.organization.accounts.map((a) => a.id));
    expect(fake.violations).toEqual([]);
  });

  it('refuses a NextToken issued for another call', async () => {
    const first = await reader.send(new ListAccountsCommand({}));
    const hub = new SecurityHubClient({ region: 'us-east-1', credentials: OWN });
    await expect(hub.send(new ListMembersCommand({ OnlyAssociated: false, NextToken: first.NextToken }))).rejects.toThrow('was not issued for this call');
    expect(fake.violations).toEqual([`ListMembers: NextToken ${first.NextToken} was not issued for this call`]);
  });

  it('records a MaxResults beyond the documented limit', async () => {
    await expect(reader.send(new ListAccountsCommand({ MaxResults: 50 }))).rejects.toThrow('MaxResults 50 is outside 1-20');
    expect(fake.violations).toEqual(['ListAccounts: MaxResults 50 is outside 1-20']);
  });

  it('answers Organizations and CloudFormation only to the coverage reader role', async () => {
    const own = new OrganizationsClient({ region: 'us-east-1', credentials: OWN });
    await expect(own.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const cfn = new CloudFormationClient({ region: 'us-east-1', credentials: OWN });
    await expect(cfn.send(new ListStackInstancesCommand({ StackSetName: 'skywatch-member', CallAs: 'SELF' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('hands out credentials for the coverage reader role only, with a session name AWS accepts', async () => {
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: fake.readerRoleArn.replace('skywatch-coverage-reader', 'OrganizationAccountAccessRole'), RoleSessionName: 'skywatch-onboarding' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: fake.readerRoleArn, RoleSessionName: 'x' }))).rejects.toThrow('RoleSessionName');
  });

  it('shares an STS stub with another fake, answering only for the reader role', async () => {
    const shared = new STSClient({ region: 'us-east-1', credentials: OWN });
    const other = mockClient(shared);
    // The other fake (the publisher's) was there first and answers every AssumeRole.
    other.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAWRITER0000000001', SecretAccessKey: 'writerSecret', SessionToken: 'writerToken', Expiration: new Date('2026-06-01T10:00:00Z') } });
    fake.handle({ sts: other });
    const writer = await shared.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::345678901234:role/skywatch-finding-writer', RoleSessionName: 'skywatch-publisher' }));
    const readerRole = await shared.send(new AssumeRoleCommand({ RoleArn: fake.readerRoleArn, RoleSessionName: 'skywatch-onboarding' }));
    expect(writer.Credentials?.AccessKeyId).toBe('ASIAWRITER0000000001');
    expect(readerRole.Credentials?.AccessKeyId).toBe('ASIAREADER0000000001');
    other.restore();
  });

  it('records any command it does not know', async () => {
    await expect(reader.send(new DescribeOrganizationCommand({}))).rejects.toThrow('unexpected command');
    expect(fake.violations).toHaveLength(1);
  });

  it('finds no StackSet in another region, as the StackSet lives in the home region', async () => {
    const elsewhere = new CloudFormationClient({ region: 'eu-west-1', credentials: assumedRoleCredentials(sts, fake.readerRoleArn, { clock }) });
    await expect(elsewhere.send(new ListStackInstancesCommand({ StackSetName: 'skywatch-member', CallAs: 'SELF' }))).rejects.toMatchObject({ name: 'StackSetNotFoundException' });
  });
});
