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
import { peerLog, TRACKED_SHARE_OF_MINIMUM, type ClosedWindow, type ScopeSums } from './closed-window.js';
import type { StatisticsDetector } from './definition.js';
import { compileFilters, fieldReader, type FieldReader } from './fields.js';
import { HeavyEntry, KEY_SEPARATOR, SpaceSaving, type KeyPart } from './space-saving.js';
import { TopHeavy } from './top-heavy.js';

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

export type { ClosedWindow } from './closed-window.js';

/** One key's entry in a window: its table weight and the metric's own counts. */
class KeyEntry extends HeavyEntry {
  records = 0;
  /** The key's first record, whose context a finding names (derived only for judged keys). */
  first: NetworkRecord | undefined = undefined;
  /** Ratio hits (ratio metrics). */
  hits = 0;
  /**
   * Distinct values counted (distinct metrics): the first one inline, the next few in `few`, and
   * all of them in `seen` once there are more.
   */
  distinct = 0;
  firstValue: KeyPart | undefined = undefined;
  few: KeyPart[] | undefined = undefined;
  seen: Set<KeyPart> | undefined = undefined;
}

const newEntry = (parts: readonly KeyPart[], weight: number): KeyEntry => new KeyEntry(parts, weight);

interface OpenWindow {
  readonly start: number;
  readonly table: SpaceSaving<KeyEntry>;
  late: number;
}

interface Stream {
  readonly account: string;
  readonly region: string;
  /** `account` and `region` as the first parts of every key of the stream. */
  readonly prefix: readonly string[];
  readonly windows: Map<number, OpenWindow>;
  /** The window the last record went to: consecutive records nearly always share it. */
  last: OpenWindow | undefined;
  /** The latest record time seen. */
  watermark: number;
  /** Start of the latest window closed, or -Infinity. */
  closedThrough: number;
  /** The earliest end of an open window: nothing can close before the watermark passes it plus grace. */
  nextDue: number;
}

/** What `add` returns when no window closed: one shared empty list rather than one per record. */
const NONE: readonly ClosedWindow[] = Object.freeze([]);

/** Distinct values a key keeps in a plain array before a Set: most keys see a handful. */
const FEW = 8;

/** Counts `value` for a distinct metric's key; true when it is new to the key (and the key is under DISTINCT_CAP). */
function isNewDistinct(acc: KeyEntry, value: KeyPart): boolean {
  if (acc.distinct === 0) {
    acc.firstValue = value;
    acc.distinct = 1;
    return true;
  }
  if (acc.distinct >= DISTINCT_CAP || sameValueZero(acc.firstValue, value)) return false;
  const seen = acc.seen;
  if (seen === undefined) {
    // The second to FEW-th values: a linear scan of a short array costs less than a Set's hashing and memory.
    const few = acc.few;
    if (few === undefined) {
      acc.few = [value];
    } else {
      for (let i = 0; i < few.length; i++) if (sameValueZero(few[i], value)) return false;
      if (few.length < FEW - 1) few.push(value);
      else acc.seen = new Set([acc.firstValue!, ...few, value]);
    }
  } else {
    if (seen.has(value)) return false;
    seen.add(value);
  }
  acc.distinct++;
  return true;
}

