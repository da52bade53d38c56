/**
 * IAM statements in synthesized templates: what a role may do (its inline policies and the policies
 * attached to it) and who may assume it, with the logical id a construct got.
 */
import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { resourcesOfType, type Template } from './synthesized.js';

/** One policy statement as CloudFormation holds it. */
export type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>>; Principal?: any };

/** Every identity-policy statement of a template, with the logical id of the role or policy holding it. */
export function statementsOf(template: Template): Array<{ owner: string; statement: Statement }> {
  const out: Array<{ owner: string; statement: Statement }> = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const docs =
      resource.Type === 'AWS::IAM::Role' ? (resource.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument) : resource.Type === 'AWS::IAM::Policy' ? [resource.Properties?.PolicyDocument] : [];
    for (const doc of docs) for (const statement of doc.Statement) out.push({ owner: id, statement });
  }
  return out;
}

/** The statements that apply to one role: its inline policies and every AWS::IAM::Policy attached to it. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of this template`);
  const inline = (role.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement as Statement[]);
  const attached = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties!.Roles as unknown[]).some((r: any) => r.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties!.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

/** A statement's actions as a list. */
export function actionsOf(statement: Statement): string[] {
  return [statement.Action].flat();
}

/** The logical id CDK gave a construct's CloudFormation resource (a role, a table, a bucket...). */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
