import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScanner } from '../../stacks/assets/scanner-bundle.js';

describe('the scanner bundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skywatch-scanner-bundle-'));
    bundleScanner(dir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the YARA-X native addon for x86_64 Linux, the handler and the rules', () => {
    expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules/@litko/yara-x/index.js'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules/@litko/yara-x-linux-x64-gnu/yara-x.linux-x64-gnu.node'))).toBe(true);
    expect(existsSync(join(dir, 'rules/yara/skywatch/webshells.yar'))).toBe(true);
    expect(existsSync(join(dir, 'rules/yara/signature-base/LICENSE'))).toBe(true);
  });

  it('carries the YARA helper beside the handler, where the handler looks for it, and the helper scans on its own', () => {
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toContain('new URL("./yara-child.mjs",import.meta.url)');
    const script = [
      `const { spawn } = await import('node:child_process');`,
      `const { once } = await import('node:events');`,
      `const child = spawn(process.execPath, [${JSON.stringify(join(dir, 'yara-child.mjs'))}], { stdio: ['pipe', 'inherit', 'inherit', 'ipc'] });`,
      `child.send({ type: 'compile', source: 'rule t { strings: $a = "skywatch" condition: $a }', options: {} });`,
      `const [ready] = await once(child, 'message');`,
      `child.send({ type: 'scan', id: 1, length: 14 });`,
      `child.stdin.write(Buffer.from('hello skywatch'));`,
      `const [reply] = await once(child, 'message');`,
      `console.log(ready.type, reply.rules.map((r) => r.ruleIdentifier + '@' + r.matches[0].offset).join(','));`,
      `child.kill();`,
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(out.trim()).toBe('ready t@6');
  });

  it('loads on its own, outside the repository: the handler imports and YARA-X compiles and scans', () => {
    const script = [
      `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))});`,
      `const { createRequire } = await import('node:module');`,
      `const yara = createRequire(${JSON.stringify(join(dir, 'index.mjs'))})('@litko/yara-x');`,
      `const rules = yara.compile('rule t { strings: $a = "skywatch" condition: $a }');`,
      `console.log(typeof m.handler, rules.scan(Buffer.from('hello skywatch')).map((r) => r.ruleIdentifier).join(','));`,
    ].join('\n');
    // Run from an empty folder, so nothing resolves from the repository's node_modules.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(out.trim()).toBe('function t');
  });
});
