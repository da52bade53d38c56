/**
 * Synthesizes the member template for the StackSet in its own in-memory app: the StackSet carries the
 * template body itself, so it must have no assets (the bootstrapless synthesizer refuses them), no
 * bootstrap-version rule and no CDK metadata. cdk-nag checks it like any other stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MemberStack, type MemberStackProps } from './member-stack.js';

/** CloudFormation's limit for a template passed inline (`TemplateBody`), in bytes. */
export const TEMPLATE_BODY_LIMIT = 51_200;

/** The synthesized member template. */
export interface MemberTemplate {
  readonly template: Record<string, unknown>;
  /** Minified JSON, what the StackSet receives. */
  readonly body: string;
}

/** Builds the member template; throws when cdk-nag finds an unacknowledged error or it is too large. */
export function synthesizeMemberTemplate(props: Omit<MemberStackProps, 'synthesizer'>): MemberTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'skywatch-member-'));
  try {
    const app = new App({ outdir, autoSynth: false, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': false } });
    const stack = new MemberStack(app, 'SkywatchMember', { ...props, synthesizer: new BootstraplessSynthesizer() });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const template = app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
    const body = JSON.stringify(template);
    if (Buffer.byteLength(body) > TEMPLATE_BODY_LIMIT) {
      throw new Error(`member template is ${Buffer.byteLength(body)} bytes, over CloudFormation's ${TEMPLATE_BODY_LIMIT}-byte TemplateBody limit`);
    }
    return { template, body };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
