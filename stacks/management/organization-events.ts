/**
 * Forwards the Organizations events that change coverage (an account created, invited, moved or
 * removed) from the management account's us-east-1 default bus, where Organizations records them,
 * to the central bus, so onboarding runs as soon as an account appears.
 */
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { centralBusPutRole, defaultBusRuleArn } from '../common/central-bus-role.js';
import { ORGANIZATION_EVENTS_ROLE_NAME } from '../names.js';

/** The Organizations event names onboarding reacts to. */
export const ONBOARDING_EVENT_NAMES = ['CreateAccountResult', 'AcceptHandshake', 'MoveAccount', 'AccountJoinedOrganization', 'RemoveAccountFromOrganization'] as const;

/** The rule's name, fixed so its role can trust exactly this rule. */
export const ORGANIZATION_EVENTS_RULE_NAME = 'skywatch-organization-events';

/** The rule and its role. */
export class OrganizationEvents extends Construct {
  readonly rule: events.CfnRule;

  constructor(scope: Construct, id: string, props: { readonly centralBusArn: string }) {
    super(scope, id);
    const role = centralBusPutRole(this, 'Role', {
      centralBusArn: props.centralBusArn,
      roleName: ORGANIZATION_EVENTS_ROLE_NAME,
      sourceRules: defaultBusRuleArn(ORGANIZATION_EVENTS_RULE_NAME),
      description: 'Puts Organizations events on the Skywatch central bus',
    });
    this.rule = new events.CfnRule(this, 'Rule', {
      name: ORGANIZATION_EVENTS_RULE_NAME,
      description: 'Skywatch: account lifecycle events to the central bus for onboarding',
      state: 'ENABLED',
      eventPattern: { source: ['aws.organizations'], detail: { eventName: [...ONBOARDING_EVENT_NAMES] } },
      targets: [{ id: 'CentralBus', arn: props.centralBusArn, roleArn: role.roleArn, retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 } }],
    });
  }
}
