/**
 * The benchmark corpus: realistic benign CloudTrail records from the demo organization, with a few
 * attack records mixed in so the finding path runs too, written as gzipped org-trail files.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benignRecords } from '../../central/demo/benign.js';
import { buildOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';

/** One in this many records is an attack-like record that some rule should catch. */
const ATTACK_EVERY = 2_000;

/** Writes `count` records as files of `perFile` records; returns the (source, name) pairs seen. */
export function writeCorpus(dir: string, count: number, perFile = 500): { files: number; pairs: Array<[string, string]> } {
  rmSync(dir, { recursive: true, force: true });
  const rng = createRandom(42);
  const org = buildOrganization(rng);
  const pairs = new Map<string, [string, string]>();
  // One file holds one account's records in one region, as CloudTrail writes them (and as the
  // decoder checks: a record about another account than its folder's is refused).
  const batches = new Map<string, Record<string, unknown>[]>();
  let files = 0;
  let n = 0;
  const flush = (batch: Record<string, unknown>[]) => {
    const first = batch[0]!;
    const account = String(first.recipientAccountId);
    const region = String(first.awsRegion);
    const day = join(dir, 'AWSLogs', org.id, account, 'CloudTrail', region, '2026', '11', String(10 + (files % 7)).padStart(2, '0'));
    mkdirSync(day, { recursive: true });
    writeFileSync(join(day, `${account}_CloudTrail_${region}_bench${String(files).padStart(6, '0')}.json.gz`), gzipSync(JSON.stringify({ Records: batch })));
    files++;
  };
  for (const record of benignRecords(org, rng, count, Date.parse('2026-11-09T00:00:00Z'), 7)) {
    const r = ++n % ATTACK_EVERY === 0 ? withAttack(record, n) : record;
    pairs.set(`${r.eventSource}\u0000${r.eventName}`, [String(r.eventSource), String(r.eventName)]);
    const key = `${r.recipientAccountId}|${r.awsRegion}`;
    const batch = batches.get(key) ?? [];
    batch.push(r);
    if (batch.length === perFile) {
      flush(batch);
      batches.delete(key);
    } else batches.set(key, batch);
  }
  for (const batch of batches.values()) flush(batch);
  return { files, pairs: [...pairs.values()] };
}

/** Turns a benign record into a root call from an unfamiliar address, keeping its account and time. */
function withAttack(record: Record<string, unknown>, n: number): Record<string, unknown> {
  const account = String(record.recipientAccountId);
  return {
    ...record,
    userIdentity: { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: `ASIABENCH${String(n).padStart(11, '0')}` },
    sourceIPAddress: `203.0.113.${n % 250}`,
    eventType: 'AwsApiCall',
  };
}
