/**
 * Named predicates: the logic a match expression cannot say, as small pure functions referenced by
 * name from rule files (`predicate: worldOpenIngress`). Arguments are validated when a rule loads.
 */
import type { z } from 'zod';
import type { SecurityEvent } from '../../event.js';
import { arnFromAnotherAccount, grantsExternalAccount } from './accounts.js';
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
};
