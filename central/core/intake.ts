/**
 * Intake: what the central account does with decoded input, whichever way it came. Events reach the
 * detector twice: forwarded by EventBridge within seconds (writes only), and again in the
 * organization trail minutes later (every call). An event detected on one path is skipped on the
 * other, and a redelivered message is skipped too. Events are marked seen only after their findings
 * are in the outbox, so a crash in between repeats work (the finding ledger counts each event once)
 * and never loses a finding.
 */
import { decodeInput } from './decode/log-object.js';
import type { InputProblem } from './decode/input-problem.js';
import type { SecurityEvent } from './event.js';
import type { Detector } from './detector.js';
import { isSignal, isSignalFinding, type SignalSink } from './delivery/signals.js';
import type { IocMatcher } from './ioc/matcher.js';
import { eventIocSightings } from './ioc/record-sightings.js';
import type { StoredIocTallies } from './ioc/stored-tallies.js';
import type { FindingSink, ObjectLocation, ObjectStore, StateStore } from './ports.js';
import type { RuleFailure } from './rules/engine.js';

/** Trail files can hold thousands of records; the detector takes them in slices of this many. */
const SLICE = 1_000;

export interface IntakeDeps {
  /** Its sink should be a SignalRoutingSink, so rule findings over signals are not imported. */
  readonly detector: Detector;
  /** Where seen event ids are kept (the same store as the detector's state). */
  readonly state: StateStore;
  readonly signals: SignalSink;
  readonly objects: ObjectStore;
  /** The largest trail file read. */
  readonly maxObjectBytes: number;
  /**
   * IOC lists matched on every CloudTrail event's source address and user agent: the hits are
   * tallied in the state and their findings put in `findings` (the outbox).
   */
  readonly ioc?: { readonly matcher: IocMatcher; readonly tallies: StoredIocTallies; readonly findings: FindingSink };
}

/** What one piece of input yielded. */
export interface IntakeOutcome {
  readonly events: number;
  /** Events not seen before on either path. */
  readonly fresh: number;
  readonly findings: number;
  readonly signals: number;
  readonly problems: readonly InputProblem[];
  readonly ruleFailures: readonly RuleFailure[];
  /** Why a whole object was skipped (a digest file). */
  readonly skipped?: string;
}

export class Intake {
  constructor(private readonly deps: IntakeDeps) {}

  /** Detects on events not seen before; findings are in the outbox and signals stored before this resolves. */
  async detectEvents(events: readonly SecurityEvent[]): Promise<IntakeOutcome> {
    let fresh = 0, findings = 0, signals = 0;
    const ruleFailures: RuleFailure[] = [];
    for (let i = 0; i < events.length; i += SLICE) {
      const unseen = await this.unseen(events.slice(i, i + SLICE));
      const outcome = await this.deps.detector.process(unseen);
      const iocFindings = await this.matchIoc(unseen);
      // A signal a rule restated is notified through the rule's finding; the others as they are.
      const restated = new Set(outcome.findings.filter(isSignalFinding).flatMap((f) => (f.ProductFields['skywatch/EventIds'] ?? '').split(',')));
      const signalEvents = unseen.filter((e) => isSignal(e) && !restated.has(e.id));
      if (signalEvents.length) await this.deps.signals.put(signalEvents);
      await this.remember(unseen);
      fresh += unseen.length;
      findings += outcome.findings.length + iocFindings;
      signals += signalEvents.length;
      ruleFailures.push(...outcome.ruleFailures);
    }
    return { events: events.length, fresh, findings, signals, problems: [], ruleFailures };
  }

  /** Reads and decodes one trail file, then detects on its events; unusable records are reported, not fatal. */
  async detectObject(location: ObjectLocation): Promise<IntakeOutcome> {
    const name = `s3://${location.bucket}/${location.key}`;
    const bytes = await this.deps.objects.read(location, this.deps.maxObjectBytes);
    const decoded = await decodeInput(name, bytes);
    if (decoded.skipped) return { events: 0, fresh: 0, findings: 0, signals: 0, problems: decoded.problems, ruleFailures: [], skipped: decoded.skipped };
    const outcome = await this.detectEvents(decoded.events);
    return { ...outcome, problems: decoded.problems };
  }

  /** Tallies the IOC hits of fresh CloudTrail events and puts their findings; returns how many findings changed. */
  private async matchIoc(events: readonly SecurityEvent[]): Promise<number> {
    const ioc = this.deps.ioc;
    if (!ioc) return 0;
    const changed = await ioc.tallies.record(eventIocSightings(events, ioc.matcher));
    if (changed.length) await ioc.findings.put(changed);
    return changed.length;
  }

  /** The events whose ids are new, deduplicated within the batch too, in input order. */
  private async unseen(events: readonly SecurityEvent[]): Promise<SecurityEvent[]> {
    const fresh = new Map<string, Set<string>>();
    for (const [key, group] of groupBySeenKey(events)) fresh.set(key, new Set(await this.deps.state.unseen(key, group.map((e) => e.id))));
    // Taking an id out of its set as it is kept also drops the batch's own repeats.
    return events.filter((event) => fresh.get(seenKey(event))!.delete(event.id));
  }

  private async remember(events: readonly SecurityEvent[]): Promise<void> {
    for (const [key, group] of groupBySeenKey(events)) await this.deps.state.remember(key, group.map((e) => e.id));
  }
}

/**
 * Seen ids are grouped by account, region and hour of the event: small sets that both paths hit
 * (a trail file covers one account and region over minutes), spread over many DynamoDB partitions.
 */
export function seenKey(event: Pick<SecurityEvent, 'account' | 'region' | 'time'>): string {
  return `seen/${event.account}/${event.region}/${event.time.slice(0, 13)}`;
}

function groupBySeenKey(events: readonly SecurityEvent[]): Map<string, SecurityEvent[]> {
  const groups = new Map<string, SecurityEvent[]>();
  for (const event of events) {
    const key = seenKey(event);
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return groups;
}
