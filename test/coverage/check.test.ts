import { describe, expect, it } from 'vitest';
import { findGaps, type CoverageInputs, type StackInstance } from '../../central/core/coverage/check.js';
import { buildOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';

const MANAGEMENT = '210987654321';
const CENTRAL = '123456789012';
const PAYMENTS = '345678901234';
const WEB = '456789012345';
const REGIONS = ['us-east-1', 'eu-west-1'];

const current = (account: string, region: string): StackInstance => ({ account, region, status: 'CURRENT', detailedStatus: 'SUCCEEDED' });

/** Management, central and prod-payments, all covered. */
function covered(): CoverageInputs {
  return {
    accounts: [
      { id: MANAGEMENT, name: 'management', state: 'ACTIVE' },
      { id: CENTRAL, name: 'security', state: 'ACTIVE' },
      { id: PAYMENTS, name: 'prod-payments', state: 'ACTIVE' },
    ],
    managementAccount: MANAGEMENT,
    centralAccount: CENTRAL,
    homeRegion: 'us-east-1',
    memberRegions: REGIONS,
    stackInstances: [CENTRAL, PAYMENTS].flatMap((a) => REGIONS.map((r) => current(a, r))),
    securityHubMembers: [
      { account: MANAGEMENT, status: 'Enabled' },
      { account: PAYMENTS, status: 'Enabled' },
    ],
  };
}

describe('the coverage check', () => {
  it('finds no gap in the demo organization when every member has CURRENT instances everywhere and Security Hub enabled', () => {
    const org = buildOrganization(createRandom(7));
    const management = org.accounts.find((a) => a.management)!;
    const central = org.accounts.find((a) => a.name === 'security')!;
    const gaps = findGaps({
      accounts: org.accounts.map((a) => ({ id: a.id, name: a.name, state: 'ACTIVE' })),
      managementAccount: management.id,
      centralAccount: central.id,
      homeRegion: 'us-east-1',
      memberRegions: org.regions,
      stackInstances: org.accounts.filter((a) => !a.management).flatMap((a) => org.regions.map((r) => current(a.id, r))),
      securityHubMembers: org.accounts.filter((a) => a !== central).map((a) => ({ account: a.id, status: 'Enabled' })),
    });
    expect(gaps).toEqual([]);
  });

  it('reports a new account without any stack instance as member-stack-missing in every member region', () => {
    const inputs = covered();
    const gaps = findGaps({
      ...inputs,
      accounts: [...inputs.accounts, { id: WEB, name: 'prod-web', state: 'ACTIVE' }],
      securityHubMembers: [...inputs.securityHubMembers, { account: WEB, status: 'Enabled' }],
    });
    expect(gaps).toEqual([
      { kind: 'member-stack-missing', account: WEB, region: 'eu-west-1', detail: 'no stack instance' },
      { kind: 'member-stack-missing', account: WEB, region: 'us-east-1', detail: 'no stack instance' },
    ]);
  });

  it('reports forwarding-missing only for the region an account lacks', () => {
    const inputs = covered();
    const gaps = findGaps({ ...inputs, stackInstances: inputs.stackInstances.filter((i) => !(i.account === PAYMENTS && i.region === 'eu-west-1')) });
    expect(gaps).toEqual([{ kind: 'forwarding-missing', account: PAYMENTS, region: 'eu-west-1', detail: 'no stack instance' }]);
  });

  it('counts an OUTDATED instance as missing and carries its status and reason', () => {
    const inputs = covered();
    const reason = 'ResourceLogicalId:ForwardApiCalls, ResourceType:AWS::Events::Rule, ResourceStatusReason:Resource handler returned message: "Access denied for operation \'PutRule\'."';
    const outdated: StackInstance = { account: PAYMENTS, region: 'eu-west-1', status: 'OUTDATED', detailedStatus: 'FAILED', statusReason: reason };
    const gaps = findGaps({ ...inputs, stackInstances: [...inputs.stackInstances.filter((i) => !(i.account === PAYMENTS && i.region === 'eu-west-1')), outdated] });
    expect(gaps).toEqual([{ kind: 'forwarding-missing', account: PAYMENTS, region: 'eu-west-1', detail: `stack instance OUTDATED (FAILED): ${reason}` }]);
  });

  it('reports member-stack-missing when no instance of the account is CURRENT, even if some exist', () => {
    const inputs = covered();
    const others = inputs.stackInstances.filter((i) => i.account !== PAYMENTS);
    const gaps = findGaps({
      ...inputs,
      stackInstances: [...others, { account: PAYMENTS, region: 'us-east-1', status: 'INOPERABLE', detailedStatus: 'INOPERABLE' }, { account: PAYMENTS, region: 'eu-west-1', status: 'OUTDATED', detailedStatus: 'RUNNING' }],
    });
    expect(gaps).toEqual([
      { kind: 'member-stack-missing', account: PAYMENTS, region: 'eu-west-1', detail: 'stack instance OUTDATED (RUNNING)' },
      { kind: 'member-stack-missing', account: PAYMENTS, region: 'us-east-1', detail: 'stack instance INOPERABLE (INOPERABLE)' },
    ]);
  });

  it('ignores suspended and closing accounts', () => {
    const inputs = covered();
    const gaps = findGaps({
      ...inputs,
      accounts: [...inputs.accounts, { id: WEB, name: 'prod-web', state: 'SUSPENDED' }, { id: '567890123456', name: 'old-sandbox', state: 'PENDING_CLOSURE' }],
    });
    expect(gaps).toEqual([]);
  });

  it('never expects a stack instance in the management account, but does check its Security Hub membership', () => {
    const inputs = covered();
    const gaps = findGaps({ ...inputs, securityHubMembers: inputs.securityHubMembers.filter((m) => m.account !== MANAGEMENT) });
    expect(gaps).toEqual([{ kind: 'security-hub-off', account: MANAGEMENT, region: 'us-east-1', detail: `not a Security Hub member of the administrator account ${CENTRAL}` }]);
  });

  it('does not expect the central account to be a member of itself', () => {
    const inputs = covered();
    expect(inputs.securityHubMembers.map((m) => m.account)).not.toContain(CENTRAL);
    expect(findGaps(inputs)).toEqual([]);
  });

  it('reports security-hub-off in the home region for a member that is not Enabled', () => {
    const inputs = covered();
    const gaps = findGaps({ ...inputs, securityHubMembers: [{ account: MANAGEMENT, status: 'Enabled' }, { account: PAYMENTS, status: 'Resigned' }] });
    expect(gaps).toEqual([{ kind: 'security-hub-off', account: PAYMENTS, region: 'us-east-1', detail: 'Security Hub member status is Resigned' }]);
  });

  it('ignores instances outside the member regions and of accounts no longer in the organization', () => {
    const inputs = covered();
    const gaps = findGaps({ ...inputs, stackInstances: [...inputs.stackInstances, current(PAYMENTS, 'ap-southeast-2'), current('678901234567', 'us-east-1')] });
    expect(gaps).toEqual([]);
  });
});
