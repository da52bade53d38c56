/**
 * Least privilege, asserted exactly: the roles EventBridge and EventBridge Scheduler assume trust only
 * their own account's Skywatch rules and schedules. The app is synthesized once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, type Statement } from './policies.js';
import { resourcesOfType, synthesizeSkywatch, type Synthesized, type Template } from './synthesized.js';

let s: Synthesized;
let central: Template;
let all: Array<[string, Template]>;

beforeAll(async () => {
  s = await synthesizeSkywatch();
  central = s.template('SkywatchCentral');
  all = [...s.assembly.stacks.map((stack) => [stack.stackName, stack.template as Template] as [string, Template]), ['member template', s.stacks.memberTemplate.template as Template]];
}, 120_000);

const ref = (name: string) => ({ Ref: name });
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
/** `arn:<partition>:events:<region>:<account>:rule/<name>` as CloudFormation renders it. */
const ruleArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':events:', ref('AWS::Region'), ':', ref('AWS::AccountId'), `:rule/${name}`]] });

describe('the roles EventBridge and EventBridge Scheduler assume', () => {
  it('trust only their own account, and in it only the Skywatch rules or the Skywatch schedule group', () => {
    const trusts: unknown[] = [];
    for (const [name, template] of all) {
      for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
        for (const statement of role.Properties!.AssumeRolePolicyDocument.Statement as Statement[]) {
          const service = statement.Principal?.Service;
          if (service !== 'events.amazonaws.com' && service !== 'scheduler.amazonaws.com') continue;
          expect(statement.Condition?.StringEquals, `${name} ${id}`).toEqual({ 'aws:SourceAccount': ref('AWS::AccountId') });
          expect(Object.keys(statement.Condition!).sort(), `${name} ${id}`).toEqual(['ArnLike', 'StringEquals']);
          trusts.push([name, service, statement.Condition!.ArnLike!['aws:SourceArn']]);
        }
      }
    }
    // Scheduler names the schedule group as the source, never the schedule (its confused-deputy guidance).
    const group = { 'Fn::GetAtt': [logicalId(s.stacks.central.schedules), 'Arn'] };
    expect(trusts.sort(byJson)).toEqual(
      [
        ['SkywatchCentral', 'scheduler.amazonaws.com', group],
        ['SkywatchCentral', 'scheduler.amazonaws.com', group],
        ['SkywatchCentral', 'scheduler.amazonaws.com', group],
        ['SkywatchManagement-eu-west-1', 'events.amazonaws.com', ruleArn('skywatch-forward-*')],
        ['SkywatchManagement-us-east-1', 'events.amazonaws.com', ruleArn('skywatch-forward-*')],
        ['SkywatchManagement-us-east-1', 'events.amazonaws.com', ruleArn('skywatch-organization-events')],
        ['member template', 'events.amazonaws.com', ruleArn('skywatch-forward-*')],
      ].sort(byJson),
    );
  });

  it('are used only by rules whose names their trust admits, and by schedules of that group', () => {
    for (const [name, template] of all) {
      for (const [id, rule] of resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.Targets?.some((t: any) => t.RoleArn))) {
        const organizations = rule.Properties!.EventPattern.source?.[0] === 'aws.organizations';
        expect(rule.Properties!.Name, `${name} ${id}`).toMatch(organizations ? /^skywatch-organization-events$/ : /^skywatch-forward-[a-z0-9-]+$/);
      }
    }
    const forwarding = resourcesOfType(s.stacks.memberTemplate.template as Template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.Targets?.[0]?.Id === 'CentralBus');
    expect(forwarding.map(([, r]) => r.Properties!.Name).sort()).toEqual(s.patterns.map((p) => `skywatch-forward-${p.name}`).sort());
    const groupName = central.Resources[logicalId(s.stacks.central.schedules)]!.Properties!.Name;
    const schedules = resourcesOfType(central, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(3);
    for (const [, schedule] of schedules) expect(schedule.Properties!.GroupName).toBe(groupName);
  });
});
