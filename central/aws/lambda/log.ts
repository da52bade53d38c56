/** Structured JSON logs: a short lowercase message and a data object, never event payloads or secrets. */

type Level = 'info' | 'warn' | 'error';

/** The CloudWatch namespace of Skywatch's own metrics. */
export const METRIC_NAMESPACE = 'Skywatch';

function write(level: Level, message: string, data: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...data, time: new Date().toISOString() });
  if (level === 'error') console.error(line);
  else console.log(line);
}

/**
 * A log line that is also a CloudWatch metric, in the embedded metric format: Lambda's log agent
 * turns `_aws` lines into metrics, so counting needs no SDK call and no extra permission.
 */
function metric(level: Level, message: string, name: string, dimensions: Record<string, string>, data: Record<string, unknown> = {}): void {
  write(level, message, {
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: 'Count' }] }] },
    ...dimensions,
    [name]: 1,
    ...data,
  });
}

/** The logger every handler uses. */
export const log = {
  info: (message: string, data?: Record<string, unknown>) => write('info', message, data),
  warn: (message: string, data?: Record<string, unknown>) => write('warn', message, data),
  error: (message: string, data?: Record<string, unknown>) => write('error', message, data),
  /** Counts one occurrence of `name` (by the given dimensions) and logs it with its data. */
  count: (level: Level, message: string, name: string, dimensions: Record<string, string>, data?: Record<string, unknown>) => metric(level, message, name, dimensions, data),
};
