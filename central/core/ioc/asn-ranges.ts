/**
 * IP-to-ASN lookups from range CSV files (`start,end,asn,organization`, inclusive bounds, as
 * ip-location-db publishes them), held as sorted typed arrays: about 12 bytes an IPv4 range and
 * 36 an IPv6 range, plus one shared record per distinct ASN and name. A lookup is a binary search
 * that returns a record built at load, so it allocates nothing. Texts in: central/local/asn-files.ts
 * reads the package's files.
 */
import { compareWords, parseIpInto } from '../net/ip-words.js';
import { lastAtOrBelow } from './range-table.js';

/** What an ASN lookup answers. */
export interface AsnInfo {
  readonly asn: number;
  readonly name?: string;
}

/** The port IOC matching reads ASNs through, so the core stays pure of data files. */
export interface AsnLookup {
  /** The autonomous system announcing `ip`, or undefined when unknown or not an address. */
  asnOf(ip: string): AsnInfo | undefined;
}

/** A CSV line that is not a range; `line` is 1-based in its file. */
export class AsnDataError extends Error {
  override readonly name = 'AsnDataError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

/** One family's ranges, sorted by start, never overlapping. */
interface FamilyRanges {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly records: Uint32Array;
  readonly count: number;
}

/** The CSV texts to load, with names for errors. */
export interface AsnCsvTexts {
  readonly ipv4: { readonly file: string; readonly text: string };
  readonly ipv6: { readonly file: string; readonly text: string };
}

/** An AsnLookup over loaded ranges, with their sizes for start-up logs. */
export interface AsnRanges extends AsnLookup {
  readonly ipv4Ranges: number;
  readonly ipv6Ranges: number;
  /** Distinct (ASN, name) records. */
  readonly records: number;
}

/** Builds the lookup from the IPv4 and IPv6 CSV texts; throws AsnDataError on a malformed line. */
export function buildAsnRanges(texts: AsnCsvTexts): AsnRanges {
  const records: AsnInfo[] = [];
  const recordOf = new Map<string, number>();
  const v4 = loadFamily(texts.ipv4.file, texts.ipv4.text, 4, records, recordOf);
  const v6 = loadFamily(texts.ipv6.file, texts.ipv6.text, 6, records, recordOf);
  const query = new Uint32Array(4);
  return {
    ipv4Ranges: v4.count,
    ipv6Ranges: v6.count,
    records: records.length,
    asnOf(ip) {
      const family = parseIpInto(ip, query);
      if (family === 0) return undefined;
      const ranges = family === 4 ? v4 : v6;
      const width = family === 4 ? 1 : 4;
      const i = lastAtOrBelow(ranges.starts, query, width);
      if (i < 0 || compareWords(query, 0, ranges.ends, i * width, width) > 0) return undefined;
      return records[ranges.records[i]!];
    },
  };
}

function loadFamily(file: string, text: string, family: 4 | 6, records: AsnInfo[], recordOf: Map<string, number>): FamilyRanges {
  const width = family === 4 ? 1 : 4;
  const capacity = countLines(text);
  const starts = new Uint32Array(capacity * width);
  const ends = new Uint32Array(capacity * width);
  const recs = new Uint32Array(capacity);
  const a = new Uint32Array(4);
  const b = new Uint32Array(4);
  // The previous line's own start, before any clipping, for the order check.
  const lastStart = new Uint32Array(4);
  let count = 0;
  let lineNo = 0;
  let lastTail = '';
  let lastRecord = 0;
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const stop = nl < 0 ? text.length : nl;
    const line = text.slice(at, stop > at && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop);
    at = stop + 1;
    lineNo++;
    if (line === '') continue;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0) throw new AsnDataError('expected start,end,asn,organization', file, lineNo);
    if (parseIpInto(line.slice(0, c1), a) !== family || parseIpInto(line.slice(c1 + 1, c2), b) !== family) {
      throw new AsnDataError(`expected IPv${family} addresses`, file, lineNo);
    }
    if (compareWords(a, 0, b, 0, width) > 0) throw new AsnDataError('the range ends before it starts', file, lineNo);
    const asnText = line.slice(c2 + 1, c3 < 0 ? line.length : c3);
    if (!/^\d{1,10}$/.test(asnText)) throw new AsnDataError(`"${asnText}" is not an ASN`, file, lineNo);
    if (count > 0 && compareWords(a, 0, lastStart, 0, width) < 0) throw new AsnDataError('ranges are not sorted by start', file, lineNo);
    lastStart.set(a);
    if (count > 0) {
      const prev = (count - 1) * width;
      // The published data has a few overlapping ranges: the earlier one keeps what they share.
      if (compareWords(a, 0, ends, prev, width) <= 0) {
        if (compareWords(b, 0, ends, prev, width) <= 0) continue;
        for (let k = 0; k < width; k++) a[k] = ends[prev + k]!;
        increment(a, width);
      }
    }
    for (let k = 0; k < width; k++) {
      starts[count * width + k] = a[k]!;
      ends[count * width + k] = b[k]!;
    }
    // Neighbouring ranges mostly share their AS: compare the raw tail before building a record key.
    const tail = line.slice(c2 + 1);
    if (tail !== lastTail) {
      lastTail = tail;
      lastRecord = recordOf.get(tail) ?? newRecord(tail, Number(asnText), c3 < 0 ? '' : unquote(line.slice(c3 + 1)), records, recordOf);
    }
    recs[count] = lastRecord;
    count++;
  }
  return { starts: starts.subarray(0, count * width), ends: ends.subarray(0, count * width), records: recs.subarray(0, count), count };
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Adds one to an address of `width` words (never called on the last address: a range ends there). */
function increment(words: Uint32Array, width: number): void {
  for (let k = width - 1; k >= 0; k--) {
    words[k] = (words[k]! + 1) >>> 0;
    if (words[k] !== 0) return;
  }
}

/** A CSV field without its quotes (`"LLC ""SPUTNIK"""` → `LLC "SPUTNIK"`). */
function unquote(field: string): string {
  return field.startsWith('"') && field.endsWith('"') && field.length >= 2 ? field.slice(1, -1).replaceAll('""', '"') : field;
}

/** Adds the record of a line's `asn,organization` tail (the key, as written in the file). */
function newRecord(tail: string, asn: number, name: string, records: AsnInfo[], recordOf: Map<string, number>): number {
  const i = records.length;
  // A copy: a slice of the CSV text would keep the whole text alive (tens of megabytes).
  const own = name.split('').join('');
  records.push(Object.freeze(own ? { asn, name: own } : { asn }));
  recordOf.set(tail, i);
  return i;
}
