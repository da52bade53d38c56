/**
 * What a closed window hands the engine: the keys it may judge and, per scope, the sums its peer
 * baseline learns from. A window may hold thousands of keys seen once, yet only the `topK`
 * heaviest of a scope are ever judged and peers need only a count and two sums of every member, so
 * a window need not carry an object per key.
 */
import type { KeyAggregate } from './accumulator.js';
import type { StatisticsDetector } from './definition.js';

/** A key gets a baseline of its own once a window of it reaches this share of the minimum volume. */
export const TRACKED_SHARE_OF_MINIMUM = 0.1;

/** One scope of a window: account, region and the detector's scope fields, over every member key. */
export interface ScopeSums {
  readonly scope: readonly string[];
  /** Member keys of the scope in the window. */
  readonly count: number;
  /** Sum of log(1 + value) over the members, and of its square. */
  readonly sumLog: number;
  readonly sumLogSquares: number;
}

/** A window whose aggregates are final. */
export interface ClosedWindow {
  readonly detector: string;
  readonly account: string;
  readonly region: string;
  /** Seconds since the epoch. */
  readonly windowStart: number;
  /** The keys the engine may judge: at least each scope's `topK` heaviest that can be judged. */
  readonly keys: readonly KeyAggregate[];
  /** Every scope with members in the window, in the order the engine judges them. */
  readonly scopes: readonly ScopeSums[];
  /** Records that arrived after their own window had closed and were counted here. */
  readonly late: number;
}

/** Where a detector's scope fields sit in a key (after account and region). */
export function scopePositions(detector: Pick<StatisticsDetector, 'key' | 'scope'>): number[] {
  return detector.scope.map((f) => 2 + detector.key.indexOf(f));
}

/** The scope of a key. */
export function scopeOf(key: readonly string[], positions: readonly number[]): string[] {
  const scope = [key[0]!, key[1]!];
  for (const p of positions) scope.push(key[p]!);
  return scope;
}

/** The log of a value that peers sum. */
export function peerLog(value: number): number {
  return Math.log1p(Math.max(value, 0));
}

/**
 * A closed window of every key's aggregate (the aggregation SQL's rows, tests): all keys kept,
 * scopes in the order of their first key.
 */
export function closedWindowOf(
  detector: Pick<StatisticsDetector, 'id' | 'key' | 'scope'>,
  window: { readonly account: string; readonly region: string; readonly windowStart: number; readonly late?: number },
  keys: readonly KeyAggregate[],
): ClosedWindow {
  const positions = scopePositions(detector);
  const scopes = new Map<string, { scope: string[]; count: number; sumLog: number; sumLogSquares: number }>();
  for (const k of keys) {
    const scope = scopeOf(k.key, positions);
    const id = scope.join('\u0000');
    let s = scopes.get(id);
    if (!s) scopes.set(id, (s = { scope, count: 0, sumLog: 0, sumLogSquares: 0 }));
    const l = peerLog(k.value);
    s.count++;
    s.sumLog += l;
    s.sumLogSquares += l * l;
  }
  return { detector: detector.id, account: window.account, region: window.region, windowStart: window.windowStart, keys, scopes: [...scopes.values()], late: window.late ?? 0 };
}
