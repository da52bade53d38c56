/**
 * Suppressions as data: known, accepted activity that should not page anyone, each with a reason,
 * an owner and an expiry date, so exceptions are reviewed instead of piling up. A suppressed finding
 * is still recorded (marked with the suppression), never dropped.
 */
import { z } from 'zod';
import { RULE_ID } from '../rules/schema.js';

const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** Where a suppression applies: every field given must hold; within a field, any value. */
const ScopeSchema = z
  .object({
    rules: OneOrMany.optional().describe('rule ids; * wildcards allowed'),
    accounts: z.union([z.string().regex(/^\d{12}$/), z.array(z.string().regex(/^\d{12}$/, 'must be a 12-digit account id')).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
    ous: OneOrMany.optional().describe('organizational unit ids (ou-...) or root ids (r-...) on the account path'),
    regions: OneOrMany.optional(),
    principals: OneOrMany.optional().describe('patterns over the actor ARN and, for role sessions, the role ARN; * wildcards'),
    resources: OneOrMany.optional().describe('patterns over the finding resource ids; * wildcards'),
    tags: z.record(z.string(), z.string()).optional().describe('account tags from the organization (never tags in the request); every pair must hold; * wildcards in values'),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), { message: 'a suppression needs at least one scope field: rules, accounts, ous, regions, principals, resources or tags' });

const SuppressionTestSchema = z
  .object({
    name: z.string().min(1),
    rule: z.string().regex(RULE_ID).describe('the rule whose finding the event produces'),
    suppressed: z.boolean(),
    account: z.object({ ous: z.array(z.string()).default([]), tags: z.record(z.string(), z.string()).default({}) }).strict().optional().describe('what the org directory says about the event account'),
    event: z.record(z.string(), z.unknown()),
  })
  .strict();

export const SuppressionSchema = z
  .object({
    id: z.string().regex(RULE_ID, 'must be lowercase words joined by hyphens'),
    reason: z.string().min(10, 'say why this activity is accepted'),
    owner: z.string().min(3).describe('who answers for it: a team or a person'),
    expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date: YYYY-MM-DD', abort: true }).refine(isCalendarDate, { message: 'no such day in the calendar' }),
    match: ScopeSchema,
    tests: z.array(SuppressionTestSchema).optional(),
  })
  .strict();

/** A suppressions file; each entry is checked on its own (SuppressionSchema), so one bad entry drops only itself. */
export const SuppressionsFileSchema = z.object({ suppressions: z.array(z.unknown()) }).strict();

/**
 * True for a YYYY-MM-DD that names a real day. Date.parse rolls an impossible day over (2026-02-30
 * becomes March 2nd) instead of failing, so the parts are compared after the round trip.
 */
function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

export type Suppression = z.infer<typeof SuppressionSchema>;
export type SuppressionTest = z.infer<typeof SuppressionTestSchema>;
