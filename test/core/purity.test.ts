import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('../../central/core', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('the detection core', () => {
  const files = sources(CORE);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('imports no AWS SDK, no database and no file or network I/O, so Lambda and the CLI run the same code', () => {
    const forbidden = /^(@aws-sdk\/|@smithy\/|aws-sdk$|libsql|node:fs|fs$|fs\/|node:net|node:http|node:https|node:child_process)/;
    const offenders = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter((spec) => forbidden.test(spec)).map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('would notice an SDK import if one were added', () => {
    const sample = "import { SecurityHubClient } from '@aws-sdk/client-securityhub';\nconst x = await import('node:fs');";
    expect([...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2])).toEqual(['@aws-sdk/client-securityhub', 'node:fs']);
  });
});
