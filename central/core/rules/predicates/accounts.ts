/** Other AWS accounts named in a request: foreign ARNs, resource policies granting outsiders. */
import { z } from 'zod';
import type { SecurityEvent } from '../../event.js';
import { obj } from '../../decode/fields.js';
import { PathArg } from './args.js';
import type { Predicate } from './index.js';
import { parsePolicy, statements, values } from './policy.js';

const Args = z
  .object({
    path: PathArg,
    /** Accounts that are never "another account" for this rule (a log archive, a shared-services account). */
    trustedAccounts: z.array(z.string().regex(/^\d{12}$/)).default([]),
  })
  .strict();
type Args = z.infer<typeof Args>;

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12}):/;
const BARE_ACCOUNT = /^\d{12}$/;

/** The account an ARN or a bare account id names, if any. */
export function accountOf(value: string): string | undefined {
  if (BARE_ACCOUNT.test(value)) return value;
  return ACCOUNT_IN_ARN.exec(value)?.[1];
}

function isForeign(value: unknown, event: SecurityEvent, args: Args): boolean {
  if (typeof value !== 'string') return false;
  const account = accountOf(value);
  return account !== undefined && account !== event.account && !args.trustedAccounts.includes(account);
}

/** True when an ARN (or account id) at `path` belongs to an account other than the event's. */
export const arnFromAnotherAccount: Predicate<Args> = {
  description: 'an ARN or account id at `path` belongs to another account',
  args: Args,
  test(event, args) {
    return args.path(event).some((v) => isForeign(v, event, args));
  },
};

/** The principals of a statement: `"*"`, or the `AWS` members of a Principal block. */
function principals(statement: Record<string, unknown>): string[] {
  const p = statement.Principal;
  return values(typeof p === 'string' ? p : obj(p)?.AWS);
}

/**
 * True when the policy document at `path` allows a principal from another account: the backdoor
 * an attacker adds to a bucket, key or role to keep access from an account they control.
 */
export const grantsExternalAccount: Predicate<Args> = {
  description: 'the policy document at `path` allows a principal in another account',
  args: Args,
  test(event, args) {
    return args.path(event).some((doc) =>
      statements(parsePolicy(doc)).some((s) => s.Effect === 'Allow' && principals(s).some((p) => isForeign(p, event, args))),
    );
  },
};

const NoArgs = z.object({}).strict();

/**
 * True when a principal assumes a role owned by another account than its own, on the copy of the
 * event filed in the role's account. CloudTrail files a cross-account AssumeRole in both accounts;
 * keeping one copy makes the finding land in one account whichever copy arrives first.
 */
export const assumesRoleInAnotherAccount: Predicate<z.infer<typeof NoArgs>> = {
  description: 'the caller assumes a role that another account owns',
  args: NoArgs,
  test(event) {
    const roleArn = obj(event.raw.requestParameters)?.roleArn;
    const roleAccount = typeof roleArn === 'string' ? accountOf(roleArn) : undefined;
    const caller = event.actor.accountId;
    return roleAccount !== undefined && caller !== undefined && roleAccount !== caller && roleAccount === event.account;
  },
};
