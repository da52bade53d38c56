/**
 * Aggregates decoded records into fixed windows per detector, in bounded memory: the laptop's
 * equivalent of the aggregation SQL that Athena runs in AWS (aggregation-sql.ts), giving the same
 * numbers for the same records.
 *
 * Windows are kept per delivery stream (account and region): each account's logs arrive on their
 * own schedule and a replay reads one account's folder after another, so one account's clock must
 * not close another's windows. A window closes once the stream has seen a record `grace` seconds
 * past its end. A record for a window already closed is late: it is counted as late and added to
 * the stream's oldest open window, so its volume still counts.
 */
import type { NetworkRecord } from '../netlogs/records.js';
import { recordSeconds } from '../netlogs/records.js';
import type { StatisticsDetector } from './definition.js';
import { compileFilters, fieldReader, type FieldReader } from './fields.js';
import { SpaceSaving } from './space-saving.js';

/** The most distinct values one key's window remembers; beyond it the count stops growing. */
export const DISTINCT_CAP = 4_096;

/** One key's aggregate in one window. */
export interface KeyAggregate {
  /** account, region, then the detector's key fields, as text. */
  readonly key: readonly string[];
  /** The metric: a count, a sum, a distinct count or a ratio. */
  readonly value: number;
  /** Records counted for the key. */
  readonly volume: number;
  /** True when the value may be overestimated (keys were evicted from the table). */
  readonly estimated: boolean;
  /** What one of the key's records said beyond the key (the interface, ports, web ACL ARN), for findings. */
  readonly context?: RecordContext;
}

/** Fields of one record of a key that a finding names: flows' interface and ports, WAF's web ACL ARN. */
export interface RecordContext {
  readonly interfaceId?: string;
  readonly protocol?: number;
  readonly srcAddr?: string;
  readonly dstAddr?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly webAclId?: string;
  readonly clientIp?: string;
  readonly uri?: string;
  readonly userAgent?: string;
  readonly country?: string;
}

/** The context a finding takes from a record. */
export function contextOf(record: NetworkRecord): RecordContext {
  if (record.kind === 'flow') {
    const { interfaceId, protocol, srcAddr, dstAddr, srcPort, dstPort } = record;
    return { interfaceId, protocol, srcAddr, dstAddr, srcPort, dstPort };
  }
  const { webAclId, clientIp, uri, userAgent, country } = record;
  return { webAclId, clientIp, uri, userAgent, country };
}

/** A window whose aggregates are final. */
export interface ClosedWindow {
  readonly detector: string;
  readonly account: string;
  readonly region: string;
  /** Seconds since the epoch. */
  readonly windowStart: number;
  readonly keys: readonly KeyAggregate[];
  /** Records that arrived after their own window had closed and were counted here. */
  readonly late: number;
}

interface Accumulator {
  records: number;
  context?: RecordContext;
  /** Distinct values seen (distinct metrics); ratio hits (ratio metrics). */
  seen?: Set<string | number>;
  hits: number;
}

interface OpenWindow {
  readonly table: SpaceSaving<Accumulator>;
  late: number;
}

interface Stream {
  readonly account: string;
  readonly region: string;
  readonly windows: Map<number, OpenWindow>;
  /** The latest record time seen. */
  watermark: number;
  /** Start of the latest window closed, or -Infinity. */
  closedThrough: number;
  /** The earliest end of an open window: nothing can close before the watermark passes it plus grace. */
  nextDue: number;
}

const SEPARATOR = '\u001f';

/** How many keys a window table tracks for a detector that judges `topK` keys per scope. */
export function tableCapacity(topK: number): number {
  return Math.max(2_000, topK * 20);
}

/** Aggregates one detector's records. */
export class DetectorAccumulator {
  private readonly streams = new Map<string, Stream>();
  private readonly capacity: number;
  private readonly keyReaders: FieldReader[];
  private readonly accepts: (record: NetworkRecord) => boolean;
  private readonly ratioHit: (record: NetworkRecord) => boolean;
  private readonly metricReader: FieldReader | undefined;
  // Consecutive records nearly always come from the same file, so the same stream.
  private lastStream: Stream | undefined;

  constructor(readonly detector: StatisticsDetector, capacity?: number) {
    this.capacity = capacity ?? tableCapacity(detector.settings.topK);
    const { source, metric } = detector;
    this.keyReaders = detector.key.map((f) => fieldReader(source, f));
    this.accepts = compileFilters(source, detector.where);
    this.ratioHit = metric.kind === 'ratio' ? compileFilters(source, metric.when) : () => false;
    this.metricReader = metric.kind === 'sum' || metric.kind === 'distinct' ? fieldReader(source, metric.field) : undefined;
  }

