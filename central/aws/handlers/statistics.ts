/**
 * Statistics: on a schedule, aggregates VPC Flow Logs and AWS WAF logs with Athena and runs the
 * EWMA/CUSUM detectors over the aggregates. The Athena query engine adapter is not built yet.
 */
import { requireEnv } from '../lambda/environment.js';
import { RuntimeNotBuiltError } from '../runtime-not-built.js';

/** The Lambda entry point. */
export const handler = async (): Promise<void> => {
  requireEnv('ATHENA_WORKGROUP');
  requireEnv('GLUE_DATABASE');
  throw new RuntimeNotBuiltError('statistics', 'the Athena query engine adapter');
};
