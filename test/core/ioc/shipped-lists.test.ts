import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileIocMatcher } from '../../../central/core/ioc/matcher.js';
import { runIocListTests } from '../../../central/core/ioc/self-test.js';
import { compileCidrs } from '../../../central/core/net/cidr.js';
import { loadIocFolders } from '../../../central/local/ioc-files.js';
import { NOW } from './lists.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const { lists, problems } = loadIocFolders(undefined, NOW, ROOT);

describe('the IOC lists Skywatch ships', () => {
  it('load without a problem', () => {
    expect(problems).toEqual([]);
    expect(lists.map((l) => [l.id, l.state])).toEqual([
      ['attack-probe-uris', 'active'],
      ['demo-known-bad', 'active'],
      ['hosting-provider-asns', 'disabled'],
      ['scanner-user-agents', 'active'],
      ['signature-base-c2', 'disabled'],
    ]);
  });

  it('pass their own tests, each test checked against every list', () => {
    const results = runIocListTests(lists);
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(results.length).toBe(16);
  });

  it('flag documentation and private addresses only in the demo list', () => {
    const reserved = compileCidrs(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '2001:db8::/32']);
    const flagged = lists.flatMap((l) => l.addresses.filter((a) => reserved.has(a.text)).map((a) => `${l.id} ${a.text}`));
    expect(flagged).toEqual(['demo-known-bad 203.0.113.66']);
  });

  it('give the demo an enabled hit on its attacker address and on a scanner user agent', () => {
    const m = compileIocMatcher(lists);
    expect(m.matchAddress('203.0.113.66').map((h) => h.list)).toEqual(['demo-known-bad']);
    expect(m.matchUserAgent('Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:map_codes)').map((h) => h.indicator)).toEqual(['nikto']);
  });

  it('ship signature-base C2 as a disabled pack with its source and licence stated', () => {
    const c2 = lists.find((l) => l.id === 'signature-base-c2')!;
    expect([c2.enabled, c2.licence, c2.addresses.length, c2.domains.length]).toEqual([false, 'Detection Rule License 1.1 (signature-base/LICENSE); keep the attribution when sharing hits', 118, 1655]);
    expect(compileIocMatcher(lists).matchAddress('58.64.143.244')).toEqual([]);
    expect(compileIocMatcher(lists, { enable: ['signature-base-c2'] }).matchAddress('58.64.143.244').map((h) => h.list)).toEqual(['signature-base-c2']);
  });
});
