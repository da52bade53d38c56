/** Deterministic finding ids: the same rule, account, region and dedup key always give the same Id. */
import { createHash } from 'node:crypto';

/** `skywatch/<region>/<account>/<rule>/<32 hex of sha256(dedup key)>`; never a timestamp. */
export function findingId(ruleId: string, account: string, region: string, dedupKey: string): string {
  const digest = createHash('sha256').update(`${ruleId}\u0000${account}\u0000${region}\u0000${dedupKey}`).digest('hex');
  return `skywatch/${region}/${account}/${ruleId}/${digest.slice(0, 32)}`;
}
