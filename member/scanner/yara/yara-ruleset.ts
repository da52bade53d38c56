/**
 * A compiled YARA ruleset and how its matches become redacted ScanMatches. The matched bytes never
 * leave this file: a match reports the rule, the offset of its first string match, a masked preview
 * and a short hash.
 */
import type { RuleMatch, YaraX } from '@litko/yara-x';
import { SEVERITY_LABELS } from '../../../central/core/rules/schema.js';
import { maskValue, shortHash } from '../redact.js';
import type { MatchSeverity, ScanMatch } from '../scan-match.js';

/** The ASFF type of a YARA match when the rule's meta does not give one (`finding_type`). */
export const DEFAULT_YARA_FINDING_TYPE = 'TTPs/Execution/Malicious content';

/** Per-object values of the THOR/LOKI external variables (see SCANNER_EXTERNALS). */
export interface ScanVariables {
  readonly filename?: string;
  readonly filepath?: string;
  readonly extension?: string;
}

/** Compiled rules, compiled once and reused for every object. */
export class YaraRuleset {
  constructor(
    private readonly scanner: YaraX,
    /** How many rules the compiled files hold. */
    readonly ruleCount: number,
  ) {}

  /** The names of the rules that match `bytes`, sorted: what `yara` prints, for parity checks. */
  matchingRules(bytes: Uint8Array, variables: ScanVariables = {}): string[] {
    return this.run(bytes, variables).map((m) => m.ruleIdentifier).sort();
  }

  /** The redacted matches of `bytes`. */
  scan(bytes: Uint8Array, variables: ScanVariables = {}): ScanMatch[] {
    return this.run(bytes, variables).map((rule) => toScanMatch(rule, bytes));
  }

  private run(bytes: Uint8Array, variables: ScanVariables): RuleMatch[] {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const defined = Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return this.scanner.scan(buffer, Object.keys(defined).length ? defined : undefined);
  }
}

function toScanMatch(rule: RuleMatch, bytes: Uint8Array): ScanMatch {
  const meta = rule.meta as Record<string, unknown>;
  // A rule can match on its condition alone (filesize, uint16(0)...): then it points at the object.
  const first = rule.matches.reduce<RuleMatch['matches'][number] | undefined>((a, m) => (!a || m.offset < a.offset ? m : a), undefined);
  const offset = first?.offset ?? 0;
  const value = first ? bytes.subarray(first.offset, first.offset + first.length) : new Uint8Array();
  const attribution = [text(meta.author), text(meta.reference)].filter(Boolean).join(', ');
  return {
    kind: 'yara',
    rule: rule.ruleIdentifier,
    title: text(meta.description) ?? rule.ruleIdentifier,
    offset,
    ...(first && { line: lineAt(bytes, offset) }),
    preview: first ? maskValue(Buffer.from(value).toString('latin1')) : '',
    hash: shortHash(value),
    severity: severityOf(meta),
    findingType: text(meta.finding_type) ?? DEFAULT_YARA_FINDING_TYPE,
    ...(attribution && { attribution }),
  };
}

/** `severity` meta when the rule gives one; else signature-base's 0-100 `score`; else MEDIUM. */
function severityOf(meta: Record<string, unknown>): MatchSeverity {
  const named = text(meta.severity)?.toUpperCase();
  if (named && (SEVERITY_LABELS as readonly string[]).includes(named)) return named as MatchSeverity;
  const score = typeof meta.score === 'number' ? meta.score : Number(meta.score);
  if (!Number.isFinite(score)) return 'MEDIUM';
  if (score >= 90) return 'CRITICAL';
  if (score >= 70) return 'HIGH';
  if (score >= 50) return 'MEDIUM';
  return 'LOW';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The 1-based line of a byte offset. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}
