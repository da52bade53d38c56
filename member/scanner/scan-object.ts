/**
 * Scans one object: expands it (gzip, zip, nested, within the bomb limits), runs the YARA rules over
 * every part and the secret detectors over every part that is not itself an archive (its contents
 * are scanned once expanded), and reports redacted matches and what could not be scanned. Names are
 * scanned too: a secret in the object's name or an entry's is reported, and masked in every path the
 * scan reports. Pure but for the compiled engines: the Lambda and `skywatch scan` call exactly this.
 */
import { basename, extname } from 'node:path';
import { contentKind } from './objects/magic.js';
import { expandObject } from './objects/expand.js';
import type { ExpandLimits } from './objects/limits.js';
import type { ScanMatch } from './scan-match.js';
import type { ScanNote } from './scan-result.js';
import type { SecretDetector } from './secrets/detector-file.js';
import { maskedText, ShownPaths } from './secrets/names.js';
import { findSecretsInBytes, type SecretWindows } from './secrets/scan-bytes.js';
import { YaraBudget } from './yara/yara-budget.js';
import type { YaraRuleset } from './yara/yara-ruleset.js';

/** The compiled engines and settings, built once per process. */
export interface Scanner {
  readonly yara: YaraRuleset;
  readonly secrets: readonly SecretDetector[];
  readonly limits: ExpandLimits;
  /** Skip images, audio and video (by magic bytes) instead of scanning them. */
  readonly skipMedia: boolean;
  /** A short hash of the rule files in use. */
  readonly rulesVersion: string;
  /**
   * YARA time per object, in milliseconds: past it the scan is stopped and the result is partial,
   * with a `timeout` note. YARA then runs in a helper process (see yara-process.ts). Absent: YARA
   * runs in this process, without a limit.
   */
  readonly yaraTimeoutMs?: number;
  /** How the secret detectors read parts too large for one string (injectable for tests). */
  readonly secretWindows?: SecretWindows;
}

/** What scanning one object found. */
export interface ObjectScan {
  readonly matches: ScanMatch[];
  readonly notes: ScanNote[];
  /** Bytes the engines read, archives' contents included. */
  readonly bytesScanned: number;
  /** The object's name as it may be shown: any secret in it masked. */
  readonly shownName: string;
}

/** Scans `bytes`, known as `name` (an S3 key or a file path). */
export async function scanObject(name: string, bytes: Uint8Array, scanner: Scanner): Promise<ObjectScan> {
  const paths = new ShownPaths(name, scanner.secrets);
  const yara = new YaraBudget(scanner.yara, scanner.yaraTimeoutMs);
  const matches: ScanMatch[] = paths.secretsInName(name);
  const notes: ScanNote[] = [];
  const note = (path: string, reason: ScanNote['reason'], detail: string) => notes.push({ path: paths.shown(path), reason, detail: maskedText(detail, scanner.secrets) });
  let bytesScanned = 0;
  for await (const part of expandObject(name, bytes, { limits: scanner.limits, skipMedia: scanner.skipMedia })) {
    const entry = part.path === name ? undefined : paths.shown(part.path);
    if (entry !== undefined) for (const m of paths.secretsInName(part.path)) matches.push({ ...m, entry });
    switch (part.type) {
      case 'content': {
        for (const match of await scanPart(part.path, part.bytes, scanner, yara, entry ?? paths.shown(name))) matches.push(entry ? { ...match, entry } : match);
        bytesScanned += part.bytes.byteLength;
        break;
      }
      case 'skipped':
        note(part.path, 'media', `${part.mediaType} skipped by configuration`);
        break;
      case 'limit':
        note(part.path, part.limit, part.message);
        break;
      case 'unreadable':
        note(part.path, 'unreadable', part.message);
        break;
    }
  }
  const timeout = yara.note();
  if (timeout) notes.push(timeout);
  return { matches, notes, bytesScanned, shownName: paths.shown(name) };
}

/** What can be said of an object that was not read (too large, unreadable): the secrets in its name. */
export function scanName(name: string, scanner: Pick<Scanner, 'secrets'>): ObjectScan {
  const paths = new ShownPaths(name, scanner.secrets);
  return { matches: paths.secretsInName(name), notes: [], bytesScanned: 0, shownName: paths.shown(name) };
}

async function scanPart(path: string, bytes: Uint8Array, scanner: Scanner, yara: YaraBudget, shownPath: string): Promise<ScanMatch[]> {
  // THOR/LOKI-style rules read these; an entry's own name is what they mean by the file name. The
  // real name, never shown: rules about names must see the name as it is.
  const inner = path.slice(path.lastIndexOf('!') + 1);
  const kind = contentKind(bytes);
  const secrets = () => (kind === 'gzip' || kind === 'zip' ? [] : findSecretsInBytes(bytes, scanner.secrets, scanner.secretWindows));
  return yara.scan(bytes, { filename: basename(inner), filepath: path, extension: extname(inner).toLowerCase() }, shownPath, secrets);
}
