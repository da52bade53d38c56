import { describe, expect, it } from 'vitest';
import { loadIocLists } from '../../../central/core/ioc/load.js';
import { compileIocMatcher } from '../../../central/core/ioc/matcher.js';
import { listFile, NOW } from './lists.js';

describe('loading IOC lists', () => {
  it('loads an expired list with a notice at its expires line, and it matches nothing', () => {
    const { lists, problems } = loadIocLists([listFile('old', '  ips: [192.0.2.10]', 'expires: 2026-05-31')], NOW);
    expect(lists.map((l) => [l.id, l.state])).toEqual([['old', 'expired']]);
    expect(problems).toEqual([{ file: 'rules/ioc/old.yaml', line: 6, reason: 'IOC list "old" expired on 2026-05-31: it is loaded but matches nothing until its indicators are reviewed and the date moved', kind: 'notice' }]);
    expect(compileIocMatcher(lists, { enable: ['old'] }).matchAddress('192.0.2.10')).toEqual([]);
  });

  it('keeps a list matching through the whole of its expiry day (UTC)', () => {
    const { lists } = loadIocLists([listFile('today', '  ips: [192.0.2.10]', 'expires: 2026-06-01')], new Date('2026-06-01T23:59:59Z'));
    expect(lists[0]!.state).toBe('active');
  });

  it('loads a disabled pack that matches only when a deployment enables it by id', () => {
    const { lists, problems } = loadIocLists([listFile('pack', '  ips: [192.0.2.10]', 'enabled: false')], NOW);
    expect(problems).toEqual([]);
    expect(compileIocMatcher(lists).matchAddress('192.0.2.10')).toEqual([]);
    expect(compileIocMatcher(lists, { enable: ['pack'] }).matchAddress('192.0.2.10').map((h) => h.list)).toEqual(['pack']);
  });

  it('reports a bad CIDR and a bad regex with their file and line while the other lists load', () => {
    const { lists, problems } = loadIocLists(
      [listFile('hostbits', "  cidrs:\n    - 10.0.0.0/8\n    - 192.0.2.10/24"), listFile('good', '  ips: [192.0.2.10]'), listFile('broken-regex', "  uriRegexes: ['/(unclosed']"), listFile('v6', "  cidrs: ['2001:db8::/129']")],
      NOW,
    );
    expect(lists.map((l) => l.id)).toEqual(['good']);
    expect(problems).toEqual([
      { file: 'rules/ioc/hostbits.yaml', line: 9, reason: 'indicators.cidrs.1: "192.0.2.10/24" has host bits set: the network is 192.0.2.0/24', kind: 'invalid' },
      { file: 'rules/ioc/broken-regex.yaml', line: 7, reason: 'indicators.uriRegexes.0: invalid regex "/(unclosed": missing closing ): `/(unclosed` (RE2 syntax)', kind: 'invalid' },
      { file: 'rules/ioc/v6.yaml', line: 7, reason: 'indicators.cidrs.0: "2001:db8::/129" has a prefix length out of range (0-128)', kind: 'invalid' },
    ]);
  });

  it('refuses an address under cidrs without a prefix, and a block under ips', () => {
    const { problems } = loadIocLists([listFile('mixed-a', '  cidrs: [192.0.2.10]'), listFile('mixed-b', '  ips: [192.0.2.0/24]')], NOW);
    expect(problems.map((p) => p.reason)).toEqual(['indicators.cidrs.0: "192.0.2.10" has no prefix length: list a single address under ips', 'indicators.ips.0: "192.0.2.0/24" is a CIDR block: list it under cidrs']);
  });

  it('reports an unknown key at its own line, a list with no indicators, a file name that is not the id, and a duplicate id', () => {
    const { lists, problems } = loadIocLists(
      [
        listFile('typo', '  cidr: [192.0.2.0/24]'),
        listFile('empty', '  ips: []'),
        { ...listFile('named', '  ips: [192.0.2.1]'), file: 'rules/ioc/other-name.yaml' },
        listFile('twice', '  ips: [192.0.2.1]'),
        { ...listFile('twice', '  ips: [192.0.2.2]'), file: 'rules/ioc/more/twice.yaml' },
      ],
      NOW,
    );
    expect(lists.map((l) => l.file)).toEqual(['rules/ioc/twice.yaml']);
    expect(problems).toEqual([
      { file: 'rules/ioc/typo.yaml', line: 7, reason: 'indicators: Unrecognized key: "cidr"', kind: 'invalid' },
      { file: 'rules/ioc/empty.yaml', line: 6, reason: 'indicators: the list has no indicators', kind: 'invalid' },
      { file: 'rules/ioc/other-name.yaml', line: 1, reason: 'file name must be named.yaml to match the list id', kind: 'invalid' },
      { file: 'rules/ioc/more/twice.yaml', line: 1, reason: 'duplicate IOC list id "twice" (also in rules/ioc/twice.yaml)', kind: 'invalid' },
    ]);
  });

  it('reads an indicators file beside the list, LOKI format, and reports a bad line with that file and line', () => {
    const good = { file: 'rules/ioc/c2/hosts.txt', text: '# Report A\nc2.example\n192.0.2.10;65\n\n# Report B\n2001:db8::66\n' };
    const bad = { file: 'rules/ioc/c2/bad.txt', text: '# Report\nc2.example\nnot a host name\n' };
    const { lists, problems } = loadIocLists([listFile('c2', '', 'indicatorsFile: c2/hosts.txt'), good, listFile('c2-bad', '', 'indicatorsFile: c2/bad.txt'), bad, listFile('c2-missing', '', 'indicatorsFile: c2/none.txt')], NOW);
    expect(lists.map((l) => [l.id, l.addresses.map((a) => a.text), l.domains])).toEqual([['c2', ['192.0.2.10', '2001:db8::66'], ['c2.example']]]);
    expect(problems).toEqual([
      { file: 'rules/ioc/c2/bad.txt', line: 3, reason: '"not a host name" is neither an IP address nor a domain name (indicators of IOC list c2-bad, rules/ioc/c2-bad.yaml)', kind: 'invalid' },
      { file: 'rules/ioc/c2-missing.yaml', line: 6, reason: 'indicatorsFile c2/none.txt was not given (expected rules/ioc/c2/none.txt beside the list)', kind: 'invalid' },
    ]);
    const m = compileIocMatcher(lists);
    expect(m.matchDomain('beacon.C2.example.').map((h) => `${h.indicator} ${h.field}`)).toEqual(['c2.example domain']);
    expect(m.matchDomain('notc2.example')).toEqual([]);
  });
});
