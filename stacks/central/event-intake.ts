/**
 * The `skywatch` bus every member forwards to, open to `events:PutEvents` only from the roles Skywatch
 * puts in the accounts of this organization, and the rule that queues everything on it for the detector.
 */
import { Aws, type Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { QueueWithDeadLetter } from '../common/queue-with-dead-letter.js';
import { CENTRAL_BUS_NAME, FORWARDER_ROLE_PREFIX, ORGANIZATION_EVENTS_ROLE_NAME, SCANNER_ROLE_PREFIX } from '../names.js';

export interface EventIntakeProps {
  readonly organizationId: string;
  /** The account whose role forwards Organizations events (they are recorded only there). */
  readonly managementAccountId: string;
  /** The detector's timeout, which sets the event queue's visibility. */
  readonly detectorTimeout: Duration;
}

/**
 * The roles that may put events on the central bus, as IAM role ARN patterns: the forwarding and scanner
 * roles of any account (accounts join after deploy), the Organizations events role of the management
 * account only. Any other principal of the organization is refused, so a member cannot post an event
 * from a role of its own choosing.
 */
export function centralBusSenders(managementAccountId: string): string[] {
  const role = (account: string, name: string) => `arn:${Aws.PARTITION}:iam::${account}:role/${name}`;
  return [role('*', `${FORWARDER_ROLE_PREFIX}*`), role('*', `${SCANNER_ROLE_PREFIX}*`), role(managementAccountId, ORGANIZATION_EVENTS_ROLE_NAME)];
}

/** The central bus, its policy and the detector's event queue. */
export class EventIntake extends Construct {
  readonly bus: events.EventBus;
  readonly work: QueueWithDeadLetter;

  constructor(scope: Construct, id: string, props: EventIntakeProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: CENTRAL_BUS_NAME, description: 'Skywatch: security events from every account of the organization' });
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SkywatchRolesPutEvents',
        // Member accounts are not known at deploy: any principal, narrowed by organization and role name.
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
          ArnLike: { 'aws:PrincipalArn': centralBusSenders(props.managementAccountId) },
        },
      }),
    );
    this.work = new QueueWithDeadLetter(this, 'Events', { consumerTimeout: props.detectorTimeout });
    new events.Rule(this, 'ToDetector', {
      eventBus: this.bus,
      description: 'Skywatch: every event on the central bus to the detector queue',
      // Matches every event: the members already filtered what they forward.
      eventPattern: { source: events.Match.prefix('') },
      targets: [new targets.SqsQueue(this.work.queue, { deadLetterQueue: this.work.deadLetterQueue })],
    });
  }
}
