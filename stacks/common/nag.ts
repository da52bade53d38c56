/**
 * cdk-nag acknowledgements. Each one sits next to the construct it is about and carries a reason a
 * reviewer can check; `appliesTo` narrows it to one finding (e.g. one wildcard resource).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges an AwsSolutions rule on a construct (and its children), with the reason. */
export function acknowledge(construct: IConstruct, rule: string, reason: string, appliesTo?: readonly string[]): void {
  if (reason.trim().length < 20) throw new Error(`acknowledgement of ${rule} needs a real reason`);
  const id = `AwsSolutions-${rule}`;
  if (!appliesTo) {
    Validations.of(construct).acknowledge({ id, reason });
    return;
  }
  for (const finding of appliesTo) Validations.of(construct).acknowledge({ id: `${id}[${finding}]`, reason });
}

/**
 * How cdk-nag writes a value that may hold tokens inside a finding id (`<AWS::Region>` for a Ref,
 * joins flattened), so a finding on a parameterized ARN can be acknowledged exactly.
 */
export function nagForm(scope: IConstruct, value: string): string {
  return render(Stack.of(scope).resolve(value));
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const ref = (value as { Ref?: string }).Ref;
    if (ref) return `<${ref}>`;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(render).join(join[0]);
    const att = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (att) return `<${att[0]}.${att[1]}>`;
  }
  throw new Error(`cannot render ${JSON.stringify(value)} as a cdk-nag finding`);
}
