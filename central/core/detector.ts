/**
 * The detection pipeline for a batch of normalized events: rules (indexed) -> group hits into
 * findings -> ledger (dedup, CreatedAt/UpdatedAt) -> ASFF -> sink. Lambda and the CLI both call
 * `process`; only the adapters behind the ports differ.
 */
import type { SecurityEvent } from './event.js';
import { buildFinding, type AsffFinding, type FindingDraft } from './findings/asff.js';
import { findingId } from './findings/finding-id.js';
import { FindingLedger } from './findings/ledger.js';
import { asffResourceType } from './findings/resource-types.js';
import type { RuleEngine, RuleFailure, RuleHit } from './rules/engine.js';
import { SEVERITY_LABELS } from './rules/schema.js';
import type { Clock, FindingSink, StateStore } from './ports.js';

/** What the detector needs. */
export interface DetectorDeps {
  readonly engine: RuleEngine;
  readonly state: StateStore;
  readonly sink: FindingSink;
  readonly clock: Clock;
}

/** The outcome of one batch. */
export interface BatchOutcome {
  readonly events: number;
  readonly hits: number;
  /** Findings created or updated by this batch (a replayed event updates nothing). */
  readonly findings: AsffFinding[];
  readonly ruleFailures: RuleFailure[];
}

interface Group {
  readonly id: string;
  readonly hits: RuleHit[];
}

/** Runs batches of events through the rules and records findings. */
export class Detector {
  private readonly ledger: FindingLedger;

  constructor(private readonly deps: DetectorDeps) {
    this.ledger = new FindingLedger(deps.state, deps.clock);
  }

  /** Processes one batch; findings are in the sink before this resolves. */
  async process(events: readonly SecurityEvent[]): Promise<BatchOutcome> {
    const { engine } = this.deps;
    const failuresBefore = engine.failures.length;
    const groups = new Map<string, Group>();
    let hits = 0;
    for (const event of events) {
      for (const hit of engine.evaluate(event)) {
        hits++;
        const id = findingId(hit.rule.id, event.account, event.region, hit.rule.dedup.render(event, ''));
        let group = groups.get(id);
        if (!group) groups.set(id, (group = { id, hits: [] }));
        group.hits.push(hit);
      }
    }
    const ruleFailures = engine.failures.splice(failuresBefore);
    if (groups.size === 0) return { events: events.length, hits, findings: [], ruleFailures };

    const findings: AsffFinding[] = [];
    const toCommit: Array<[string, string[]]> = [];
    for (const group of groups.values()) {
      const evidence = group.hits.map((h) => ({ id: h.event.id, time: h.event.time }));
      const recorded = await this.ledger.record(group.id, evidence, highest(group.hits));
      if (!recorded) continue;
      findings.push(buildFinding(draftOf(group.id, latest(group.hits)), recorded.entry));
      toCommit.push([group.id, recorded.fresh]);
    }
    if (findings.length > 0) await this.deps.sink.put(findings);
    for (const [id, fresh] of toCommit) await this.ledger.commit(id, fresh);
    return { events: events.length, hits, findings, ruleFailures };
  }
}

function highest(hits: readonly RuleHit[]) {
  return hits.reduce((a, h) => (SEVERITY_LABELS.indexOf(h.severity) > SEVERITY_LABELS.indexOf(a) ? h.severity : a), hits[0]!.severity);
}

function latest(hits: readonly RuleHit[]): RuleHit {
  return hits.reduce((a, h) => (h.event.time >= a.event.time ? h : a));
}

function draftOf(id: string, { rule, event }: RuleHit): FindingDraft {
  const resources = rule.resources.length
    ? rule.resources.map((r) => ({ type: r.type, id: r.id.render(event) }))
    : event.resources.length
      ? event.resources.map((r) => ({ type: asffResourceType(r.type), id: r.id }))
      : [{ type: 'AwsAccount', id: `AWS::::Account:${event.account}` }];
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
    resources,
    event,
  };
}
