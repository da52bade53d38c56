/** Reads Lambda configuration once, failing loudly at cold start when a variable is missing. */

/** The value of a required environment variable. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
