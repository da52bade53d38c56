/**
 * Reads the plain-text indicator format of LOKI and signature-base (`iocs/c2-iocs.txt`): one IP
 * address or domain a line, `#` comments, blank lines, and an optional `;score` after the value,
 * which we ignore (the pack's own severity stands for all its lines). A line that is neither an
 * address nor a domain is returned as a problem with its line; the caller decides what it costs.
 */
import { parseIpInto } from '../net/ip-words.js';
import { normalizeDomain } from './domain.js';

/** An indicator read from a text file, with the line it came from. */
export interface TextIndicator {
  readonly value: string;
  readonly line: number;
}

/** What a text indicator file holds. */
export interface TextIndicators {
  readonly ips: TextIndicator[];
  readonly domains: TextIndicator[];
  readonly invalid: TextIndicator[];
}

const words = new Uint32Array(4);

/** Splits an indicator file into addresses, domains and lines that are neither. */
export function parseIndicatorText(text: string): TextIndicators {
  const result: TextIndicators = { ips: [], domains: [], invalid: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.replace(/;.*$/, '').trim();
    if (value === '' || value.startsWith('#')) return;
    const line = i + 1;
    if (parseIpInto(value, words) !== 0) result.ips.push({ value, line });
    else {
      const domain = normalizeDomain(value);
      if (domain) result.domains.push({ value: domain, line });
      else result.invalid.push({ value, line });
    }
  });
  return result;
}
