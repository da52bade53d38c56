/**
 * Notifier: new findings at or above the configured severity to SNS (email) and Slack, with a per-finding
 * cooldown; the Slack webhook URL is read from Secrets Manager and never logged. Built in issue #5.
 */
import { requireEnv } from '../lambda/environment.js';
import { RuntimeNotBuiltError } from '../runtime-not-built.js';

/** The Lambda entry point. */
export const handler = async (): Promise<void> => {
  requireEnv('TOPIC_ARN');
  requireEnv('SLACK_SECRET_ARN');
  throw new RuntimeNotBuiltError('notifier', 'the SNS and Slack notifier');
};
