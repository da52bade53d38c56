/** The tables of `skywatch baselines` for behaviour rules: provisioning volume and first-seen histories. */
import { formatValue, trainingText } from './baselines-view.js';
import type { SeenListing, VolumeListing } from './behaviour-listing.js';
import { renderTable } from './table.js';

const MAX_CELL = 120;

/** One row per (rule, account, principal or service). */
export function volumeTable(rows: readonly VolumeListing[]): string {
  const header = ['RULE', 'ACCOUNT', 'KEY', 'STATE', 'HOURS', 'FIRST', 'LAST', 'EXPECTED/H', 'UPPER', 'LATEST', 'PEAK'];
  const cells = rows.map((r) => [
    r.rule,
    r.account,
    r.key,
    trainingText(r),
    String(r.hours),
    r.firstHour.slice(0, 16) + 'Z',
    r.lastHour.slice(0, 16) + 'Z',
    r.expected === null ? '-' : formatValue(r.expected),
    r.upper === null ? '-' : formatValue(r.upper),
    formatValue(r.latest),
    formatValue(r.peak),
  ]);
  return renderTable(header, cells, MAX_CELL);
}

/** One row per (rule, key): since when it learns and the values it knows, latest first. */
export function firstSeenTable(rows: readonly SeenListing[]): string {
  const header = ['RULE', 'KEY', 'STATE', 'SINCE', 'VALUES', 'LATEST'];
  const cells = rows.map((r) => [
    r.rule,
    r.key,
    r.state === 'learning' ? `learning (${r.learningDays} d)` : r.state,
    r.since,
    String(r.values),
    r.recent.map((v) => v.value).join(', '),
  ]);
  return renderTable(header, cells, MAX_CELL);
}
