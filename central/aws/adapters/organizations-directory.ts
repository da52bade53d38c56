/**
 * Reads what the coverage check compares: the organization's accounts with their OU paths and tags
 * (Organizations) and the member StackSet's instances (CloudFormation), both in the management
 * account through the coverage reader role, and Security Hub membership, which the central account
 * administers with its own credentials.
 */
import { CloudFormationClient, paginateListStackInstances } from '@aws-sdk/client-cloudformation';
import { OrganizationsClient, paginateListAccounts, paginateListParents, paginateListTagsForResource } from '@aws-sdk/client-organizations';
import { paginateListMembers, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { OrganizationReader, OrganizationReadout } from '../../core/directory/organization-reader.js';
import type { SecurityHubMember, StackInstance } from '../../core/coverage/check.js';
import type { DirectoryAccount } from '../../core/directory/stored-directory.js';
import { systemClock, type Clock } from '../../core/ports.js';
import { log } from '../lambda/log.js';

/** Temporary credentials as SDK clients take them. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Renew assumed credentials this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** Organizations answers a handful of calls a second; a few lookups at a time stay under that. */
const PARALLEL_LOOKUPS = 4;

/** A credential provider that assumes a role and reuses the credentials until shortly before they expire. */
export function assumedRoleCredentials(sts: STSClient, roleArn: string, options: { readonly sessionName?: string; readonly clock?: Clock } = {}): () => Promise<TemporaryCredentials> {
  const clock = options.clock ?? systemClock;
  const assume = async (): Promise<TemporaryCredentials> => {
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: options.sessionName ?? 'skywatch-onboarding' }));
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  // Concurrent callers share one AssumeRole; its expiry is known once it answers.
  let current: { readonly credentials: Promise<TemporaryCredentials>; expiresAt?: number } | undefined;
  return async () => {
    if (current && (current.expiresAt === undefined || current.expiresAt - REFRESH_BEFORE_MS > clock.now().getTime())) return current.credentials;
    const entry: { readonly credentials: Promise<TemporaryCredentials>; expiresAt?: number } = { credentials: assume() };
    current = entry;
    entry.credentials.then(
      (c) => void (entry.expiresAt = c.expiration.getTime()),
      // A failure is not kept: the next call assumes the role again.
      () => void (current === entry && (current = undefined)),
    );
    return entry.credentials;
  };
}

/** The clients the reader calls; Organizations and CloudFormation hold the reader role's credentials. */
export interface OrganizationsDirectoryOptions {
  readonly organizations: OrganizationsClient;
  readonly cloudFormation: CloudFormationClient;
  /** The central account's own client in the home region (the Security Hub administrator). */
  readonly securityHub: SecurityHubClient;
  readonly stackSetName: string;
}

/** Reads the organization, the StackSet's instances and Security Hub membership. */
export class OrganizationsDirectory implements OrganizationReader {
  constructor(private readonly options: OrganizationsDirectoryOptions) {}

  async read(): Promise<OrganizationReadout> {
    const [accounts, stackInstances, securityHubMembers] = await Promise.all([this.accounts(), this.stackInstances(), this.securityHubMembers()]);
    return { ...accounts, stackInstances, securityHubMembers };
  }

  /** Every account with its OU path and tags; tags stay empty when the role may not read them. */
  async accounts(): Promise<{ accounts: DirectoryAccount[]; tagsReadable: boolean }> {
    const listed = [];
    for await (const page of paginateListAccounts({ client: this.options.organizations }, {})) listed.push(...(page.Accounts ?? []));
    const parents = new Map<string, Promise<string[]>>();
    let tagsReadable = true;
    const accounts: DirectoryAccount[] = new Array(listed.length);
    await inParallel(listed.map((a, i) => [a, i] as const), async ([a, i]) => {
      const id = a.Id ?? '';
      const ous = await this.pathTo(id, parents);
      let tags: Record<string, string> = {};
      if (tagsReadable) {
        try {
          tags = await this.tags(id);
        } catch (error) {
          if ((error as { name?: string }).name !== 'AccessDeniedException') throw error;
          // Without tags, tag-scoped suppressions do not apply: more findings, never fewer.
          if (tagsReadable) log.warn('account tags not readable', { reason: 'AccessDeniedException', action: 'organizations:ListTagsForResource' });
          tagsReadable = false;
        }
      }
      accounts[i] = { id, ...(a.Name !== undefined && { name: a.Name }), state: a.State ?? a.Status ?? 'UNKNOWN', ous, tags };
    });
    return { accounts: accounts.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)), tagsReadable };
  }

  /** The member StackSet's instances, each with its status and the last operation's outcome. */
  async stackInstances(): Promise<StackInstance[]> {
    const out: StackInstance[] = [];
    const pages = paginateListStackInstances({ client: this.options.cloudFormation }, { StackSetName: this.options.stackSetName, CallAs: 'SELF' });
    for await (const page of pages) {
      for (const s of page.Summaries ?? []) {
        if (!s.Account || !s.Region) continue;
        out.push({
          account: s.Account,
          region: s.Region,
          status: s.Status ?? 'UNKNOWN',
          ...(s.StackInstanceStatus?.DetailedStatus && { detailedStatus: s.StackInstanceStatus.DetailedStatus }),
          ...(s.StatusReason && { statusReason: s.StatusReason }),
        });
      }
    }
    return out;
  }

  /** Every Security Hub member of the administrator, associated or not. */
  async securityHubMembers(): Promise<SecurityHubMember[]> {
    const out: SecurityHubMember[] = [];
    for await (const page of paginateListMembers({ client: this.options.securityHub }, { OnlyAssociated: false })) {
      for (const m of page.Members ?? []) if (m.AccountId) out.push({ account: m.AccountId, status: m.MemberStatus ?? 'unknown' });
    }
    return out;
  }

  /** The root id and OU ids from the root down to the child's parent; OU paths are shared between accounts. */
  private pathTo(childId: string, cache: Map<string, Promise<string[]>>): Promise<string[]> {
    const cached = cache.get(childId);
    if (cached) return cached;
    const path = (async () => {
      const parents = [];
      for await (const page of paginateListParents({ client: this.options.organizations }, { ChildId: childId })) parents.push(...(page.Parents ?? []));
      const parent = parents[0];
      if (!parent?.Id) throw new Error(`Organizations lists no parent for ${childId}`);
      if (parent.Type === 'ROOT') return [parent.Id];
      return [...(await this.pathTo(parent.Id, cache)), parent.Id];
    })();
    // Accounts are unique; only OU paths are worth keeping.
    if (!/^\d{12}$/.test(childId)) cache.set(childId, path);
    return path;
  }

  private async tags(accountId: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    for await (const page of paginateListTagsForResource({ client: this.options.organizations }, { ResourceId: accountId })) {
      for (const t of page.Tags ?? []) if (t.Key !== undefined && t.Value !== undefined) tags[t.Key] = t.Value;
    }
    return tags;
  }
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LOOKUPS, items.length) }, worker));
}
