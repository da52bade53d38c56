/**
 * The fields behaviour rules read beyond the normalized event: the principal (the role of a role
 * session), the autonomous system of the source address, and the account of a role being assumed.
 * Read one field at a time, straight from the event, when a first-seen rule's key or value names
 * it: these rules see nearly every event, and a copy of each event would cost more than the rule.
 */
import type { SecurityEvent } from '../event.js';
import type { AsnLookup } from '../ioc/asn-ranges.js';
import { accountOf } from '../rules/predicates/accounts.js';
import { principalOf } from './principal.js';

/** The behaviour fields a rule's `of` may name, besides the event's own paths. */
export const BEHAVIOUR_FIELDS = ['principal', 'network.asn', 'network.asnName', 'roleAccount'] as const;
export type BehaviourField = (typeof BEHAVIOUR_FIELDS)[number];

/** True when a path names a behaviour field rather than one of the event's. */
export function isBehaviourField(path: string): path is BehaviourField {
  return (BEHAVIOUR_FIELDS as readonly string[]).includes(path);
}

/** One behaviour field of an event, or undefined when it has none (no ASN data, a private address). */
export function behaviourField(event: SecurityEvent, field: BehaviourField, asn: AsnLookup | undefined): string | undefined {
  switch (field) {
    case 'principal':
      return principalOf(event);
    case 'network.asn':
    case 'network.asnName': {
      const info = event.sourceIp && asn ? asn.asnOf(event.sourceIp) : undefined;
      const value = field === 'network.asn' ? info?.asn : info?.name;
      return value === undefined ? undefined : String(value);
    }
    case 'roleAccount': {
      const roleArn = (event.raw.requestParameters as Record<string, unknown> | null | undefined)?.roleArn;
      return typeof roleArn === 'string' ? accountOf(roleArn) : undefined;
    }
  }
}

/**
 * The event with every behaviour field set, for a hit that passed: its title, dedup key and
 * runbook may name `{{network.asn}}` or `{{roleAccount}}`. Built only for the few hits that fire.
 */
export function withBehaviourFields(event: SecurityEvent, asn: AsnLookup | undefined): SecurityEvent {
  const principal = behaviourField(event, 'principal', asn);
  const asnNumber = behaviourField(event, 'network.asn', asn);
  const asnName = behaviourField(event, 'network.asnName', asn);
  const roleAccount = behaviourField(event, 'roleAccount', asn);
  return {
    ...event,
    ...(principal && { principal }),
    ...(asnNumber && { network: { asn: Number(asnNumber), ...(asnName && { asnName }) } }),
    ...(roleAccount && { roleAccount }),
  } as SecurityEvent;
}
