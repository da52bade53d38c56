/**
 * What behaviour baselines (first-seen and provisioning-volume rules, `rules/cloudtrail/behaviour-*`
 * and `provisioning-volume-*`) add to the CloudTrail pipeline: replays of the same corpus with the
 * built-in rules and with the built-in rules less those, alternated, best of two on each side (the
 * machine is shared, so one run can be slow). `behaviour_time_vs_without` is at most 1.15 by the
 * issue's budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, type RuleSource } from '../../central/core/rules/load.js';
import { asnForRules } from '../../central/local/behaviour-asn.js';
import { replay } from '../../central/local/replay.js';

/** The behaviour rules' files: the ones whose cost this measures. */
const BEHAVIOUR_FILE = /\/(?:behaviour-[a-z0-9-]+|provisioning-volume-[a-z0-9-]+)\.yaml$/;

/** Seconds of one replay of `corpus` with `sources`, ASN data loaded (untimed) when a rule reads it. */
async function replaySeconds(corpus: string, sources: readonly RuleSource[], label: string, log: (line: string) => void): Promise<number> {
  const { rules, problems } = loadRules(sources);
  if (problems.length) throw new Error(`bench rules failed to load: ${JSON.stringify(problems[0])}`);
  const asn = asnForRules(rules);
  const state = mkdtempSync(join(tmpdir(), 'skywatch-bench-behaviour-'));
  try {
    const t = performance.now();
    const report = await replay({ paths: [corpus], stateDir: state, rules, ruleSources: sources, ...(asn && { asn }) });
    const seconds = (performance.now() - t) / 1000;
    log(`  ${label}: ${report.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s, ${report.findings.length} findings`);
    return seconds;
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** The figures for the bench's final JSON line: behaviour rules' time against the pipeline without them. */
export async function behaviourFigures(corpus: string, builtin: readonly RuleSource[], log: (line: string) => void): Promise<{ behaviour_time_vs_without: number; behaviour_rules: number }> {
  const without = builtin.filter((s) => !BEHAVIOUR_FILE.test(s.file));
  const count = builtin.length - without.length;
  log(`behaviour baselines (${count} rules):`);
  const runs = { with: [] as number[], without: [] as number[] };
  for (let round = 1; round <= 2; round++) {
    runs.with.push(await replaySeconds(corpus, builtin, `pipeline with behaviour rules (${round})`, log));
    runs.without.push(await replaySeconds(corpus, without, `pipeline without behaviour rules (${round})`, log));
  }
  const withSeconds = Math.min(...runs.with);
  const withoutSeconds = Math.min(...runs.without);
  log(`  behaviour baselines: best ${withSeconds.toFixed(2)} s with, ${withoutSeconds.toFixed(2)} s without (+${((withSeconds / withoutSeconds - 1) * 100).toFixed(1)}%)`);
  return { behaviour_time_vs_without: Math.round((withSeconds / withoutSeconds) * 100) / 100, behaviour_rules: count };
}
