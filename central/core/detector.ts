/**
 * The detection pipeline for a batch of normalized events: rules (indexed) -> group hits into
 * findings -> ledger (dedup, CreatedAt/UpdatedAt) -> ASFF -> sink. Lambda and the CLI both call
 * `process`; only the adapters behind the ports differ.
 */
import type { SecurityEvent } from './event.js';
import { buildFinding, type AsffFinding, type FindingDraft } from './findings/asff.js';
import { findingId } from './findings/finding-id.js';
import { FindingLedger, MAX_EVIDENCE_PER_UPDATE, type Evidence } from './findings/ledger.js';
import { compareTimes } from './decode/event-time.js';
import { asffResourceType } from './findings/resource-types.js';
import type { RuleEngine, RuleFailure, RuleHit } from './rules/engine.js';
import { RuleGates } from './rules/gates.js';
import { higherSeverity, type SeverityLabel } from './rules/schema.js';
import type { Clock, FindingSink, StateStore } from './ports.js';
import type { CompiledRule } from './rules/rule.js';
import { scanFindingCandidates } from './scans/object-scan-findings.js';
import { findSuppression, type AccountDirectory, type CompiledSuppression } from './suppressions/match.js';

/** What the detector needs. */
export interface DetectorDeps {
  readonly engine: RuleEngine;
  readonly state: StateStore;
  readonly sink: FindingSink;
  readonly clock: Clock;
  /** Accepted activity: matching findings are recorded as suppressed (not notified), never dropped. */
  readonly suppressions?: readonly CompiledSuppression[];
  /** Account OUs and tags, for suppressions scoped by OU or tag. */
  readonly directory?: AccountDirectory;
}

/** The outcome of one batch. */
export interface BatchOutcome {
  readonly events: number;
  readonly hits: number;
  /** Findings created or updated by this batch (a replayed event updates nothing). */
  readonly findings: AsffFinding[];
  readonly ruleFailures: RuleFailure[];
}

/** Runs batches of events through the rules and records findings. */
export class Detector {
  private readonly ledger: FindingLedger;
  private readonly gates: RuleGates;

  constructor(private readonly deps: DetectorDeps) {
    this.ledger = new FindingLedger(deps.state, deps.clock);
    this.gates = new RuleGates(deps.state);
  }

  /** Processes one batch; findings are in the sink before this resolves. */
  async process(events: readonly SecurityEvent[]): Promise<BatchOutcome> {
    // Scan results carry their own findings (the scanner's rules already ran); the rules see the rest.
    const scans = events.filter((e) => e.kind === 'objectscan');
    const others = scans.length ? events.filter((e) => e.kind !== 'objectscan') : events;
    const { hits, failures } = matchEvents(this.deps.engine, others);
    const findings = await this.record(hits);
    const candidates = scans.flatMap(scanFindingCandidates);
    if (candidates.length) findings.push(...(await this.persist(candidates.map((c) => ({ ...c, draft: () => c.draft })))));
    return { events: events.length, hits: hits.length + candidates.length, findings, ruleFailures: failures };
  }

  /**
   * Turns rule hits into findings: groups them by finding Id, records the evidence in the ledger,
   * and puts the new or updated findings in the sink. Returns those findings.
   */
  async record(candidates: readonly RuleHit[]): Promise<AsffFinding[]> {
    const admitted = await this.gates.admit(candidates);
    const groups = new Map<string, RuleHit[]>();
    for (const hit of admitted.hits) {
      const id = findingId(hit.rule.id, hit.event.account, hit.event.region, hit.rule.dedup.render(hit.event, ''));
      const group = groups.get(id);
      if (group) group.push(hit);
      else groups.set(id, [hit]);
    }
    const findings = await this.persist(
      [...groups].map(([id, group]) => ({
        id,
        evidence: group.flatMap((h) => h.evidence ?? [{ id: h.event.id, time: h.event.time }]),
        severity: highest(group),
        draft: () => draftOf(id, latest(group)),
      })),
    );
    await admitted.commit();
    return findings;
  }

