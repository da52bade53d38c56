/**
 * Finds secrets in text with the compiled detectors. Content is the object's bytes decoded as latin1,
 * so a string index is a byte offset. Each detector runs only when one of its keywords occurs; its
 * regex then runs once over the content (a paired detector only near what it requires). Candidates
 * pass the allow-list, the entropy floor and the validators; overlapping candidates are resolved; the
 * rest become redacted matches, sorted by offset.
 */
import { literalSearch } from '../../../central/core/rules/safe-regex.js';
import { maskValue, shortHash } from '../redact.js';
import type { ScanMatch } from '../scan-match.js';
import type { SecretDetector } from './detector-file.js';
import { shannonEntropy } from './entropy.js';

interface Candidate {
  readonly detector: SecretDetector;
  /** The secret's span. */
  readonly start: number;
  readonly end: number;
  /** The whole regex match's length: more context matched, more specific. */
  readonly context: number;
  readonly secret: string;
  readonly rank: number;
  /** The match a paired detector required, reported as one with this one. */
  readonly anchor?: Candidate;
}

/** A match and where its secret ends: what masking a secret in a name needs. */
export interface SecretSpan {
  readonly match: ScanMatch;
  /** Index just past the secret; the match's `offset` is where it starts. */
  readonly end: number;
  /** The paired value reported with it (the access key id of a secret key), to be masked too. */
  readonly anchor?: { readonly start: number; readonly end: number; readonly preview: string };
}

/** The secrets in `content`, sorted by offset, one match per secret occurrence. */
export function findSecrets(content: string, detectors: readonly SecretDetector[]): ScanMatch[] {
  return findSecretSpans(content, detectors).map((s) => s.match);
}

/** Like findSecrets, with the end of each secret. */
export function findSecretSpans(content: string, detectors: readonly SecretDetector[]): SecretSpan[] {
  const present = presentKeywords(content.toLowerCase(), detectors);
  const runs = (d: SecretDetector) => d.keywords.length === 0 || d.keywords.some((k) => present.has(k));
  const found = new Map<string, Candidate[]>();
  const candidates: Candidate[] = [];
  const absorbed = new Set<Candidate>();
  detectors.forEach((detector, rank) => {
    if (detector.requires || !runs(detector)) return;
    const own = scan(content, detector, rank, [[0, content.length]]);
    found.set(detector.id, own);
    for (const c of own) candidates.push(c);
  });
  detectors.forEach((detector, rank) => {
    if (!detector.requires || !runs(detector)) return;
    const { within } = detector.requires;
    const anchors = found.get(detector.requires.detector) ?? [];
    for (const candidate of scan(content, detector, rank, windows(anchors, within, content.length))) {
      const anchor = nearest(anchors, candidate, within);
      if (!anchor) continue;
      // The pair is one match, at the secret; the access key id beside it is not reported again.
      absorbed.add(anchor);
      candidates.push({ ...candidate, context: anchor.context + candidate.context, anchor });
    }
  });
  const kept = resolveOverlaps(candidates.filter((c) => !absorbed.has(c)));
  return toMatches(content, kept);
}

/**
 * The detectors' keywords that occur in `lower`, in one pass: a combined regex finds the next
 * keyword, which then leaves the regex, so frequent keywords cost one hit and absent ones nothing.
 * Longer keywords come first (literalSearch), and the search resumes where the last hit began, so a keyword that
 * starts where another one does is not skipped.
 */
function presentKeywords(lower: string, detectors: readonly SecretDetector[]): Set<string> {
  let remaining = [...new Set(detectors.flatMap((d) => d.keywords))];
  const present = new Set<string>();
  let from = 0;
  while (remaining.length > 0) {
    const re = literalSearch(remaining);
    re.lastIndex = from;
    const hit = re.exec(lower);
    if (!hit) break;
    present.add(hit[0]);
    remaining = remaining.filter((k) => k !== hit[0]);
    from = hit.index;
  }
  return present;
}

