/**
 * Secrets in names: an object key, a file path or an archive entry can hold a token as easily as
 * content can (`exports/ghp_.../report.csv`, a zip entry named after an access key). The scanner
 * shows every name through here, each secret replaced by its masked preview, so no path in a result,
 * a finding, a log line or the CLI's output carries the value.
 */
import type { ScanMatch } from '../scan-match.js';
import type { SecretDetector } from './detector-file.js';
import { findSecretSpans, type SecretSpan } from './find-secrets.js';

/** A name as it may be shown, and the secrets that were in it. */
export interface ShownName {
  readonly text: string;
  /** Offsets are those of the original name. */
  readonly secrets: readonly SecretSpan[];
}

/** `name` with each secret the detectors find in it replaced by the secret's masked preview. */
export function showName(name: string, detectors: readonly SecretDetector[]): ShownName {
  const secrets = findSecretSpans(name, detectors);
  if (secrets.length === 0) return { text: name, secrets };
  const spans = secrets.flatMap(({ match, end, anchor }) => [{ start: match.offset, end, preview: match.preview }, ...(anchor ? [anchor] : [])]).sort((a, b) => a.start - b.start);
  let text = '';
  let at = 0;
  for (const span of spans) {
    // A paired value can overlap another match: the overlap is hidden with the first one.
    if (span.end <= at) continue;
    if (span.start >= at) text += name.slice(at, span.start) + span.preview;
    at = span.end;
  }
  return { text: text + name.slice(at), secrets };
}

/** showName for free text (a note's detail may quote an entry name): only the masked text. */
export function maskedText(text: string, detectors: readonly SecretDetector[]): string {
  return showName(text, detectors).text;
}

/**
 * The paths of one object's parts as shown (`key!entry!entry`), each secret masked, and the secrets
 * found in each part's own name, reported once per name. A secret in the key is the object's; one in
 * an entry's name is that entry's.
 */
export class ShownPaths {
  private readonly cache = new Map<string, ShownName>();
  private readonly reported = new Set<string>();

  constructor(private readonly name: string, private readonly detectors: readonly SecretDetector[]) {}

  /** `path` with every secret in it masked. */
  shown(path: string): string {
    return this.of(path).text;
  }

  /**
   * The secrets in the last name of `path` (the key itself for the object), the first time the path
   * is seen; offsets count characters of that name.
   */
  secretsInName(path: string): ScanMatch[] {
    if (this.reported.has(path)) return [];
    this.reported.add(path);
    // An entry's own name follows the last `!` (names are not escaped: a `!` inside one splits it).
    const own = path === this.name ? 0 : path.lastIndexOf('!') + 1;
    return this.of(path)
      .secrets.filter((s) => s.match.offset >= own)
      .map(({ match: { line: _line, ...match } }) => ({ ...match, offset: match.offset - own, inName: true as const }));
  }

  private of(path: string): ShownName {
    let shown = this.cache.get(path);
    if (!shown) this.cache.set(path, (shown = showName(path, this.detectors)));
    return shown;
  }
}
