/** Structured JSON logs: a short lowercase message and a data object, never event payloads or secrets. */

type Level = 'info' | 'warn' | 'error';

function write(level: Level, message: string, data: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...data, time: new Date().toISOString() });
  if (level === 'error') console.error(line);
  else console.log(line);
}

/** The logger every handler uses. */
export const log = {
  info: (message: string, data?: Record<string, unknown>) => write('info', message, data),
  warn: (message: string, data?: Record<string, unknown>) => write('warn', message, data),
  error: (message: string, data?: Record<string, unknown>) => write('error', message, data),
};
