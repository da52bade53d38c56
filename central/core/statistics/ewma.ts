/**
 * Exponentially weighted mean and variance of a series, one value per window. The newest value
 * weighs `alpha`, the history `1 - alpha`; the variance update is the standard incremental form
 * (West 1979), so the pair describes the same weighting and a band can be drawn from it.
 */

/** The running estimate. */
export interface Ewma {
  readonly mean: number;
  readonly variance: number;
}

/** The estimate after one more value. The first value starts the mean with no variance. */
export function updateEwma(state: Ewma | undefined, value: number, alpha: number): Ewma {
  if (!state) return { mean: value, variance: 0 };
  const diff = value - state.mean;
  const increment = alpha * diff;
  return { mean: state.mean + increment, variance: (1 - alpha) * (state.variance + diff * increment) };
}

/**
 * The estimate after `count` windows that held nothing (a key that was silent), in closed form: the
 * same as that many zero updates. With r = 1 - alpha, each zero scales the mean by r and turns the
 * variance v into r (v + alpha m^2); after n of them the mean is m r^n and the variance
 * r^n (v + m^2 (1 - r^n)).
 */
export function decayEwma(state: Ewma, count: number, alpha: number): Ewma {
  if (count <= 0) return state;
  const rn = (1 - alpha) ** count;
  return { mean: state.mean * rn, variance: rn * (state.variance + state.mean * state.mean * (1 - rn)) };
}

/** The band a value is judged against. */
export interface Band {
  readonly expected: number;
  /** The standard deviation used: the estimate's, or the floor when that is smaller. */
  readonly deviation: number;
  readonly upper: number;
  readonly lower: number;
}

/**
 * `mean ± sigma · deviation`. The deviation has a floor, a share of the mean and at least 1, so a
 * series that never varied (a health check sending exactly 60 packets a minute) does not alert the
 * first time it sends 61.
 */
export function bandOf(state: Ewma, sigma: number, minRelativeDeviation: number, minDeviation = 1): Band {
  const deviation = Math.max(Math.sqrt(Math.max(state.variance, 0)), minRelativeDeviation * Math.abs(state.mean), minDeviation);
  return { expected: state.mean, deviation, upper: state.mean + sigma * deviation, lower: state.mean - sigma * deviation };
}

/** How many deviations above (positive) or below the expected value a value is. */
export function zScore(band: Band, value: number): number {
  return (value - band.expected) / band.deviation;
}
