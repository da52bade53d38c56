/**
 * The detection pipeline for a batch of normalized events: rules (indexed) -> group hits into
 * findings -> ledger (dedup, CreatedAt/UpdatedAt) -> ASFF -> sink. Lambda and the CLI both call
 * `process`; only the adapters behind the ports differ.
 */
import type { SecurityEvent } from './event.js';
import { buildFinding, partitionOf, productArn, type AsffFinding, type EventFindingDraft, type FindingDraft } from './findings/asff.js';
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
import { isSignal } from './delivery/signals.js';
import { observeHit, observeSignal, type BaseFinding } from './correlation/observe.js';
import type { Observation } from './correlation/observation.js';
import type { AsnLookup } from './ioc/asn-ranges.js';

/** A finding about to be recorded: its Id, the evidence behind it, its severity and how to draft it. */
export interface PersistCandidate {
  readonly id: string;
  readonly evidence: readonly Evidence[];
  readonly severity: SeverityLabel;
  readonly draft: () => FindingDraft;
}

/**
 * Correlation as the detector sees it: observations in, correlation finding candidates out
 * (`central/core/correlation/correlator.ts`). `rawPaths` are the raw record fields its rules read.
 */
export interface Correlator {
  readonly rawPaths: readonly string[];
  correlate(observations: readonly Observation[]): Promise<PersistCandidate[]>;
}

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
  /** Cross-account correlation over what this detector finds; none when absent. */
  readonly correlator?: Correlator;
  /**
   * Hold observations until `flushCorrelation` instead of correlating each batch: a replay reads
   * files account by account, so it correlates once, over everything, in time order.
   */
  readonly deferCorrelation?: boolean;
  /** The ASN data, for first-seen rules over the source address's network (`network.asn`). */
  readonly asn?: AsnLookup;
  /**
   * Count provisioning calls as they come but judge volume rules only in `flushVolume`: a replay
   * reads files in no time order, and judging after all are counted makes the result independent of it.
   */
  readonly deferVolume?: boolean;
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
  /** Observations waiting for correlation. */
  private pending: Observation[] = [];

  constructor(private readonly deps: DetectorDeps) {
    this.ledger = new FindingLedger(deps.state, deps.clock);
    this.gates = new RuleGates(deps.state, { asn: deps.asn, deferVolume: deps.deferVolume });
  }

  /** Processes one batch; findings (correlation findings included) are in the sink before this resolves. */
  async process(events: readonly SecurityEvent[]): Promise<BatchOutcome> {
    // Scan results carry their own findings (the scanner's rules already ran); the rules see the rest.
    const scans = events.filter((e) => e.kind === 'objectscan');
    const others = scans.length ? events.filter((e) => e.kind !== 'objectscan') : events;
    const { hits, failures } = matchEvents(this.deps.engine, others);
    const findings = await this.record(hits);
    const unmatched = await this.recordUnmatched(events);
    findings.push(...unmatched.findings);
    if (!this.deps.deferCorrelation) findings.push(...(await this.flushCorrelation()));
    return { events: events.length, hits: hits.length + unmatched.scanHits, findings, ruleFailures: failures };
  }

  /**
   * Records what the rules do not match: object-scan results become their findings, and scans and
   * signals (GuardDuty, Config) are observed for correlation. Returns the scan findings and how many
   * object-rule matches they stand for.
   */
  async recordUnmatched(events: readonly SecurityEvent[]): Promise<{ findings: AsffFinding[]; scanHits: number }> {
    const findings: AsffFinding[] = [];
    const candidates = events.filter((e) => e.kind === 'objectscan').flatMap(scanFindingCandidates);
    if (candidates.length) {
      findings.push(...(await this.persist(candidates.map((c) => ({ ...c, draft: () => c.draft })))));
      this.observe(candidates.map((c) => ({ id: c.id, severity: c.severity, draft: c.draft, events: [c.draft.event] })));
    }
    if (this.deps.correlator) {
      const rawPaths = this.deps.correlator.rawPaths;
      for (const event of events) {
        if (!isSignal(event)) continue;
        const observation = observeSignal(event, rawPaths, signalFinding(event));
        if (observation) this.pending.push(observation);
      }
    }
    return { findings, scanHits: candidates.length };
  }

  /** Correlates the observations held so far, in event time order; returns the correlation findings. */
  async flushCorrelation(): Promise<AsffFinding[]> {
    const { correlator } = this.deps;
    if (!correlator || this.pending.length === 0) return [];
    const observations = this.pending.sort((a, b) => compareTimes(a.time, b.time));
    this.pending = [];
    const findings: AsffFinding[] = [];
    for (let i = 0; i < observations.length; i += CORRELATION_SLICE) {
      const candidates = await correlator.correlate(observations.slice(i, i + CORRELATION_SLICE));
      if (candidates.length) findings.push(...(await this.persist(candidates)));
    }
    return latestVersions(findings);
  }

  /** Observations waiting for `flushCorrelation`. */
  get pendingObservations(): number {
    return this.pending.length;
  }

  /**
   * Turns rule hits into findings: groups them by finding Id, records the evidence in the ledger,
   * and puts the new or updated findings in the sink. Returns those findings.
   */
  async record(candidates: readonly RuleHit[]): Promise<AsffFinding[]> {
    const admitted = await this.gates.admit(candidates);
    const findings = await this.recordAdmitted(admitted.hits);
    await admitted.commit();
    return findings;
  }

  /** Judges the provisioning calls counted so far (with `deferVolume`) and records their findings. */
  async flushVolume(): Promise<AsffFinding[]> {
    return this.recordAdmitted(await this.gates.flushVolume());
  }

  /** Volume hits waiting for `flushVolume`. */
  get pendingVolumeHits(): number {
    return this.gates.queuedVolumeHits;
  }

  /** Groups admitted hits into findings, persists them and observes them for correlation. */
  private async recordAdmitted(hits: readonly RuleHit[]): Promise<AsffFinding[]> {
    const admitted = { hits };
    const groups = new Map<string, RuleHit[]>();
    for (const hit of admitted.hits) {
      const id = findingId(hit.rule.id, hit.event.account, hit.event.region, hit.rule.dedup.render(hit.event, ''));
      const group = groups.get(id);
      if (group) group.push(hit);
      else groups.set(id, [hit]);
    }
    // Each group's severity and draft are worked out once, and the draft only when needed: by the
    // ledger when the finding changed, by correlation for every group.
    const drafts = [...groups].map(([id, group]) => {
      let drafted: EventFindingDraft | undefined;
      const draft = () => (drafted ??= draftOf(id, latest(group)));
      return { id, group, draft, evidence: group.flatMap((h) => h.evidence ?? [{ id: h.event.id, time: h.event.time }]), severity: highest(group) };
    });
    const findings = await this.persist(drafts);
    if (this.deps.correlator) {
      this.observe(drafts.map(({ id, group, draft, severity }) => ({ id, severity, draft: draft(), events: group.map((h) => h.event), rule: group[0]!.rule })));
    }
    return findings;
  }

  /**
   * Holds one observation per event behind each finding, for correlation. Suppressed findings and
   * staged rules feed nothing: accepted activity is not part of an attack, and a staged rule is still
   * being judged.
   */
  private observe(groups: ReadonlyArray<{ id: string; severity: SeverityLabel; draft: EventFindingDraft; events: readonly SecurityEvent[]; rule?: CompiledRule }>): void {
    const { correlator } = this.deps;
    if (!correlator) return;
    for (const { id, severity, draft, events, rule } of groups) {
      if (draft.status !== 'active' || this.withSuppression(draft).suppression) continue;
      for (const event of events) {
        // A rule finding over a signal is never imported: the signal's own Security Hub finding is the base.
        const finding: BaseFinding | undefined = isSignal(event) ? signalFinding(event) : { productArn: productArn(event.region, event.account), id };
        this.pending.push(
          observeHit(event, { ruleId: draft.ruleId, aliases: rule?.aliases, mitre: draft.mitre, types: draft.types, severity, title: draft.title, finding }, correlator.rawPaths),
        );
      }
    }
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

/** Observations correlated per call: bounds one call's state reads and writes. */
const CORRELATION_SLICE = 1_000;

/**
 * The Security Hub finding a signal already is: GuardDuty imports its findings under its own
 * product, with the finding's ARN as Id. Config's Security Hub Ids cannot be derived from the event.
 */
function signalFinding(event: SecurityEvent): BaseFinding | undefined {
  const arn = (event.raw as Record<string, unknown>).arn;
  if (event.kind !== 'guardduty' || typeof arn !== 'string') return undefined;
  return { productArn: `arn:${partitionOf(event.region)}:securityhub:${event.region}::product/aws/guardduty`, id: arn };
}

/** The last version of each finding, in first-seen order. */
function latestVersions(findings: readonly AsffFinding[]): AsffFinding[] {
  const byId = new Map<string, AsffFinding>();
  for (const finding of findings) byId.set(finding.Id, finding);
  return [...byId.values()];
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

/** The finding draft for a group's latest hit; a behaviour rule's explanation comes first, so clipping never cuts it. */
function draftOf(id: string, { rule, event, behaviour }: RuleHit): EventFindingDraft {
  const description = rule.description.render(event);
  return {
    id,
    generatorId: `skywatch/${rule.id}`,
    ruleId: rule.id,
    status: rule.status,
    title: rule.title.render(event),
    description: behaviour ? `${behaviour.text} ${description.trim()}` : description,
    ...(behaviour && { fields: behaviour.fields }),
    types: rule.types,
    mitre: rule.mitre,
    remediation: { text: rule.runbook.render(event).trim(), url: rule.reference },
    resources: resourcesOf(rule, event),
    event,
  };
}
