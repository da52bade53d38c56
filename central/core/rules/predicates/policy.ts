/** IAM and resource policy documents: public principals, administrator grants. */
import { z } from 'zod';
import { obj, str } from '../../decode/fields.js';
import { ANY, compileWildcard } from '../../wildcard.js';
import { PathArg } from './args.js';
import type { Predicate } from './index.js';

/** Condition keys that pin a `*` principal to known callers, so the policy is not public. */
const RESTRICTING_KEYS = [
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount',
  'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip',
  'aws:userid', 'aws:username', 'aws:sourceowner', 'kms:calleraccount', 'kms:viaservice', 'sns:endpoint',
];

const PathArgs = z.object({ path: PathArg }).strict();

const PublicArgs = z
  .object({
    path: PathArg,
    /** Only statements with no Condition block at all count (the worst case, rated higher). */
    unconditional: z.boolean().default(false),
    /** Only statements whose Action grants one of these count; IAM wildcards in the policy are honoured. */
    actions: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
type PublicArgs = z.infer<typeof PublicArgs>;

/** Parses a policy that CloudTrail logged as an object, a JSON string, or a URL-encoded JSON string. */
export function parsePolicy(value: unknown): Record<string, unknown> | undefined {
  if (obj(value)) return obj(value);
  let text = str(value);
  if (!text) return undefined;
  if (text.startsWith('%7B') || text.startsWith('%7b')) {
    try { text = decodeURIComponent(text.replace(/\+/g, ' ')); } catch { return undefined; }
  }
  try { return obj(JSON.parse(text)); } catch { return undefined; }
}

export function statements(policy: Record<string, unknown> | undefined): Record<string, unknown>[] {
  const s = policy?.Statement;
  return (Array.isArray(s) ? s : [s]).map(obj).filter((x): x is Record<string, unknown> => x !== undefined);
}

export function values(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  const p = obj(principal);
  return p !== undefined && values(p.AWS).includes('*');
}

function isRestricted(condition: unknown): boolean {
  for (const operator of Object.values(obj(condition) ?? {})) {
    for (const key of Object.keys(obj(operator) ?? {})) if (RESTRICTING_KEYS.includes(key.toLowerCase())) return true;
  }
  return false;
}

/**
 * True when the policy at `path` allows `*` without a condition that pins the caller; with
 * `unconditional`, without any condition; with `actions`, in a statement granting one of them.
 */
export const policyIsPublic: Predicate<PublicArgs> = {
  description: 'the policy document at `path` allows any principal without a restricting condition',
  args: PublicArgs,
  test(event, args) {
    const grants = args.actions && args.actions.map((a) => a.toLowerCase());
    return args.path(event).some((doc) =>
      statements(parsePolicy(doc)).some(
        (s) =>
          s.Effect === 'Allow' &&
          isPublicPrincipal(s.Principal) &&
          (args.unconditional ? Object.keys(obj(s.Condition) ?? {}).length === 0 : !isRestricted(s.Condition)) &&
          (grants === undefined || values(s.Action).some((pattern) => grants.some((a) => actionMatches(pattern, a)))),
      ),
    );
  },
};

/** IAM action patterns (`ecr:*`, `ecr:Put*`) compare without case; `*` and `?` are wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  const segments = pattern.toLowerCase().split('*').map((s) => s.split('').map((c) => (c === '?' ? ANY : c)));
  return compileWildcard(segments).test(action);
}

/** True when the policy at `path` allows every action on every resource. */
export const policyGrantsAdmin: Predicate<z.infer<typeof PathArgs>> = {
  description: 'the policy document at `path` allows "*" actions on "*" resources',
  args: PathArgs,
  test(event, args) {
    return args.path(event).some((doc) =>
      statements(parsePolicy(doc)).some(
        (s) => s.Effect === 'Allow' && values(s.Action).some((a) => a === '*' || a === '*:*') && values(s.Resource).includes('*'),
      ),
    );
  },
};

