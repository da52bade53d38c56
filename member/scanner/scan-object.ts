/**
 * Scans one object: expands it (gzip, zip, nested, within the bomb limits), runs the YARA rules over
 * every part and the secret detectors over every part that is not itself an archive (its contents
 * are scanned once expanded), and reports redacted matches and what could not be scanned. Pure but
 * for the compiled engines: the Lambda and `skywatch scan` call exactly this.
 */
import { basename, extname } from 'node:path';
import { contentKind } from './objects/magic.js';
import { expandObject } from './objects/expand.js';
import type { ExpandLimits } from './objects/limits.js';
import type { ScanMatch } from './scan-match.js';
import type { ScanNote } from './scan-result.js';
import type { SecretDetector } from './secrets/detector-file.js';
import { findSecretsInBytes, type SecretWindows } from './secrets/scan-bytes.js';
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
  /** How the secret detectors read parts too large for one string (injectable for tests). */
  readonly secretWindows?: SecretWindows;
}

/** What scanning one object found. */
export interface ObjectScan {
  readonly matches: ScanMatch[];
  readonly notes: ScanNote[];
  /** Bytes the engines read, archives' contents included. */
  readonly bytesScanned: number;
}

/** Scans `bytes`, known as `name` (an S3 key or a file path). */
export async function scanObject(name: string, bytes: Uint8Array, scanner: Scanner): Promise<ObjectScan> {
  const matches: ScanMatch[] = [];
  const notes: ScanNote[] = [];
  let bytesScanned = 0;
  for await (const part of expandObject(name, bytes, { limits: scanner.limits, skipMedia: scanner.skipMedia })) {
    switch (part.type) {
      case 'content': {
        const entry = part.path === name ? undefined : part.path;
        const found = scanPart(part.path, part.bytes, scanner);
        for (const match of found) matches.push(entry ? { ...match, entry } : match);
        bytesScanned += part.bytes.byteLength;
        break;
      }
      case 'skipped':
        notes.push({ path: part.path, reason: 'media', detail: `${part.mediaType} skipped by configuration` });
        break;
      case 'limit':
        notes.push({ path: part.path, reason: part.limit, detail: part.message });
        break;
      case 'unreadable':
        notes.push({ path: part.path, reason: 'unreadable', detail: part.message });
        break;
    }
  }
  return { matches, notes, bytesScanned };
}

function scanPart(path: string, bytes: Uint8Array, scanner: Scanner): ScanMatch[] {
  // THOR/LOKI-style rules read these; an entry's own name is what they mean by the file name.
  const inner = path.slice(path.lastIndexOf('!') + 1);
  const yara = scanner.yara.scan(bytes, { filename: basename(inner), filepath: path, extension: extname(inner).toLowerCase() });
  const kind = contentKind(bytes);
  if (kind === 'gzip' || kind === 'zip') return yara;
  return [...yara, ...findSecretsInBytes(bytes, scanner.secrets, scanner.secretWindows)];
}
