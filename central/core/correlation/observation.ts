/**
 * What correlation joins: observations. Each is one base event seen by one detector (a rule hit that
 * became a finding, a GuardDuty or Config signal, an object-scan finding), reduced to what a
 * correlation rule can group and count by, so correlation never needs the raw record again and its
 * state stays small.
 */
import type { SeverityLabel } from '../rules/schema.js';

/** One base event as one detector saw it. */
export interface Observation {
  /**
   * Unique per base event and detector: `<event id>#<label>`. Redelivered events give the same id,
   * so correlation counts each once.
   */
  readonly id: string;
  /** The base event's id (CloudTrail `eventID`, GuardDuty finding id, ...). */
  readonly eventId: string;
  /** When the base event happened (RFC 3339): correlation windows are in event time. */
  readonly time: string;
  /** The account the event happened in, as AWS attributed it. */
  readonly account: string;
  readonly region: string;
  /** The detector: a rule id (`iam-user-created`), `guardduty:<finding type>`, `config:<config rule name>`. */
  readonly label: string;
  /**
   * Every name a correlation rule's `rules:` may refer to it by: the label, a Sigma rule's id and
   * name, `technique:T1078.004`, `tactic:persistence`. Matched exactly or with `*` wildcards.
   */
  readonly names: readonly string[];
  readonly severity: SeverityLabel;
  /** The base finding in Security Hub, for RelatedFindings (absent for a signal no rule restated). */
  readonly finding?: { readonly productArn: string; readonly id: string };
  /**
   * Normalized field values, several for multi-valued fields (`mitre.technique`, `resource.id`).
   * Names are documented in docs/correlation.md: `account`, `region`, `actor.arn`, `actor.principalId`,
   * `actor.accessKeyId`, `actor.name`, `actor.type`, `actor.roleArn`, `sourceIp`, `userAgent`,
   * `remoteIp` (sourceIp when it is an internet address), `userAgentFamily`, `eventName`, `eventSource`, `mitre.technique`, `mitre.parentTechnique`, `mitre.tactic`, `resource.id`,
   * `resource.type`, `errorCode`, `rule`, `severity`; plus raw record paths a rule's aliases name.
   */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  /** One line on what happened, for finding descriptions; never a secret. */
  readonly summary: string;
}

/** The smallest slice of an observation kept in correlation state: what a window evaluation needs. */
export type StoredObservation = Pick<Observation, 'id' | 'time' | 'account' | 'label' | 'severity' | 'summary'> & {
  /** Which of the rule's `rules:` entries it matched (index), for temporal types. */
  readonly ref: number;
  /** The `field` value(s) of a value_count rule. */
  readonly values?: readonly string[];
  readonly finding?: Observation['finding'];
};