  /**
   * Records each finding's evidence in the ledger, builds the ASFF of those that changed (marked
   * when a suppression covers them), puts them in the sink, then commits the ledger. Evidence beyond
   * what one ledger update holds is recorded in rounds, each stored before the next.
   */
  private async persist(candidates: ReadonlyArray<{ id: string; evidence: readonly Evidence[]; severity: SeverityLabel; draft: () => FindingDraft }>): Promise<AsffFinding[]> {
    const latest = new Map<string, AsffFinding>();
    for (let round = 0; ; round++) {
      const slice = candidates
        .map((c) => ({ ...c, evidence: c.evidence.slice(round * MAX_EVIDENCE_PER_UPDATE, (round + 1) * MAX_EVIDENCE_PER_UPDATE) }))
        .filter((c) => c.evidence.length > 0);
      if (slice.length === 0) break;
      for (const finding of await this.persistRound(slice)) latest.set(finding.Id, finding);
    }
    return [...latest.values()];
  }

  private async persistRound(candidates: ReadonlyArray<{ id: string; evidence: readonly Evidence[]; severity: SeverityLabel; draft: () => FindingDraft }>): Promise<AsffFinding[]> {
    const findings: AsffFinding[] = [];
    const toCommit: Array<[string, string[]]> = [];
    for (const { id, evidence, severity, draft } of candidates) {
      const recorded = await this.ledger.record(id, evidence, severity);
      if (!recorded) continue;
      findings.push(buildFinding(this.withSuppression(draft()), recorded.entry));
      toCommit.push([id, recorded.fresh]);
    }
    if (findings.length > 0) await this.deps.sink.put(findings);
    for (const [id, fresh] of toCommit) await this.ledger.commit(id, fresh);
    return findings;
  }

  /**
   * The draft, marked when a suppression covers it. Suppressions match one event (its account,
   * principal, resources), so a correlation draft, which has none, is left as it is.
   */
  private withSuppression(draft: FindingDraft): FindingDraft {
    const { suppressions, directory, clock } = this.deps;
    if (!suppressions?.length || !draft.event) return draft;
    const suppression = findSuppression(suppressions, clock.now(), draft.ruleId, draft.event, draft.resources.map((r) => r.id), directory);
    return suppression ? { ...draft, suppression: { id: suppression.id, reason: suppression.reason, owner: suppression.owner, expires: suppression.expires } } : draft;
  }
}

/** Runs the rules over events: pure and stateless, so it can run anywhere (a worker thread, a Lambda). */
export function matchEvents(engine: RuleEngine, events: readonly SecurityEvent[]): { hits: RuleHit[]; failures: RuleFailure[] } {
  const failuresBefore = engine.failures.length;
  const hits: RuleHit[] = [];
  for (const event of events) for (const hit of engine.evaluate(event)) hits.push(hit);
  return { hits, failures: engine.failures.splice(failuresBefore) };
}

function highest(hits: readonly RuleHit[]) {
  return hits.reduce((a, h) => higherSeverity(a, h.severity), hits[0]!.severity);
}

function latest(hits: readonly RuleHit[]): RuleHit {
  return hits.reduce((a, h) => (compareTimes(h.event.time, a.event.time) >= 0 ? h : a));
}

/** The resources a rule's finding names: the rule's templates, else the event's resources, else the account. */
export function resourcesOf(rule: CompiledRule, event: SecurityEvent): Array<{ type: string; id: string }> {
  return rule.resources.length
    ? rule.resources.map((r) => ({ type: r.type, id: r.id.render(event) }))
    : event.resources.length
      ? event.resources.map((r) => ({ type: asffResourceType(r.type), id: r.id }))
      : [{ type: 'AwsAccount', id: `AWS::::Account:${event.account}` }];
}

/** The finding draft for a group's latest hit. */
function draftOf(id: string, { rule, event }: RuleHit): FindingDraft {
  return {
    id,
    generatorId: `skywatch/${rule.id}`,
    ruleId: rule.id,
    status: rule.status,
    title: rule.title.render(event),
    description: rule.description.render(event),
    types: rule.types,
    mitre: rule.mitre,
    remediation: { text: rule.runbook.render(event).trim(), url: rule.reference },
    resources: resourcesOf(rule, event),
    event,
  };
}
