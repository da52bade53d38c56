/**
 * The synthetic AWS Organization the demo logs describe: accounts in OUs, two regions, the people
 * and workloads that act in them. Everything is drawn from the seed, so ids are stable per seed.
 */
import { accountId, organizationId, ouId, rootId } from './aws-ids.js';
import { accountPrincipals, humans, type AccountPrincipals, type DemoHuman } from './org-principals.js';
import { accountResources, type AccountResources } from './org-resources.js';
import type { Random } from './random.js';
import { DEMO_REGIONS, type DemoRegion } from './regions.js';

/** The demo regions, re-exported beside the organization that uses them. */
export { DEMO_REGIONS, type DemoRegion } from './regions.js';

/** An organizational unit. */
export interface DemoOu {
  readonly id: string;
  readonly name: string;
  /** The parent OU's name, or undefined under the root. */
  readonly parent?: string;
}

/** One account with who acts in it and what it holds. */
export interface DemoAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly ou: DemoOu;
  readonly management: boolean;
  /** Relative share of the organization's API traffic. */
  readonly weight: number;
  /** Share of this account's regional traffic that happens in eu-west-1 (the rest is us-east-1). */
  readonly euShare: number;
  readonly principals: AccountPrincipals;
  readonly resources: AccountResources;
}

/** The organization trail every account's logs are delivered by. */
export interface DemoTrail {
  readonly name: string;
  readonly arn: string;
  readonly bucket: string;
  readonly homeRegion: DemoRegion;
}

/** The whole synthetic organization. */
export interface DemoOrganization {
  readonly id: string;
  readonly rootId: string;
  readonly regions: readonly DemoRegion[];
  readonly ous: readonly DemoOu[];
  readonly accounts: readonly DemoAccount[];
  readonly humans: readonly DemoHuman[];
  readonly trail: DemoTrail;
}

interface AccountPlan {
  readonly name: string;
  readonly ou: string;
  readonly weight: number;
  readonly euShare: number;
}

// Weights follow what real orgs look like: production and data accounts carry most calls, the
// management account little beyond SSO and Organizations, log-archive mostly KMS for the trail.
const ACCOUNT_PLAN: readonly AccountPlan[] = [
  { name: 'management', ou: 'Root', weight: 6, euShare: 0.2 },
  { name: 'security', ou: 'Security', weight: 10, euShare: 0.45 },
  { name: 'log-archive', ou: 'Security', weight: 6, euShare: 0.3 },
  { name: 'prod-payments', ou: 'Prod', weight: 22, euShare: 0.6 },
  { name: 'prod-web', ou: 'Prod', weight: 20, euShare: 0.3 },
  { name: 'staging', ou: 'NonProd', weight: 12, euShare: 0.4 },
  { name: 'dev-sandbox', ou: 'Sandbox', weight: 8, euShare: 0.3 },
  { name: 'data-analytics', ou: 'Prod', weight: 16, euShare: 0.5 },
];

const OU_PLAN: ReadonlyArray<readonly [string, string | undefined]> = [
  ['Security', undefined],
  ['Workloads', undefined],
  ['Prod', 'Workloads'],
  ['NonProd', 'Workloads'],
  ['Sandbox', undefined],
];

/** Builds the organization from a generator; only the generator's seed matters, not what was drawn. */
export function buildOrganization(random: Random): DemoOrganization {
  const rng = random.fork('organization');
  const id = organizationId(rng);
  const root = rootId(rng);
  const ous: DemoOu[] = OU_PLAN.map(([name, parent]) => ({ id: ouId(rng, root), name, parent }));
  const rootOu: DemoOu = { id: root, name: 'Root' };
  const people = humans(rng);
  const ids = new Set<string>();
  const accounts = ACCOUNT_PLAN.map((plan, index): DemoAccount => {
    let acct = accountId(rng);
    while (ids.has(acct)) acct = accountId(rng);
    ids.add(acct);
    const ou = plan.ou === 'Root' ? rootOu : ous.find((o) => o.name === plan.ou)!;
    return {
      id: acct,
      name: plan.name,
      email: `aws+${plan.name}@example.com`,
      ou,
      management: plan.name === 'management',
      weight: plan.weight,
      euShare: plan.euShare,
      principals: accountPrincipals(rng.fork(`principals/${plan.name}`), acct, plan.name),
      resources: accountResources(rng.fork(`resources/${plan.name}`), acct, plan.name, index),
    };
  });
  const management = accounts[0]!;
  const logArchive = accounts.find((a) => a.name === 'log-archive')!;
  const trail: DemoTrail = {
    name: 'org-trail',
    arn: `arn:aws:cloudtrail:us-east-1:${management.id}:trail/org-trail`,
    bucket: `aws-controltower-logs-${logArchive.id}-us-east-1`,
    homeRegion: 'us-east-1',
  };
  return { id, rootId: root, regions: DEMO_REGIONS, ous: [rootOu, ...ous], accounts, humans: people, trail };
}

/** The account with this name; throws when the demo plan has no such account. */
export function accountNamed(org: DemoOrganization, name: string): DemoAccount {
  const found = org.accounts.find((a) => a.name === name);
  if (!found) throw new Error(`the demo organization has no account named ${name}`);
  return found;
}
