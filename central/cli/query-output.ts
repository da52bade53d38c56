/** How query results are shown: a table, CSV or JSON on stdout, and progress on stderr while a query runs. */
import type { QueryProgress, QueryResult, QueryValue } from '../core/ports.js';
import { renderTable } from './table.js';

/** A cell as text: NULL is empty. */
export const cellText = (v: QueryValue | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The rows as a table under the column names. */
export function resultTable(result: Pick<QueryResult, 'columns' | 'rows'>, maxWidth = 60): string {
  const names = result.columns.map((c) => c.name);
  return renderTable(names, result.rows.map((r) => names.map((n) => cellText(r[n]))), maxWidth);
}

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The rows as CSV with a header line. */
export function resultCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const names = result.columns.map((c) => c.name);
  return [names.map(csvField).join(','), ...result.rows.map((r) => names.map((n) => csvField(cellText(r[n]))).join(','))].join('\r\n') + '\r\n';
}

/** What a run cost and took, for the line after the table. */
export function costLine(result: QueryResult): string {
  const rows = `${result.rows.length.toLocaleString('en-US')} row${result.rows.length === 1 ? '' : 's'}`;
  const time = `${(result.elapsedMs / 1000).toFixed(1)} s on ${result.engine}`;
  if (result.bytesScanned === undefined) return `${rows} in ${time}`;
  return `${rows} in ${time}; ${formatBytes(result.bytesScanned)} scanned, $${(result.costUsd ?? 0).toFixed(4)}`;
}

/** Bytes in binary units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/**
 * Progress on stderr: on a terminal one line redrawn with the state, the time and the bytes scanned
 * so far; otherwise one line per change of state, so logs show what happened without noise.
 */
export function queryProgress(label: string, stream: NodeJS.WriteStream = process.stderr): { update(p: QueryProgress): void; done(): void } {
  const started = Date.now();
  let last: QueryProgress | undefined;
  let drawn = false;
  const line = (p: QueryProgress) => `${label}: ${p.state.toLowerCase()} ${((Date.now() - started) / 1000).toFixed(1)} s${p.bytesScanned !== undefined ? `, ${formatBytes(p.bytesScanned)} scanned` : ''}`;
  const draw = () => {
    if (!last) return;
    stream.write(`\r\x1b[2K${line(last)}`);
    drawn = true;
  };
  const timer = stream.isTTY ? setInterval(draw, 250) : undefined;
  timer?.unref();
  return {
    update(p) {
      const changed = p.state !== last?.state;
      last = p;
      if (stream.isTTY) draw();
      else if (changed) stream.write(`${line(p)}\n`);
    },
    done() {
      clearInterval(timer);
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
