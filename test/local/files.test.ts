import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { listInputs } from '../../central/local/files.js';
import { writeInput as write } from '../support/cli.js';

const LINK_IN_FOLDER = 'symbolic link inside a folder, not followed';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-files-'));
  write(join(dir, 'logs/2026/11/02/trail-0915.json'), '{"Records":[]}');
  write(join(dir, 'elsewhere/other-0920.json'), '{"Records":[]}');
});

const names = (files: ReadonlyArray<{ path: string }>) => files.map((f) => f.path.slice(dir.length + 1));

describe('listing inputs', () => {
  it('does not follow a symbolic link found inside a folder, and reports each one as skipped', async () => {
    symlinkSync(join(dir, 'elsewhere/other-0920.json'), join(dir, 'logs/linked-file.json'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'logs/linked-folder'));
    const listed = await listInputs([join(dir, 'logs')]);
    expect(names(listed.files)).toEqual(['logs/2026/11/02/trail-0915.json']);
    expect(listed.skipped).toEqual([
      { input: join(dir, 'logs/linked-file.json'), reason: LINK_IN_FOLDER },
      { input: join(dir, 'logs/linked-folder'), reason: LINK_IN_FOLDER },
    ]);
    expect(listed.problems).toEqual([]);
  });

  it('follows a symbolic link named as an input, to a file or to a folder', async () => {
    symlinkSync(join(dir, 'elsewhere/other-0920.json'), join(dir, 'named-file.json'));
    symlinkSync(join(dir, 'logs'), join(dir, 'named-folder'));
    const listed = await listInputs([join(dir, 'named-file.json'), join(dir, 'named-folder')]);
    expect(names(listed.files)).toEqual(['named-file.json', 'named-folder/2026/11/02/trail-0915.json']);
    expect(listed.files[0]!.size).toBe('{"Records":[]}'.length);
    expect(listed.skipped).toEqual([]);
    expect(listed.problems).toEqual([]);
  });

  it('ends the walk at a link back to its own folder and lists every file once', async () => {
    symlinkSync('.', join(dir, 'logs/2026/again'));
    const listed = await listInputs([join(dir, 'logs')]);
    expect(names(listed.files)).toEqual(['logs/2026/11/02/trail-0915.json']);
    expect(listed.skipped).toEqual([{ input: join(dir, 'logs/2026/again'), reason: LINK_IN_FOLDER }]);
  });

  it('reports a named link that leads back to itself as a loop', async () => {
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const listed = await listInputs([join(dir, 'loop-a'), join(dir, 'logs')]);
    expect(names(listed.files)).toEqual(['logs/2026/11/02/trail-0915.json']);
    expect(listed.problems).toEqual([{ input: join(dir, 'loop-a'), reason: 'symbolic link loop' }]);
  });

  it('skips a named pipe inside a folder, which would block a reader, and reports it', async () => {
    const pipe = join(dir, 'logs/2026/collector.fifo');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    const listed = await listInputs([join(dir, 'logs')]);
    expect(names(listed.files)).toEqual(['logs/2026/11/02/trail-0915.json']);
    expect(listed.skipped).toEqual([{ input: pipe, reason: 'not a regular file or folder (a pipe, socket or device)' }]);
  });

  it('lists a folder reached twice (itself and through a named link) once', async () => {
    symlinkSync(join(dir, 'logs'), join(dir, 'same-logs'));
    const listed = await listInputs([join(dir, 'logs'), join(dir, 'same-logs')]);
    expect(names(listed.files)).toEqual(['logs/2026/11/02/trail-0915.json']);
    expect(listed.skipped).toEqual([{ input: join(dir, 'same-logs'), reason: 'folder already listed' }]);
  });
});
