import { describe, expect, it } from 'vitest';
import { baselinesTable, formatValue, trainingText } from '../../central/cli/baselines-view.js';
import type { BaselineListing } from '../../central/cli/baselines-listing.js';
import { sparkline } from '../../central/cli/sparkline.js';

const series = [
  { value: 0, upper: 8 },
  { value: 4, upper: 8 },
  { value: 8, upper: 8 },
  { value: 9, upper: 8 },
];

describe('sparkline', () => {
  it('draws one block per window, scaled to the highest value or band edge, and a window above its band as !', () => {
    expect(sparkline(series, { colour: false })).toBe('▁▄█!');
    expect(sparkline([{ value: 2, upper: 16 }, { value: 16, upper: 16 }], { colour: false })).toBe('▂█');
  });

  it('draws a window above its band in red when colour is on, and nothing else in colour', () => {
    expect(sparkline(series, { colour: true })).toBe('▁▄█\u001b[31m█\u001b[0m');
  });

  it('draws a silent series flat and an empty one as nothing', () => {
    expect(sparkline([{ value: 0, upper: 0 }, { value: 0, upper: 0 }], { colour: false })).toBe('▁▁');
    expect(sparkline([], { colour: false })).toBe('');
  });
});

describe('the baselines table', () => {
  const row: BaselineListing = {
    detector: 'flow-vertical-port-scan', account: '111122223333', region: 'us-east-1', key: ['198.51.100.23', '10.0.1.5'],
    state: 'learning', days: 6.99, trainDays: 7, windows: 2013, firstWindow: '2026-01-05T00:00:00.000Z', lastWindow: '2026-01-11T23:45:00.000Z',
    expected: 1.5, upper: 4.5, latest: 9, episode: null,
    recent: series.map((p, i) => ({ windowStart: `2026-01-11T23:${30 + 5 * i}:00.000Z`, ...p, above: p.value > p.upper })),
  };

  it('colours the sparkline after measuring columns, so the rest of the row is the same with and without colour', () => {
    const plain = baselinesTable([row], { colour: false }).split('\n');
    const coloured = baselinesTable([row], { colour: true }).split('\n');
    expect(plain[2]!.endsWith('  ▁▄█!')).toBe(true);
    expect(coloured[2]).toBe(plain[2]!.slice(0, -4) + '▁▄█\u001b[31m█\u001b[0m');
    expect(coloured.slice(0, 2)).toEqual(plain.slice(0, 2));
  });

  it('never rounds a key still learning up to its training period', () => {
    expect(trainingText(row)).toBe('learning 6.9/7 d');
    expect(trainingText({ state: 'trained', days: 8 })).toBe('trained');
  });

  it('writes values to three significant digits, and whole from 1,000 on', () => {
    expect([7.963378, 7.9999999, 0.0412, 54.31, 999.99999, 1000.0000001, 66361.4].map(formatValue)).toEqual(['7.96', '8', '0.0412', '54.3', '1000', '1000', '66361']);
  });
});
