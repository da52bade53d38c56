/**
 * Peer baselines: what keys of one scope (a web ACL, an account's VPC traffic) usually hold in a
 * window, learned over log values with the same EWMA weighting and training period as a key's own
 * baseline. A key never seen before has no history of its own; judged against its peers, a new
 * client sending a thousand times what clients send is reported in its first window.
 *
 * Values are compared as log(1 + value): per-key volumes span orders of magnitude, and on a log
 * scale "far above its peers" means "many times more", whatever the unit.
 */

/** What a scope's keys held, window after window. */
export interface PeerBaseline {
  /** EWMA of the mean and of the mean square of log(1 + value) over the keys of each window. */
  readonly mean: number;
  readonly meanSquare: number;
  readonly windows: number;
  readonly firstWindow: number;
  readonly lastWindow: number;
}

/** The smallest spread assumed on the log scale: about ×1.65, so identical peers do not make every difference an anomaly. */
export const MIN_LOG_DEVIATION = 0.5;

/** The peer band of a scope: the log-scale threshold and the value it stands for. */
export interface PeerBand {
  readonly expectedLog: number;
  readonly deviationLog: number;
  /** The value above which a key stands out (`expm1` of the log threshold). */
  readonly upper: number;
  /** The typical key's value (`expm1` of the expected log). */
  readonly typical: number;
}

/** The band of a peer baseline. */
export function peerBand(peers: PeerBaseline, sigma: number): PeerBand {
  const deviationLog = Math.max(Math.sqrt(Math.max(peers.meanSquare - peers.mean * peers.mean, 0)), MIN_LOG_DEVIATION);
  return { expectedLog: peers.mean, deviationLog, upper: Math.expm1(peers.mean + sigma * deviationLog), typical: Math.expm1(peers.mean) };
}

/** What a scope's keys held in one window: their count and the sums of log(1 + value) and of its square. */
export interface PeerSums {
  readonly count: number;
  readonly sumLog: number;
  readonly sumLogSquares: number;
}

/** The peer baseline after one window in which its keys held what `sums` sums up. */
export function updatePeers(peers: PeerBaseline | undefined, windowStart: number, sums: PeerSums, alpha: number): PeerBaseline | undefined {
  if (sums.count === 0) return peers;
  const mean = sums.sumLog / sums.count;
  const meanSquare = sums.sumLogSquares / sums.count;
  if (!peers) return { mean, meanSquare, windows: 1, firstWindow: windowStart, lastWindow: windowStart };
  return {
    mean: peers.mean + alpha * (mean - peers.mean),
    meanSquare: peers.meanSquare + alpha * (meanSquare - peers.meanSquare),
    windows: peers.windows + 1,
    firstWindow: peers.firstWindow,
    lastWindow: windowStart,
  };
}
