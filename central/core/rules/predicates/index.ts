/**
 * Named predicates: the logic a match expression cannot say, as small pure functions referenced by
 * name from rule files (`predicate: actsOnAnotherUser`). Arguments are validated when a rule loads.
 */
import type { z } from 'zod';
import type { SecurityEvent } from '../../event.js';
import type { PredicateRef } from '../schema.js';
import { arnFromAnotherAccount, assumesRoleInAnotherAccount, grantsExternalAccount } from './accounts.js';
import { actsOnAnotherUser } from './identity.js';
import { worldOpenPermission } from './network.js';
import { policyGrantsAdmin, policyIsPublic } from './policy.js';

/** A predicate with its argument schema. */
export interface Predicate<A = unknown> {
  readonly description: string;
  readonly args: z.ZodType<A>;
  test(event: SecurityEvent, args: A): boolean;
}

/** Every predicate a rule may name. */
export const PREDICATES: Readonly<Record<string, Predicate<any>>> = {
  worldOpenPermission,
  policyIsPublic,
  policyGrantsAdmin,
  actsOnAnotherUser,
  arnFromAnotherAccount,
  grantsExternalAccount,
  assumesRoleInAnotherAccount,
};

/** Resolves a predicate reference and validates its arguments; throws naming the predicate. */
export function compilePredicate(ref: PredicateRef): (event: SecurityEvent) => boolean {
  const { name, args = {} } = typeof ref === 'string' ? { name: ref } : ref;
  const predicate = Object.hasOwn(PREDICATES, name) ? PREDICATES[name] : undefined;
  if (!predicate) throw new Error(`unknown predicate "${name}" (known: ${Object.keys(PREDICATES).join(', ')})`);
  const parsed = predicate.args.safeParse(args);
  if (!parsed.success) throw new Error(`invalid args for predicate "${name}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const valid: unknown = parsed.data;
  return (event) => predicate.test(event, valid);
}
