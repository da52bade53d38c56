/**
 * Runs the `tests:` of IOC lists. Each test record goes through every loaded list that can match
 * (disabled packs included, so their tests run too), and the set of lists hit must be exactly the
 * one the test declares: every test is then a false-positive test for all the other lists. Tests
 * of expired lists are skipped, as their list matches nothing. ASN answers come from the test's
 * own `asnOf`, so no test depends on downloaded data.
 */
import type { AsnLookup } from './asn-ranges.js';
import type { IocList } from './list.js';
import { compileIocMatcher, type IocHit, type IocMatcher } from './matcher.js';
import type { IocTestCase, IocTestRecord } from './schema.js';

/** The outcome of one test case. */
export interface IocTestResult {
  readonly list: string;
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed: the lists expected and the lists hit. */
  readonly reason?: string;
}

/** Runs every test case of every list that is not expired. */
export function runIocListTests(lists: readonly IocList[]): IocTestResult[] {
  const live = lists.filter((l) => l.state !== 'expired');
  const enable = live.map((l) => l.id);
  const results: IocTestResult[] = [];
  for (const list of live) {
    for (const test of list.tests) {
      const matcher = compileIocMatcher(live, { enable, asnLookup: testAsnLookup(test) });
      const hit = [...new Set(matchTestRecord(matcher, test.record).map((h) => h.list))].sort();
      const want = [...new Set(test.expect.hits)].sort();
      const passed = hit.join(',') === want.join(',');
      results.push({ list: list.id, file: list.file, name: test.name, passed, ...(!passed && { reason: `expected hits from [${want.join(', ')}], got [${hit.join(', ')}]` }) });
    }
  }
  return results;
}

/** Runs a test record through the matcher helper for its kind. */
export function matchTestRecord(matcher: IocMatcher, record: IocTestRecord): readonly IocHit[] {
  switch (record.kind) {
    case 'flow':
      return matcher.matchFlow(record);
    case 'waf':
      return matcher.matchWaf(record);
    case 'cloudtrail':
      return matcher.matchEvent({ sourceIp: record.sourceIPAddress, userAgent: record.userAgent });
  }
}

function testAsnLookup(test: IocTestCase): AsnLookup {
  const table = test.asnOf ?? {};
  return { asnOf: (ip) => (table[ip] === undefined ? undefined : { asn: table[ip] }) };
}
