/**
 * Decides whether a rule hit falls under a suppression. Pure: the account's OUs and tags come from
 * an AccountDirectory port (Organizations in AWS, an organization file locally).
 *
 * Tags are the account's, as the directory knows them, never tags in the request: whoever makes a
 * call chooses the tags it carries, so an attacker creating `env: sandbox` resources in a production
 * account must not be able to silence the findings about it.
 */
import type { SecurityEvent } from '../event.js';
import { starPattern } from '../wildcard.js';
import type { Suppression } from './schema.js';

/** What the organization says about an account. */
export interface AccountInfo {
  readonly name?: string;
  /** Root, OU ids from the root down to the account's parent. */
  readonly ous: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Looks accounts up; undefined when the account is unknown. */
export interface AccountDirectory {
  describe(account: string): AccountInfo | undefined;
}

/** A suppression ready to apply. */
export interface CompiledSuppression {
  readonly id: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly file: string;
  /** True once the expiry day is over. */
  expired(now: Date): boolean;
  /** Whether the finding a rule produces from this event is suppressed. */
  applies(ruleId: string, event: SecurityEvent, resourceIds: readonly string[], directory?: AccountDirectory): boolean;
}

/** Compiles a validated suppression. */
export function compileSuppression(s: Suppression, file: string): CompiledSuppression {
  const m = s.match;
  const rules = m.rules?.map(starPattern);
  const principals = m.principals?.map(starPattern);
  const resources = m.resources?.map(starPattern);
  const tags = m.tags && Object.entries(m.tags).map(([k, v]) => [k, starPattern(v)] as const);
  // The suppression holds through the whole expiry day, in UTC.
  const end = Date.parse(`${s.expires}T00:00:00Z`) + 86_400_000;
  return {
    id: s.id,
    reason: s.reason,
    owner: s.owner,
    expires: s.expires,
    file,
    expired: (now) => now.getTime() >= end,
    applies(ruleId, event, resourceIds, directory) {
      if (rules && !rules.some((r) => r.test(ruleId))) return false;
      if (m.accounts && !m.accounts.includes(event.account)) return false;
      if (m.regions && !m.regions.includes(event.region)) return false;
      if (principals) {
        const arns = [event.actor.arn, event.actor.roleArn].filter((a): a is string => !!a);
        if (!principals.some((p) => arns.some((a) => p.test(a)))) return false;
      }
      if (resources && !resources.some((p) => resourceIds.some((id) => p.test(id)))) return false;
      const info = m.ous || tags ? directory?.describe(event.account) : undefined;
      if (m.ous && !m.ous.some((ou) => info?.ous.includes(ou))) return false;
      if (tags) {
        for (const [key, value] of tags) {
          const tag = info?.tags[key];
          if (tag === undefined || !value.test(tag)) return false;
        }
      }
      return true;
    },
  };
}

/** The first unexpired suppression that applies, if any. */
export function findSuppression(
  suppressions: readonly CompiledSuppression[],
  now: Date,
  ruleId: string,
  event: SecurityEvent,
  resourceIds: readonly string[],
  directory?: AccountDirectory,
): CompiledSuppression | undefined {
  return suppressions.find((s) => !s.expired(now) && s.applies(ruleId, event, resourceIds, directory));
}
