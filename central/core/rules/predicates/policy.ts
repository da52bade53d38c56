/** IAM and resource policy documents: public principals, administrator grants. */
import { z } from 'zod';
import { obj, str } from '../../decode/fields.js';
import { PathArg } from './args.js';
import type { Predicate } from './index.js';

/** Condition keys that pin a `*` principal to known callers, so the policy is not public. */
const RESTRICTING_KEYS = [
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount',
  'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip',
  'aws:userid', 'aws:username', 'aws:sourceowner', 'kms:calleraccount', 'kms:viaservice', 'sns:endpoint',
];

const PathArgs = z.object({ path: PathArg }).strict();

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

/** True when the policy at `path` allows `*` without a condition that pins the caller. */
export const policyIsPublic: Predicate<z.infer<typeof PathArgs>> = {
  description: 'the policy document at `path` allows any principal without a restricting condition',
  args: PathArgs,
  test(event, args) {
    return args.path(event).some((doc) =>
      statements(parsePolicy(doc)).some((s) => s.Effect === 'Allow' && isPublicPrincipal(s.Principal) && !isRestricted(s.Condition)),
    );
  },
};

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