/** The equality a Set uses. */
function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

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
  /** Where the scope fields sit in a table key's parts (which leave out account and region). */
  private readonly scopeParts: number[];
  // Consecutive records nearly always come from the same file, so the same stream.
  private lastStream: Stream | undefined;
  /** The current record's key parts, reused for every record (the table copies a new key's). */
  private readonly parts: KeyPart[];

  constructor(readonly detector: StatisticsDetector, capacity?: number) {
    this.capacity = capacity ?? tableCapacity(detector.settings.topK);
    const { source, metric } = detector;
    this.keyReaders = detector.key.map((f) => fieldReader(source, f));
    this.accepts = compileFilters(source, detector.where);
    this.ratioHit = metric.kind === 'ratio' ? compileFilters(source, metric.when) : () => false;
    this.metricReader = metric.kind === 'sum' || metric.kind === 'distinct' ? fieldReader(source, metric.field) : undefined;
    this.scopeParts = detector.scope.map((f) => detector.key.indexOf(f));
    this.parts = new Array<KeyPart>(detector.key.length).fill('');
  }

  /** Counts one record if the detector reads it; returns the windows that closed because of it. */
  add(record: NetworkRecord): readonly ClosedWindow[] {
    const d = this.detector;
    if (record.kind !== d.source || !this.accepts(record)) return NONE;
    // A table holds one stream's keys, so its keys leave out the stream's account and region (added back in `aggregates`).
    const readers = this.keyReaders;
    const parts = this.parts;
    for (let i = 0; i < readers.length; i++) {
      const v = readers[i]!(record);
      if (v === undefined) return NONE;
      parts[i] = v;
    }
    const metric = d.metric;
    let weight = 1;
    let distinctValue: string | number | undefined;
    if (metric.kind === 'sum') {
      const v = this.metricReader!(record);
      if (typeof v !== 'number') return NONE;
      weight = v;
    } else if (metric.kind === 'distinct') {
      distinctValue = this.metricReader!(record);
      if (distinctValue === undefined) return NONE;
    }
    const time = recordSeconds(record);
    const stream = this.streamOf(record.account, record.region);
    const open = this.windowOf(stream, time);
    if (metric.kind === 'distinct') {
      // The weight grows only with a value new to the key, so the table ranks by distinct count.
      const entry = open.table.add(parts, 0);
      entry.records++;
      entry.first ??= record;
      if (isNewDistinct(entry, distinctValue!)) open.table.increase(entry, 1);
    } else {
      const entry = open.table.add(parts, weight);
      entry.records++;
      entry.first ??= record;
      if (metric.kind === 'ratio' && this.ratioHit(record)) entry.hits++;
    }
    if (time > stream.watermark) {
      stream.watermark = time;
      if (time - d.graceSeconds >= stream.nextDue) return this.closeUpTo(stream, time - d.graceSeconds);
    }
    return NONE;
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
      const prefix = [account, region];
      s = { account, region, prefix, windows: new Map(), last: undefined, watermark: Number.NEGATIVE_INFINITY, closedThrough: Number.NEGATIVE_INFINITY, nextDue: Number.POSITIVE_INFINITY };
      this.streams.set(id, s);
    }
    this.lastStream = s;
    return s;
  }

  /** The open window a record of `time` counts in (a late record: the oldest open one), opened if needed. */
  private windowOf(stream: Stream, time: number): OpenWindow {
    const d = this.detector;
    let windowStart = Math.floor(time / d.windowSeconds) * d.windowSeconds;
    let late = false;
    if (windowStart <= stream.closedThrough) {
      late = true;
      windowStart = stream.closedThrough + d.windowSeconds;
    }
    let open = stream.last?.start === windowStart ? stream.last : stream.windows.get(windowStart);
    if (!open) {
      open = { start: windowStart, table: new SpaceSaving(this.capacity, d.key.length, newEntry), late: 0 };
      stream.windows.set(windowStart, open);
      stream.nextDue = Math.min(stream.nextDue, windowStart + d.windowSeconds);
    }
    stream.last = open;
    if (late) open.late++;
    return open;
  }

  /** Closes the windows that end at or before `until`. */
  private closeUpTo(stream: Stream, until: number): ClosedWindow[] {
    const d = this.detector;
    const due = [...stream.windows.keys()].filter((start) => start + d.windowSeconds <= until).sort((a, b) => a - b);
    const out: ClosedWindow[] = [];
    for (const start of due) {
      const open = stream.windows.get(start)!;
      stream.windows.delete(start);
      if (stream.last === open) stream.last = undefined;
      stream.closedThrough = Math.max(stream.closedThrough, start);
      const { keys, scopes } = this.aggregates(stream, open);
      out.push({ detector: d.id, account: stream.account, region: stream.region, windowStart: start, keys, scopes, late: open.late });
    }
    let nextDue = Number.POSITIVE_INFINITY;
    for (const start of stream.windows.keys()) nextDue = Math.min(nextDue, start + d.windowSeconds);
    stream.nextDue = nextDue;
    return out;
  }

  /**
   * In one pass over the table: each scope's count and peer sums over all its keys, and its `topK`
   * heaviest keys that can be judged, as aggregates. The engine's order is kept: scopes in the
   * order of their heaviest key, keys by value, then weight, then key.
   */
  private aggregates(stream: Stream, open: OpenWindow): { keys: KeyAggregate[]; scopes: ScopeSums[] } {
    const d = this.detector;
    const ratio = d.metric.kind === 'ratio';
    // Keys below this are never judged (a ratio's volume is its records, not its value: all kept).
    const floor = ratio ? Number.NEGATIVE_INFINITY : d.settings.minVolume * TRACKED_SHARE_OF_MINIMUM;
    const topK = d.settings.topK;
    const parts = this.scopeParts;
    const groups = new Map<string, ScopeGroup>();
    let single: ScopeGroup | undefined;
    for (const e of open.table.values()) {
      const value = ratio ? e.hits / Math.max(e.records, 1) : e.weight - e.error;
      let g: ScopeGroup;
      if (parts.length === 0) g = single ??= newGroup([...stream.prefix], topK);
      else {
        const fields = parts.map((p) => String(e.parts[p]!));
        const id = fields.length === 1 ? fields[0]! : fields.join(KEY_SEPARATOR);
        let found = groups.get(id);
        if (!found) groups.set(id, (found = newGroup(stream.prefix.concat(fields), topK)));
        g = found;
      }
      const l = peerLog(value);
      g.count++;
      g.sumLog += l;
      g.sumLogSquares += l * l;
      if (g.heaviest === undefined || heavier(e, g.heaviest)) g.heaviest = e;
      if (value >= floor) g.top.offer(e, value);
    }
    const ordered = single ? [single] : [...groups.values()].sort((a, b) => (heavier(a.heaviest!, b.heaviest!) ? -1 : 1));
    const keys: KeyAggregate[] = [];
    const scopes: ScopeSums[] = new Array(ordered.length);
    for (let i = 0; i < ordered.length; i++) {
      const g = ordered[i]!;
      scopes[i] = { scope: g.scope, count: g.count, sumLog: g.sumLog, sumLogSquares: g.sumLogSquares };
      for (const { entry: e, value } of g.top.ranked()) keys.push(this.aggregate(stream, e, value));
    }
    return { keys, scopes };
  }

  private aggregate(stream: Stream, e: KeyEntry, value: number): KeyAggregate {
    // Every tracked key has its first record: `add` sets it with the entry.
    return { key: stream.prefix.concat(e.parts.map(String)), value, volume: e.records, estimated: e.error > 0, context: contextOf(e.first!) };
  }
}

/** One scope of a window being closed. */
interface ScopeGroup {
  readonly scope: string[];
  count: number;
  sumLog: number;
  sumLogSquares: number;
  /** The scope's heaviest key by weight (ties by key): where the scope stands in the table's order. */
  heaviest: KeyEntry | undefined;
  readonly top: TopHeavy<KeyEntry>;
}

const newGroup = (scope: string[], topK: number): ScopeGroup => ({ scope, count: 0, sumLog: 0, sumLogSquares: 0, heaviest: undefined, top: new TopHeavy(topK) });

/** True when `a` comes before `b` in the table's order: heavier, or as heavy with the lesser key. */
function heavier(a: HeavyEntry, b: HeavyEntry): boolean {
  return a.weight > b.weight || (a.weight === b.weight && a.key < b.key);
}
