import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_RULES_DIR, loadRuleFolders, readRuleSources } from '../../central/local/rule-files.js';

// Permissions do not stop root, and these tests also run as root: reads of the listed paths fail with EACCES instead.
const { unreadable } = vi.hoisted(() => ({ unreadable: new Set<string>() }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const deny = (path: unknown, syscall: string) => {
    if (unreadable.has(String(path))) throw Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(path)}'`), { code: 'EACCES', errno: -13, syscall, path: String(path) });
  };
  return {
    ...fs,
    readFileSync: ((path: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) => (deny(path, 'open'), (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fs.readFileSync,
    readdirSync: ((path: Parameters<typeof fs.readdirSync>[0], ...rest: unknown[]) => (deny(path, 'scandir'), (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fs.readdirSync,
  };
});

const rootUsage = readFileSync(join(BUILTIN_RULES_DIR, 'root-account-usage.yaml'), 'utf8');
/** A copy of a built-in rule under another id, so it loads beside the built-in rules. */
const customRule = (id: string) => rootUsage.replace('id: root-account-usage', `id: ${id}`);

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-walk-'));
});
afterEach(() => {
  unreadable.clear();
  rmSync(dir, { recursive: true, force: true });
});

const names = (path: string) => relative(dir, path);
function write(path: string, text: string): string {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
  return join(dir, path);
}

describe('readRuleSources', () => {
  it('does not follow links met while walking: a folder linking to itself and to its parent is read once and the walk ends', () => {
    write('custom/root-usage-eu.yaml', customRule('root-usage-eu'));
    write('custom/team/root-usage-us.yaml', customRule('root-usage-us'));
    write('elsewhere/root-usage-ap.yaml', customRule('root-usage-ap'));
    symlinkSync(join(dir, 'custom'), join(dir, 'custom/again'), 'dir');
    symlinkSync(join(dir, 'custom'), join(dir, 'custom/team/up'), 'dir');
    symlinkSync(join(dir, 'elsewhere/root-usage-ap.yaml'), join(dir, 'custom/root-usage-ap.yaml'));
    const { sources, problems } = readRuleSources([join(dir, 'custom')], { name: names });
    expect(sources.map((s) => s.file)).toEqual(['custom/root-usage-eu.yaml', 'custom/team/root-usage-us.yaml']);
    expect(problems).toEqual([]);
  });

  it('follows a link given explicitly', () => {
    write('elsewhere/root-usage-ap.yaml', customRule('root-usage-ap'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'linked'), 'dir');
    expect(readRuleSources([join(dir, 'linked')], { name: names }).sources.map((s) => s.file)).toEqual(['linked/root-usage-ap.yaml']);
  });

  it('reports an unreadable file and an unreadable folder by name, and reads the rest', () => {
    write('custom/root-usage-eu.yaml', customRule('root-usage-eu'));
    unreadable.add(write('custom/root-usage-us.yaml', customRule('root-usage-us')));
    write('custom/private/root-usage-ap.yaml', customRule('root-usage-ap'));
    unreadable.add(join(dir, 'custom/private'));
    const { sources, problems } = readRuleSources([join(dir, 'custom')], { name: names });
    expect(sources.map((s) => s.file)).toEqual(['custom/root-usage-eu.yaml']);
    expect(problems).toEqual([
      { file: 'custom/private', line: 0, reason: 'cannot read the folder (EACCES)' },
      { file: 'custom/root-usage-us.yaml', line: 0, reason: 'cannot read the file (EACCES)' },
    ]);
  });

  it('reports a path that does not exist, and a file over the size limit without reading it', () => {
    write('custom/root-usage-eu.yaml', customRule('root-usage-eu'));
    const big = write('custom/root-usage-us.yaml', `${customRule('root-usage-us')}# ${'padding '.repeat(200)}\n`);
    // Reading it would fail: the size alone must keep it out.
    unreadable.add(big);
    const { sources, problems } = readRuleSources([join(dir, 'custom'), join(dir, 'missing')], { name: names, maxBytes: 5000 });
    expect(sources.map((s) => s.file)).toEqual(['custom/root-usage-eu.yaml']);
    expect(problems).toEqual([
      { file: 'missing', line: 0, reason: 'no such file or folder' },
      { file: 'custom/root-usage-us.yaml', line: 0, reason: `file too large: ${statSync(big).size} bytes (the limit is 5000)` },
    ]);
  });

  it('reads a file reached twice (a folder and a folder inside it) once', () => {
    write('custom/team/root-usage-us.yaml', customRule('root-usage-us'));
    const { sources } = readRuleSources([join(dir, 'custom'), join(dir, 'custom/team')], { name: names });
    expect(sources.map((s) => s.file)).toEqual(['custom/team/root-usage-us.yaml']);
  });
});

describe('loadRuleFolders', () => {
  it('loads the built-in rules and the readable extra rules when an extra folder holds a link loop and an unreadable file', () => {
    write('custom/root-usage-eu.yaml', customRule('root-usage-eu'));
    unreadable.add(write('custom/root-usage-us.yaml', customRule('root-usage-us')));
    symlinkSync(join(dir, 'custom'), join(dir, 'custom/again'), 'dir');
    const loaded = loadRuleFolders([join(dir, 'custom')]);
    // Every built-in native rule (the Sigma pack is off by default) and the readable extra one.
    const builtin = readdirSync(BUILTIN_RULES_DIR).map((f) => f.replace(/\.yaml$/, ''));
    expect(loaded.rules.map((r) => r.id).sort()).toEqual([...builtin, 'root-usage-eu'].sort());
    expect(loaded.problems).toEqual([{ file: join(dir, 'custom/root-usage-us.yaml'), line: 0, reason: 'cannot read the file (EACCES)' }]);
  });
});
