/**
 * The detector's Correlator: observations go through the correlation engine, and each window whose
 * content changed becomes a correlation finding candidate for the central account's home region.
 * The ledger behind `persist` then decides whether anything new joined (an update) or not; so the
 * engine also reports the windows a redelivered observation touches (`reportRepeated`).
 */
import type { Correlator, PersistCandidate } from '../detector.js';
import type { AccountDirectory } from '../suppressions/match.js';
import { CorrelationEngine } from './engine.js';
import { correlationCandidate, type HomePlace } from './finding.js';
import type { CompiledCorrelation } from './compile.js';
import type { Observation } from './observation.js';
import type { StateStore } from '../ports.js';

/** What a correlator needs: the rules, their state, where findings go, and account names. */
export interface CorrelatorOptions {
  readonly rules: readonly CompiledCorrelation[];
  readonly state: StateStore;
  /** The central security account and its home region (the Security Hub administrator). */
  readonly home: HomePlace;
  readonly directory?: AccountDirectory;
}

/** Correlation over the engine; also says which raw record fields observations must carry. */
export class EngineCorrelator implements Correlator {
  readonly rawPaths: readonly string[];
  private readonly engine: CorrelationEngine;

  constructor(private readonly options: CorrelatorOptions) {
    // Matches an observation already held touches come again: a finding whose put failed after the
    // state was saved is filed when SQS redelivers, and the ledger drops what it already counted.
    this.engine = new CorrelationEngine(options.rules, options.state, { reportRepeated: true });
    this.rawPaths = rawPathsOf(options.rules);
  }

  async correlate(observations: readonly Observation[]): Promise<PersistCandidate[]> {
    const matches = await this.engine.observe(observations);
    return matches.map((match) => correlationCandidate(match, this.options.home, this.options.directory));
  }
}

/** Raw record paths (`raw.…`) the rules group, count or alias by: read once, when observing. */
export function rawPathsOf(rules: readonly CompiledCorrelation[]): string[] {
  const paths = rules.flatMap((r) => [...r.groupBy, ...(r.field ? [r.field] : []), ...Object.values(r.aliases).flatMap((byRule) => Object.values(byRule))]);
  return [...new Set(paths.filter((p) => p.startsWith('raw.')))].sort();
}