  /** Counts one record if the detector reads it; returns the windows that closed because of it. */
  add(record: NetworkRecord): ClosedWindow[] {
    const d = this.detector;
    if (record.kind !== d.source || !this.accepts(record)) return [];
    let key = record.account + SEPARATOR + record.region;
    for (const read of this.keyReaders) {
      const v = read(record);
      if (v === undefined) return [];
      key += SEPARATOR + v;
    }
    const metric = d.metric;
    let weight = 1;
    let distinctValue: string | number | undefined;
    if (metric.kind === 'sum') {
      const v = this.metricReader!(record);
      if (typeof v !== 'number') return [];
      weight = v;
    } else if (metric.kind === 'distinct') {
      distinctValue = this.metricReader!(record);
      if (distinctValue === undefined) return [];
    }
    const time = recordSeconds(record);
    const stream = this.streamOf(record.account, record.region);
    let windowStart = Math.floor(time / d.windowSeconds) * d.windowSeconds;
    let late = false;
    if (windowStart <= stream.closedThrough) {
      late = true;
      windowStart = stream.closedThrough + d.windowSeconds;
    }
    let open = stream.windows.get(windowStart);
    if (!open) {
      open = { table: new SpaceSaving<Accumulator>(this.capacity, () => ({ records: 0, hits: 0 })), late: 0 };
      stream.windows.set(windowStart, open);
      stream.nextDue = Math.min(stream.nextDue, windowStart + d.windowSeconds);
    }
    if (late) open.late++;
    if (metric.kind === 'distinct') {
      // The weight grows only with a value new to the key, so the table ranks by distinct count.
      const entry = open.table.add(key, 0);
      const acc = entry.accumulator;
      const seen = (acc.seen ??= new Set());
      acc.records++;
      acc.context ??= contextOf(record);
      if (seen.size < DISTINCT_CAP && !seen.has(distinctValue!)) {
        seen.add(distinctValue!);
        open.table.add(key, 1);
      }
    } else {
      const entry = open.table.add(key, weight);
      const acc = entry.accumulator;
      acc.records++;
      acc.context ??= contextOf(record);
      if (metric.kind === 'ratio' && this.ratioHit(record)) acc.hits++;
    }
    if (time > stream.watermark) {
      stream.watermark = time;
      if (time - d.graceSeconds >= stream.nextDue) return this.closeUpTo(stream, time - d.graceSeconds);
    }
    return [];
  }

  /** Closes every open window (the end of a replay), oldest first per stream. */
  flush(): ClosedWindow[] {
    const out: ClosedWindow[] = [];
    for (const stream of this.streams.values()) out.push(...this.closeUpTo(stream, Number.POSITIVE_INFINITY));
    return out;
  }

  /** Records held in open windows' tables, for memory accounting. */
  get openKeys(): number {
    let n = 0;
    for (const s of this.streams.values()) for (const w of s.windows.values()) n += w.table.size;
    return n;
  }

  private streamOf(account: string, region: string): Stream {
    const last = this.lastStream;
    if (last && last.account === account && last.region === region) return last;
    const id = `${account}/${region}`;
    let s = this.streams.get(id);
    if (!s) {
      s = { account, region, windows: new Map(), watermark: Number.NEGATIVE_INFINITY, closedThrough: Number.NEGATIVE_INFINITY, nextDue: Number.POSITIVE_INFINITY };
      this.streams.set(id, s);
    }
    this.lastStream = s;
    return s;
  }

  /** Closes the windows that end at or before `until`. */
  private closeUpTo(stream: Stream, until: number): ClosedWindow[] {
    const d = this.detector;
    const due = [...stream.windows.keys()].filter((start) => start + d.windowSeconds <= until).sort((a, b) => a - b);
    const out: ClosedWindow[] = [];
    for (const start of due) {
      const open = stream.windows.get(start)!;
      stream.windows.delete(start);
      stream.closedThrough = Math.max(stream.closedThrough, start);
      out.push({ detector: d.id, account: stream.account, region: stream.region, windowStart: start, keys: this.aggregates(open), late: open.late });
    }
    let nextDue = Number.POSITIVE_INFINITY;
    for (const start of stream.windows.keys()) nextDue = Math.min(nextDue, start + d.windowSeconds);
    stream.nextDue = nextDue;
    return out;
  }

  private aggregates(open: OpenWindow): KeyAggregate[] {
    const ratio = this.detector.metric.kind === 'ratio';
    return open.table.top().map((e) => ({
      key: e.key.split(SEPARATOR),
      value: ratio ? e.accumulator.hits / Math.max(e.accumulator.records, 1) : e.weight - e.error,
      volume: e.accumulator.records,
      estimated: e.error > 0,
      ...(e.accumulator.context && { context: e.accumulator.context }),
    }));
  }
}
