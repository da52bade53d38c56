/**
 * Statistics over VPC Flow Logs and AWS WAF logs (planned): the function is deployed and scheduled,
 * but today it only checks its environment and throws RuntimeNotBuiltError. No query, aggregate or
 * detector over these logs exists yet.
 */
import { requireEnv } from '../lambda/environment.js';
import { RuntimeNotBuiltError } from '../runtime-not-built.js';

/** The Lambda entry point. */
export const handler = async (): Promise<void> => {
  requireEnv('ATHENA_WORKGROUP');
  requireEnv('GLUE_DATABASE');
  throw new RuntimeNotBuiltError('statistics', 'the Athena query engine adapter');
};
