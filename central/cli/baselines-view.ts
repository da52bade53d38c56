/** The tables of `skywatch baselines`: one row per key baseline, with its sparkline, and one per peer baseline. */
import type { BaselineListing, PeerListing, TrainingState } from './baselines-listing.js';
import { sparkline } from './sparkline.js';
import { renderTable } from './table.js';

/** Wide enough for every cell, a 48-window sparkline included, so nothing is cut. */
const MAX_CELL = 120;

/** The key baselines table; `colour` draws windows above their band in red instead of `!`. */
export function baselinesTable(rows: readonly BaselineListing[], options: { readonly colour: boolean }): string {
  const header = ['DETECTOR', 'KEY', 'ACCOUNT', 'REGION', 'STATE', 'WINDOWS', 'EXPECTED', 'UPPER', 'LATEST', 'EPISODE', 'RECENT'];
  const plain = rows.map((r) => sparkline(r.recent, { colour: false }));
  const cells = rows.map((r, i) => [
    r.detector,
    r.key.join(' ') || '-',
    r.account,
    r.region,
    trainingText(r),
    String(r.windows),
    formatValue(r.expected),
    r.upper === null ? '-' : formatValue(r.upper),
    r.latest === null ? '-' : formatValue(r.latest),
    episodeText(r.episode),
    plain[i]!,
  ]);
  const lines = renderTable(header, cells, MAX_CELL).split('\n');
  if (!options.colour) return lines.join('\n');
  // The sparkline is the last, unpadded column: its coloured form replaces the plain one after the
  // widths were measured, so escape codes never count as width.
  return lines.map((line, i) => (i < 2 ? line : line.slice(0, line.length - plain[i - 2]!.length) + sparkline(rows[i - 2]!.recent, { colour: true }))).join('\n');
}

/** The peer baselines table. */
export function peersTable(rows: readonly PeerListing[]): string {
  const header = ['DETECTOR', 'SCOPE', 'ACCOUNT', 'REGION', 'STATE', 'WINDOWS', 'TYPICAL', 'SPREAD', 'UPPER'];
  const cells = rows.map((r) => [
    r.detector,
    r.scope.join(' ') || '-',
    r.account,
    r.region,
    trainingText(r),
    String(r.windows),
    formatValue(r.typical),
    `×${r.spread.toFixed(2)}`,
    r.upper === null ? '-' : formatValue(r.upper),
  ]);
  return renderTable(header, cells, MAX_CELL);
}

/** `trained`, `learning 3.2/7 d` or `unknown detector`. */
export function trainingText(r: { readonly state: TrainingState; readonly days: number; readonly trainDays?: number }): string {
  if (r.state !== 'learning') return r.state;
  // Rounded down: a key a few minutes short of its training must not read `7.0/7 d`.
  return `learning ${(Math.floor(r.days * 10) / 10).toFixed(1)}/${r.trainDays} d`;
}

/** A metric value to three significant digits, whole numbers from 1,000 on. */
export function formatValue(n: number): string {
  // Through Number, so 7.999999 reads 8 and not 8.00: the EWMA of a flat series is never exact.
  return Math.abs(n) >= 1_000 ? String(Math.round(n)) : String(Number(n.toPrecision(3)));
}

function episodeText(episode: BaselineListing['episode']): string {
  if (!episode) return '-';
  const start = `${episode.start.slice(0, 10)} ${episode.start.slice(11, 16)}Z`;
  return `${start}, ${episode.windows} window${episode.windows === 1 ? '' : 's'}, peak ${formatValue(episode.peak)}`;
}
