import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSecretDetectors } from '../../member/scanner/secrets/detector-file.js';
import { findSecrets } from '../../member/scanner/secrets/find-secrets.js';
import { findSecretsInBytes } from '../../member/scanner/secrets/scan-bytes.js';

const { detectors } = loadSecretDetectors(fileURLToPath(new URL('../../rules/secrets/', import.meta.url)));

// Made for this test: the shapes of a GitHub token and an AWS key pair, valid nowhere.
const TOKEN = 'ghp_R2mX9kLq4TzW7vBn3YcJ8pHs5DfG1aKe6UoN';
const KEY_ID = 'AKIAWQ5TZR3MXH7KPL2D';
const SECRET = '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';

/** Log lines up to `length` bytes, with `plants` written over them at their offsets. */
function logWith(length: number, plants: Array<[number, string]>): Buffer {
  let lines = '';
  for (let i = 0; lines.length < length; i++) lines += `2026-11-21T11:${String(i % 60).padStart(2, '0')}:00Z worker-${i % 7} job done\n`;
  const bytes = Buffer.from(lines.slice(0, length), 'latin1');
  for (const [offset, text] of plants) bytes.write(text, offset, 'latin1');
  return bytes;
}

// Windows of 4 KiB with 1 KiB margins: the mechanism of the 64 MiB windows, at a size a test can read.
const SMALL = { bytes: 4096, margin: 1024 };

describe('secret detectors over a part read in windows', () => {
  it('finds a secret across a window edge, and a key pair on both sides of one, once each and where they are', () => {
    const bytes = logWith(20_000, [
      [4080, ` token=${TOKEN} `],
      [8100, ` aws_access_key_id=${KEY_ID}\n`],
      [8200, ` aws_secret_access_key=${SECRET}\n`],
      // Starts exactly where the fourth window does.
      [12_287, ` ${TOKEN} `],
    ]);
    const windowed = findSecretsInBytes(bytes, detectors, SMALL);
    expect(windowed.map((m) => [m.rule, m.offset])).toEqual([
      ['github-personal-access-token', 4087],
      ['aws-secret-access-key', 8223],
      ['github-personal-access-token', 12_288],
    ]);
    // Exactly what one pass over the whole part reports, lines included.
    expect(windowed).toEqual(findSecrets(bytes.toString('latin1'), detectors));
  });

  it('reads a part no larger than a window in one pass', () => {
    const bytes = logWith(4096, [[4000, ` ${TOKEN}`]]);
    expect(findSecretsInBytes(bytes, detectors, SMALL)).toEqual(findSecrets(bytes.toString('latin1'), detectors));
  });
});