/** Runs the detector's regex over each `[from, to)` window and keeps the candidates that pass its checks. */
function scan(content: string, detector: SecretDetector, rank: number, spans: ReadonlyArray<readonly [number, number]>): Candidate[] {
  const out: Candidate[] = [];
  const re = detector.regex;
  for (const [from, to] of spans) {
    re.lastIndex = from;
    for (let m = re.exec(content); m !== null && m.index < to; m = re.exec(content)) {
      if (m[0].length === 0) re.lastIndex++;
      const span = m.indices?.[detector.secretGroup];
      const secret = m[detector.secretGroup];
      if (!span || !secret || !accepts(detector, secret)) continue;
      out.push({ detector, start: span[0], end: span[1], context: m[0].length, secret, rank });
    }
  }
  re.lastIndex = 0;
  return out;
}

function accepts(detector: SecretDetector, secret: string): boolean {
  if (detector.allow.some((re) => re.test(secret))) return false;
  if (detector.minEntropy !== undefined && shannonEntropy(secret) < detector.minEntropy) return false;
  return detector.validators.every((valid) => valid(secret));
}

/** The regions within `within` bytes of an anchor, merged so no byte is searched twice. */
function windows(anchors: readonly Candidate[], within: number, length: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const a of [...anchors].sort((x, y) => x.start - y.start)) {
    const from = Math.max(0, a.start - within);
    const to = Math.min(length, a.end + within);
    const last = spans[spans.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
  }
  return spans;
}

/** The anchor closest to `c`, if within reach; anchors are in content order and do not overlap. */
function nearest(anchors: readonly Candidate[], c: Candidate, within: number): Candidate | undefined {
  let lo = 0;
  let hi = anchors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid]!.end <= c.start) lo = mid + 1;
    else hi = mid;
  }
  // Before `lo` anchors end before the candidate (the last is closest); from `lo` on, the first is.
  let best: Candidate | undefined;
  let bestGap = Infinity;
  for (const a of [anchors[lo - 1], anchors[lo]]) {
    if (!a) continue;
    const gap = Math.max(0, c.start - a.end, a.start - c.end);
    if (gap <= within && gap < bestGap) [best, bestGap] = [a, gap];
  }
  return best;
}

/**
 * Where secrets of two detectors overlap, one is kept: a format detector beats a generic one (an
 * `sk_live_` key in `password = "..."` is a Stripe key), then the match with more context wins (a
 * private key inside a GCP service-account file is the service-account key), then the detector
 * loaded first. Secrets that do not overlap are all kept.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  let cluster: Candidate[] = [];
  let clusterEnd = -1;
  const flush = () => {
    const chosen: Candidate[] = [];
    for (const c of cluster.sort(preference)) if (!chosen.some((k) => c.start < k.end && k.start < c.end)) chosen.push(c);
    for (const c of chosen) kept.push(c);
  };
  for (const c of candidates) {
    if (c.start >= clusterEnd && cluster.length > 0) {
      flush();
      cluster = [];
    }
    cluster.push(c);
    clusterEnd = Math.max(clusterEnd, c.end);
  }
  flush();
  return kept.sort((a, b) => a.start - b.start || a.rank - b.rank);
}

function preference(a: Candidate, b: Candidate): number {
  return Number(a.detector.generic) - Number(b.detector.generic) || b.context - a.context || a.rank - b.rank || a.start - b.start;
}

function toMatches(content: string, kept: readonly Candidate[]): SecretSpan[] {
  let line = 1;
  let counted = 0;
  return kept.map((c) => {
    for (let nl = content.indexOf('\n', counted); nl !== -1 && nl < c.start; nl = content.indexOf('\n', nl + 1)) line++;
    counted = c.start;
    const d = c.detector;
    const match: ScanMatch = { kind: 'secret', rule: d.id, title: d.title, offset: c.start, line, preview: maskValue(c.secret), hash: shortHash(c.secret), severity: d.severity, findingType: d.findingType };
    const anchor = c.anchor && { start: c.anchor.start, end: c.anchor.end, preview: maskValue(c.anchor.secret) };
    return { match, end: c.end, ...(anchor && { anchor }) };
  });
}
