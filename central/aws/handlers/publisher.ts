/**
 * Publisher: drains the outbox (DynamoDB stream and a schedule), assumes each member's FindingWriter
 * role and imports findings into Security Hub in their account and region. Built in issue #5.
 */
import { requireEnv } from '../lambda/environment.js';
import { RuntimeNotBuiltError } from '../runtime-not-built.js';

/** The Lambda entry point. */
export const handler = async (): Promise<void> => {
  requireEnv('STATE_TABLE');
  requireEnv('FINDING_WRITER_ROLE_NAME');
  throw new RuntimeNotBuiltError('publisher', 'the Security Hub publisher');
};
