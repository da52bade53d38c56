/**
 * Onboarding and coverage: on Organizations events and daily, compares accounts with StackSet instances
 * and Security Hub membership and raises a coverage finding per gap. Built in issue #5.
 */
import { requireEnv } from '../lambda/environment.js';
import { RuntimeNotBuiltError } from '../runtime-not-built.js';

/** The Lambda entry point. */
export const handler = async (): Promise<void> => {
  requireEnv('COVERAGE_READER_ROLE_ARN');
  requireEnv('STATE_TABLE');
  throw new RuntimeNotBuiltError('onboarding', 'the coverage check');
};
