/** A bad suppression entry is left out and reported once at its line; the valid entries of its file still apply. */
import { describe, expect, it } from 'vitest';
import { loadSuppressions } from '../../central/core/suppressions/load.js';

const FILE = 'rules/suppressions.yaml';

/** One entry of a suppressions file; `change` breaks one thing in its text. */
const entry = (id: string, change: (text: string) => string = (t) => t) =>
  change(`  - id: ${id}
    reason: The platform pipeline does this on every merge, reviewed in pull requests.
    owner: platform-team@example.com
    expires: 2027-06-30
    match:
      rules: [ec2-vpc-changed]
      principals: ["arn:aws:sts::*:assumed-role/terraform-pipeline/*"]
`);

const file = (...entries: string[]) => `suppressions:\n${entries.join('')}`;
const lineOf = (text: string, needle: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

function load(text: string) {
  const loaded = loadSuppressions([{ file: FILE, text }]);
  return { ids: loaded.suppressions.map((s) => s.id), problems: loaded.problems };
}

describe('a suppression entry that does not validate', () => {
  it('an impossible date (February 30th) drops that entry only; the entries around it apply', () => {
    const text = file(entry('sandbox-vpcs'), entry('sandbox-routes', (t) => t.replace('2027-06-30', '2026-02-30')), entry('sandbox-subnets'));
    expect(load(text)).toEqual({
      ids: ['sandbox-vpcs', 'sandbox-subnets'],
      problems: [{ file: FILE, line: lineOf(text, '2026-02-30'), reason: 'suppressions.1.expires: no such day in the calendar' }],
    });
  });

  it.each([
    ['2027-02-29', 'no such day in the calendar'],
    ['2026-04-31', 'no such day in the calendar'],
    ['2026-13-01', 'no such day in the calendar'],
    ['2026-00-10', 'no such day in the calendar'],
    ['30/06/2027', 'must be a date: YYYY-MM-DD'],
  ])('expires %s is refused: %s', (expires, reason) => {
    const text = file(entry('sandbox-routes', (t) => t.replace('2027-06-30', expires)));
    expect(load(text).problems).toEqual([{ file: FILE, line: 5, reason: `suppressions.0.expires: ${reason}` }]);
  });

  it('February 29th of a leap year is a date', () => {
    expect(load(file(entry('sandbox-routes', (t) => t.replace('2027-06-30', '2028-02-29')))).ids).toEqual(['sandbox-routes']);
  });

  it('a missing reason and an unknown field in one entry are one problem, at the first issue, naming both', () => {
    const broken = entry('sandbox-routes', (t) => t.replace(/    reason: .*\n/, '').replace('    owner:', '    ticket: SEC-1234\n    owner:'));
    const text = file(entry('sandbox-vpcs'), broken);
    expect(load(text)).toEqual({
      ids: ['sandbox-vpcs'],
      problems: [
        {
          file: FILE,
          line: lineOf(text, '- id: sandbox-routes'),
          reason: 'suppressions.1.reason: Invalid input: expected string, received undefined; suppressions.1: Unrecognized key: "ticket"',
        },
      ],
    });
  });

  it('an unknown field alone is reported at its own line', () => {
    const text = file(entry('sandbox-vpcs'), entry('sandbox-routes', (t) => t.replace('    owner:', '    ticket: SEC-1234\n    owner:')));
    expect(load(text)).toEqual({ ids: ['sandbox-vpcs'], problems: [{ file: FILE, line: lineOf(text, 'ticket:'), reason: 'suppressions.1: Unrecognized key: "ticket"' }] });
  });

  it('an entry that is not a map is reported at its line', () => {
    const text = file(entry('sandbox-vpcs'), '  - terraform pipeline, see ticket SEC-1234\n');
    expect(load(text)).toEqual({
      ids: ['sandbox-vpcs'],
      problems: [{ file: FILE, line: lineOf(text, 'SEC-1234'), reason: 'suppressions.1: Invalid input: expected object, received string' }],
    });
  });

  it('a second entry with an id already used is reported at its id', () => {
    const text = file(entry('sandbox-vpcs'), entry('sandbox-vpcs'));
    expect(load(text)).toEqual({ ids: ['sandbox-vpcs'], problems: [{ file: FILE, line: lineOf(text, '- id: sandbox-vpcs', 2), reason: 'duplicate suppression id "sandbox-vpcs"' }] });
  });

  it('a file whose top level is wrong is still reported whole', () => {
    expect(load('suppression:\n' + entry('sandbox-vpcs'))).toEqual({
      ids: [],
      problems: [
        { file: FILE, line: 1, reason: 'suppressions: Invalid input: expected array, received undefined' },
        { file: FILE, line: 1, reason: '(file): Unrecognized key: "suppression"' },
      ],
    });
  });
});
