/** Terminal sparklines: one block character per window, windows above their band marked. */

/** The eight heights, lowest first. */
export const SPARK_BLOCKS = '▁▂▃▄▅▆▇█';

/** What a window above its band is drawn as when there is no colour. */
export const ABOVE_BAND = '!';

const RED = '\u001b[31m';
const RESET = '\u001b[0m';

/** One window of a series: its value and the upper edge of the band it was judged against. */
export interface SparkPoint {
  readonly value: number;
  readonly upper: number;
}

/**
 * Draws the series, one character per point, scaled to the highest value or band edge of the
 * series so a flat series under a wide band stays low. A point above its own band is drawn red
 * when `colour` is set, else as `!`: a pipe or a log file keeps the mark without escape codes.
 */
export function sparkline(series: readonly SparkPoint[], options: { readonly colour: boolean }): string {
  const top = Math.max(0, ...series.map((p) => Math.max(p.value, p.upper)));
  return series
    .map((p) => {
      const block = SPARK_BLOCKS[top > 0 ? Math.min(SPARK_BLOCKS.length - 1, Math.floor((Math.max(p.value, 0) / top) * SPARK_BLOCKS.length)) : 0]!;
      if (p.value <= p.upper) return block;
      return options.colour ? RED + block + RESET : ABOVE_BAND;
    })
    .join('');
}
