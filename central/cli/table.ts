/** Plain-text tables for terminal output. */

/** Renders rows under a header, columns padded to their widest cell; long cells are cut to `maxWidth`. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, maxWidth = 72): string {
  const cut = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s);
  const cells = [header, ...rows].map((r) => r.map(cut));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Counts occurrences of each key, most frequent first, as table rows. */
export function countBy<T>(items: readonly T[], key: (item: T) => string, order?: readonly string[]): string[][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const rows = [...counts.entries()];
  rows.sort(order ? (a, b) => order.indexOf(b[0]) - order.indexOf(a[0]) : (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return rows.map(([k, n]) => [k, String(n)]);
}
