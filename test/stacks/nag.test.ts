/**
 * cdk-nag runs over the app: an unacknowledged error fails synthesis, an acknowledgement needs a reason
 * and covers only the finding it names.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { acknowledge, nagForm } from '../../stacks/common/nag.js';

function appWith(build: (stack: Stack) => void): App {
  const app = new App();
  build(new Stack(app, 'Probe'));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

const wildcardRole = (stack: Stack) => {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
  return role;
};

describe('cdk-nag', () => {
  it('fails synthesis on an unacknowledged error', () => {
    expect(() => appWith((stack) => new sqs.Queue(stack, 'Queue')).synth()).toThrow(/AwsSolutions-SQS3/);
  });

  it('passes a finding acknowledged with a reason, and only that finding', () => {
    expect(() =>
      appWith((stack) => acknowledge(wildcardRole(stack), 'IAM5', 'Reads every object of one named bucket by design.', ['Resource::arn:aws:s3:::bucket/*'])).synth(),
    ).not.toThrow();
    expect(() => appWith((stack) => acknowledge(wildcardRole(stack), 'IAM5', 'Reads every object of one named bucket by design.', ['Resource::arn:aws:s3:::other/*'])).synth()).toThrow(
      /AwsSolutions-IAM5\[Resource::arn:aws:s3:::bucket\/\*\]/,
    );
  });

  it('refuses an acknowledgement without a real reason', () => {
    expect(() => appWith((stack) => acknowledge(wildcardRole(stack), 'IAM5', 'ok'))).toThrow(/needs a real reason/);
  });

  it('renders parameterized ARNs the way cdk-nag names them', () => {
    const stack = new Stack(new App(), 'Render');
    expect(nagForm(stack, `arn:${stack.partition}:s3:::${stack.region}-assets/*`)).toBe('arn:<AWS::Partition>:s3:::<AWS::Region>-assets/*');
  });
});
