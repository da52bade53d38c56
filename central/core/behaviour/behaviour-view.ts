/**
 * The fields behaviour rules read beyond the normalized event: the principal (the role of a role
 * session), the autonomous system of the source address, and the account of a role being assumed.
 * Built only when a first-seen rule admits a hit, so the other rules never pay for the lookups.
 */
import type { SecurityEvent } from '../event.js';
import type { AsnLookup } from '../ioc/asn-ranges.js';
import { accountOf } from '../rules/predicates/accounts.js';
import { principalOf } from './principal.js';

/** An event with the behaviour fields; templates and `of` paths read both. */
export type BehaviourView = SecurityEvent & {
  readonly principal?: string;
  /** The source address's autonomous system, when the address is public and the ASN data knows it. */
  readonly network?: { readonly asn: number; readonly asnName?: string };
  /** For AssumeRole: the account that owns the role. */
  readonly roleAccount?: string;
};

/** The event with its behaviour fields. */
export function behaviourView(event: SecurityEvent, asn: AsnLookup | undefined): BehaviourView {
  const info = event.sourceIp && asn ? asn.asnOf(event.sourceIp) : undefined;
  const roleArn = (event.raw.requestParameters as Record<string, unknown> | null | undefined)?.roleArn;
  const roleAccount = typeof roleArn === 'string' ? accountOf(roleArn) : undefined;
  return {
    ...event,
    principal: principalOf(event),
    ...(info && { network: { asn: info.asn, ...(info.name && { asnName: info.name }) } }),
    ...(roleAccount && { roleAccount }),
  };
}
