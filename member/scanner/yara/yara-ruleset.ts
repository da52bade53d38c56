/**
 * A compiled YARA ruleset and how its matches become redacted ScanMatches. The matched bytes never
 * leave this file: a match reports the rule, the offset of its first string match, a masked preview
 * and a short hash.
 */
import type { CompilerOptions, RuleMatch, YaraX } from '@litko/yara-x';
import { SEVERITY_LABELS } from '../../../central/core/rules/schema.js';
import { maskValue, shortHash } from '../redact.js';
import type { MatchSeverity, ScanMatch } from '../scan-match.js';
import { YaraProcess, type HelperRuleMatch } from './yara-process.js';

/** The ASFF type of a YARA match when the rule's meta does not give one (`finding_type`). */
export const DEFAULT_YARA_FINDING_TYPE = 'TTPs/Execution/Malicious content';

/** Per-object values of the THOR/LOKI external variables (see SCANNER_EXTERNALS). */
export interface ScanVariables {
  readonly filename?: string;
  readonly filepath?: string;
  readonly extension?: string;
}

/** The source the rules were compiled from, for the helper process that scans with a time limit. */
export interface YaraRulesetSource {
  readonly text: string;
  readonly options: CompilerOptions;
  /** A short hash of the YARA files, to name the rule set in a timeout note. */
  readonly version: string;
  /** How many files the rules came from. */
  readonly files: number;
}

/** Compiled rules, compiled once and reused for every object. */
export class YaraRuleset {
  private helper: YaraProcess | undefined;

  constructor(
    private readonly scanner: YaraX,
    /** How many rules the compiled files hold. */
    readonly ruleCount: number,
    readonly source: YaraRulesetSource,
  ) {}

  /** A readable name for the rule set: in a timeout note, the operator can match it to a deployment. */
  get name(): string {
    return `YARA rule set ${this.source.version} (${this.ruleCount} rules from ${this.source.files} files)`;
  }

  /** The names of the rules that match `bytes`, sorted: what `yara` prints, for parity checks. */
  matchingRules(bytes: Uint8Array, variables: ScanVariables = {}): string[] {
    return this.run(bytes, variables).map((m) => m.ruleIdentifier).sort();
  }

  /** The redacted matches of `bytes`. */
  scan(bytes: Uint8Array, variables: ScanVariables = {}): ScanMatch[] {
    return this.run(bytes, variables).map((rule) => toScanMatch(rule, bytes));
  }

  /**
   * Starts scanning `bytes` in the helper process and resolves once they are sent, with the pending
   * redacted matches, which reject with YaraScanTimeoutError after `timeoutMs`. The helper starts at
   * the first call (or `prepare`) and is reused.
   */
  async startScan(bytes: Uint8Array, variables: ScanVariables, timeoutMs: number): Promise<{ matches: Promise<ScanMatch[]> }> {
    const { result } = await this.process().start(bytes, definedOf(variables), timeoutMs);
    const matches = result.then((found) => found.map((rule) => toScanMatch(rule, bytes)));
    matches.catch(() => undefined);
    return { matches };
  }

  /** Starts the helper process now, so the first object does not wait for it to compile the rules. */
  prepare(): void {
    this.process().prepare();
  }

  /** Ends the helper process, if one runs. */
  close(): void {
    this.helper?.close();
  }

  private process(): YaraProcess {
    this.helper ??= new YaraProcess(this.source.text, this.source.options);
    return this.helper;
  }

  private run(bytes: Uint8Array, variables: ScanVariables): RuleMatch[] {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.scanner.scan(buffer, definedOf(variables));
  }
}

function definedOf(variables: ScanVariables): Record<string, string> | undefined {
  const defined = Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return Object.keys(defined).length ? defined : undefined;
}

function toScanMatch(rule: HelperRuleMatch | RuleMatch, bytes: Uint8Array): ScanMatch {
  const meta = rule.meta as Record<string, unknown>;
  // A rule can match on its condition alone (filesize, uint16(0)...): then it points at the object.
  const first = rule.matches.reduce<HelperRuleMatch['matches'][number] | undefined>((a, m) => (!a || m.offset < a.offset ? m : a), undefined);
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
