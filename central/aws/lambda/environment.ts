/** Reads Lambda configuration once, failing loudly at cold start when a variable is missing. */

/** The value of a required environment variable. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** STATE_RETENTION_DAYS (the stacks set it from the configuration), 90 when absent. */
export function retentionDaysFromEnv(): number {
  const days = Number(process.env.STATE_RETENTION_DAYS ?? '90');
  if (!Number.isFinite(days) || days <= 0) throw new Error('STATE_RETENTION_DAYS must be a positive number of days');
  return days;
}
