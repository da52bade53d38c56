/**
 * The `skywatch` bus every member forwards to, open to `events:PutEvents` from principals of this
 * organization only, and the rule that queues everything on it for the detector.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { QueueWithDeadLetter } from '../common/queue-with-dead-letter.js';
import { CENTRAL_BUS_NAME } from '../names.js';

/** The central bus, its policy and the detector's event queue. */
export class EventIntake extends Construct {
  readonly bus: events.EventBus;
  readonly work: QueueWithDeadLetter;

  constructor(scope: Construct, id: string, props: { readonly organizationId: string; readonly detectorTimeout: Duration }) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: CENTRAL_BUS_NAME, description: 'Skywatch: security events from every account of the organization' });
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationPutsEvents',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
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
