/**
 * A compiled IOC list: indicators validated and regexes compiled, ready for compileIocMatcher.
 * Compiling throws IocListError at the first bad indicator, naming where it is, so a broken list
 * never loads half of its indicators.
 */
import type { RuleRegex } from '../rules/safe-regex.js';
import { compileRuleRegex, RuleRegexError } from '../rules/safe-regex.js';
import type { SeverityLabel } from '../rules/schema.js';
import { parseAddressIndicator, type AddressRange } from './address-indicator.js';
import { normalizeDomain } from './domain.js';
import { parseIndicatorText } from './indicator-text.js';
import type { IocFile, IocTestCase } from './schema.js';

/** What kind of indicator matched. */
export type IocIndicatorKind = 'ip' | 'cidr' | 'asn' | 'uri-regex' | 'user-agent-regex' | 'domain';

/** Whether a list matches: `disabled` packs match when a deployment enables them; `expired` never. */
export type IocListState = 'active' | 'disabled' | 'expired';

/** An exact address or CIDR block, as written and as the range it covers. */
export interface IocAddress {
  readonly kind: 'ip' | 'cidr';
  readonly text: string;
  readonly range: AddressRange;
}

/** A compiled regex indicator; `name` is its id, or its pattern when it has none. */
export interface IocRegex {
  readonly name: string;
  readonly regex: RuleRegex;
}

/** One loaded list. */
export interface IocList {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description?: string;
  readonly source: string;
  readonly licence: string;
  readonly reference?: string;
  readonly severity: SeverityLabel;
  readonly weight: number;
  readonly enabled: boolean;
  /** The last day the list matches, YYYY-MM-DD. */
  readonly expires?: string;
  readonly state: IocListState;
  readonly addresses: readonly IocAddress[];
  readonly asns: readonly number[];
  readonly uriRegexes: readonly IocRegex[];
  readonly userAgentRegexes: readonly IocRegex[];
  readonly domains: readonly string[];
  readonly tests: readonly IocTestCase[];
}

/** An indicator that does not load: where it is (a key path in the YAML, or a line of the text file) and why. */
export class IocListError extends Error {
  override readonly name = 'IocListError';
  constructor(
    message: string,
    /** The key path in the list file, for its line. */
    readonly at: readonly (string | number)[],
    /** Set when the problem is in the indicators file: its name and line. */
    readonly inText?: { readonly file: string; readonly line: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The indicators file a list names, as the caller read it. */
export interface IndicatorsText {
  readonly file: string;
  readonly text: string;
}

/** Compiles a parsed list file; `state` is decided by the loader (enabled, expiry). */
export function compileIocList(def: IocFile, file: string, state: IocListState, indicatorsText?: IndicatorsText): IocList {
  const ind = def.indicators;
  const addresses: IocAddress[] = [];
  const seen = new Set<string>();
  const addAddress = (text: string, kind: 'ip' | 'cidr', at: readonly (string | number)[], inText?: { file: string; line: number }) => {
    const range = parseAddressIndicator(text.trim(), kind === 'cidr');
    if (typeof range === 'string') throw new IocListError(range, at, inText);
    const key = `${range.family}:${range.start}:${range.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    addresses.push({ kind, text: text.trim(), range });
  };
  (ind.ips ?? []).forEach((ip, i) => addAddress(ip, 'ip', ['indicators', 'ips', i]));
  (ind.cidrs ?? []).forEach((block, i) => addAddress(block, 'cidr', ['indicators', 'cidrs', i]));
  const domains = new Set<string>();
  (ind.domains ?? []).forEach((d, i) => {
    const name = normalizeDomain(d);
    if (!name) throw new IocListError(`"${d}" is not a domain name`, ['indicators', 'domains', i]);
    domains.add(name);
  });
  if (indicatorsText) {
    const parsed = parseIndicatorText(indicatorsText.text);
    const bad = parsed.invalid[0];
    if (bad) throw new IocListError(`"${bad.value}" is neither an IP address nor a domain name`, ['indicatorsFile'], { file: indicatorsText.file, line: bad.line });
    for (const ip of parsed.ips) addAddress(ip.value, 'ip', ['indicatorsFile'], { file: indicatorsText.file, line: ip.line });
    for (const d of parsed.domains) domains.add(d.value);
  }
  const asns = [...new Set((ind.asns ?? []).map((a) => (typeof a === 'number' ? a : Number(a.slice(2)))))];
  if (asns.some((a) => a > 4294967295)) throw new IocListError('an ASN is at most 4294967295', ['indicators', 'asns']);
  const uriRegexes = compileRegexes(ind.uriRegexes ?? [], 'uriRegexes');
  const userAgentRegexes = compileRegexes(ind.userAgentRegexes ?? [], 'userAgentRegexes');
  if (addresses.length + asns.length + uriRegexes.length + userAgentRegexes.length + domains.size === 0) {
    throw new IocListError('the list has no indicators', [def.indicatorsFile ? 'indicatorsFile' : 'indicators']);
  }
  return {
    id: def.ioc,
    file,
    title: def.title,
    ...(def.description !== undefined && { description: def.description }),
    source: def.source,
    licence: def.licence,
    ...(def.reference !== undefined && { reference: def.reference }),
    severity: def.severity,
    weight: def.weight,
    enabled: def.enabled,
    ...(def.expires !== undefined && { expires: def.expires }),
    state,
    addresses,
    asns,
    uriRegexes,
    userAgentRegexes,
    domains: [...domains],
    tests: def.tests,
  };
}

function compileRegexes(entries: IocFile['indicators']['uriRegexes'] & {}, key: string): IocRegex[] {
  const names = new Set<string>();
  return entries.map((entry, i) => {
    const [name, pattern] = typeof entry === 'string' ? [entry, entry] : [entry.id, entry.pattern];
    if (names.has(name)) throw new IocListError(`"${name}" appears twice`, ['indicators', key, i]);
    names.add(name);
    try {
      return { name, regex: compileRuleRegex(pattern) };
    } catch (err) {
      if (!(err instanceof RuleRegexError)) throw err;
      throw new IocListError(`invalid regex "${pattern}": ${err.message}`, ['indicators', key, i], undefined, { cause: err });
    }
  });
}
