import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../central/core/decode/log-object.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { insightRecord } from '../support/insights.js';
import { tarArchive } from '../support/tar-writer.js';

const ACCOUNT_DIR = 'AWSLogs/o-a1b2c3d4e5/111122223333';
const TRAIL = `${ACCOUNT_DIR}/CloudTrail/eu-west-1/2026/11/02/111122223333_CloudTrail_eu-west-1_20261102T0915Z_AbCdEfGh12345678.json.gz`;
const MiB = 1024 * 1024;
const records = (n: number) => Array.from({ length: n }, () => cloudTrailRecord());
const ids = (list: ReadonlyArray<Record<string, unknown>>) => list.map((r) => r.eventID);

describe('decoding multi-member gzip', () => {
  it('reads the records of every member', async () => {
    const [first, second] = [records(3), records(4)];
    const bytes = Buffer.concat([gzipSync(JSON.stringify({ Records: first })), gzipSync(JSON.stringify({ Records: second }))]);
    const decoded = await decodeInput(TRAIL, bytes);
    expect(decoded.problems).toEqual([]);
    expect(decoded.events.map((e) => e.id)).toEqual(ids([...first, ...second]));
    // Records count on across the documents of one file.
    expect(decoded.events.map((e) => e.origin?.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reads concatenated Records documents that were never compressed', async () => {
    const [first, second] = [records(2), records(2)];
    const decoded = await decodeInput('exports/joined.json', Buffer.from(JSON.stringify({ Records: first }) + JSON.stringify({ Records: second })));
    expect(decoded.problems).toEqual([]);
    expect(decoded.events.map((e) => e.id)).toEqual(ids([...first, ...second]));
  });

  it('keeps every complete record of the earlier members and of the damaged one when the last member is cut', async () => {
    const [first, second] = [records(3), records(4)];
    const [text1, text2] = [JSON.stringify({ Records: first }), JSON.stringify({ Records: second })];
    // Stored (level 0) deflate emits input bytes as they arrive, so the cut lands at a known text offset.
    const member2 = gzipSync(text2, { level: 0 });
    const thirdStart = text2.indexOf(JSON.stringify(second[2]));
    const cutAt = thirdStart + 100;
    const headers = 10 + 5; // the gzip header, then the stored block's header
    const bytes = Buffer.concat([gzipSync(text1), member2.subarray(0, headers + cutAt)]);
    const decoded = await decodeInput(TRAIL, bytes);
    expect(decoded.events.map((e) => e.id)).toEqual(ids([...first, ...second.slice(0, 2)]));
    expect(decoded.problems.map((p) => p.reason)).toEqual([
      `corrupt gzip (unexpected end of file); reading the ${text1.length + cutAt} bytes recovered`,
      expect.stringMatching(new RegExp(`^truncated or invalid JSON in the document at byte ${text1.length} \\(.+\\); kept 5 complete records, lost the data after byte ${text1.length + thirdStart}$`)),
    ]);
  });
});

describe('decoding tar archives', () => {
  const archive = tarArchive([{ name: `${ACCOUNT_DIR}/CloudTrail/eu-west-1/2026/11/02/111122223333_CloudTrail_eu-west-1_20261102T0915Z_a.json`, data: JSON.stringify({ Records: records(2) }) }]);
  const notRead = (input: string) => [{ input, reason: 'tar archives are not read; extract it and replay the folder', level: 'error' }];

  it.each(['exports/november.tar.gz', 'exports/november.tgz'])('reports %s as a tar archive by its name', async (name) => {
    expect(await decodeInput(name, gzipSync(archive))).toEqual({ events: [], problems: notRead(name) });
  });

  it('recognizes a tar archive by its ustar magic, compressed or not, whatever its name', async () => {
    expect(await decodeInput('exports/november.json.gz', gzipSync(archive))).toEqual({ events: [], problems: notRead('exports/november.json.gz') });
    expect(await decodeInput('exports/november.json', archive)).toEqual({ events: [], problems: notRead('exports/november.json') });
  });
});

describe('decoding CloudTrail Insights files', () => {
  const insights = Buffer.from(JSON.stringify({ Records: [insightRecord('Start'), insightRecord('End')] }));

  it('skips an Insights file of the org-trail layout, as it skips digest files', async () => {
    const name = `${ACCOUNT_DIR}/CloudTrail-Insight/us-east-1/2026/11/02/111122223333_CloudTrail-Insight_us-east-1_20261102T1005Z_insight000000001.json.gz`;
    expect(await decodeInput(name, gzipSync(insights))).toEqual({ events: [], problems: [], skipped: 'CloudTrail Insights file' });
  });

  it('reads a folder of ordinary logs whose name merely mentions Insights', async () => {
    const decoded = await decodeInput('CloudTrail-Insights-review/111122223333_CloudTrail_us-east-1_20261102T0915Z_a.json', Buffer.from(JSON.stringify({ Records: records(1) })));
    expect(decoded.skipped).toBeUndefined();
    expect(decoded.events).toHaveLength(1);
  });

  it('skips a document of Insights events under any name', async () => {
    expect(await decodeInput('exports/insights.json', insights)).toEqual({ events: [], problems: [], skipped: 'CloudTrail Insights file' });
  });

  it('reports an Insights event among API calls as a notice, and reads the calls', async () => {
    const call = cloudTrailRecord();
    const decoded = await decodeInput('exports/mixed.json', Buffer.from(JSON.stringify({ Records: [call, insightRecord('Start')] })));
    expect(decoded.events.map((e) => e.id)).toEqual([call.eventID]);
    expect(decoded.problems).toEqual([{ input: 'exports/mixed.json', index: 1, line: undefined, reason: 'CloudTrail Insights event, not read', level: 'notice' }]);
  });
});

describe('decoding within the size limit', () => {
  it('stops gunzip at the limit and reports the input, without inflating the rest', async () => {
    // 8 GiB of zeros in 8 MB: inflating it all would take far longer than this test allows.
    const member = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 128 }, () => member));
    const decoded = await decodeInput(TRAIL, bomb, { maxTextBytes: MiB });
    expect(decoded).toEqual({ events: [], problems: [{ input: TRAIL, reason: `decompresses to more than the limit of ${MiB} bytes; not read`, level: 'error' }] });
  }, 10_000);

  it('reports the limit, not the damage, when a damaged gzip also expands past it', async () => {
    const member = gzipSync(Buffer.alloc(4 * MiB), { level: 9 });
    const damaged = Buffer.concat([member, member.subarray(0, member.length - 20)]);
    const decoded = await decodeInput(TRAIL, damaged, { maxTextBytes: 6 * MiB });
    expect(decoded.problems).toEqual([{ input: TRAIL, reason: `decompresses to more than the limit of ${6 * MiB} bytes; not read`, level: 'error' }]);
  });

  it('reads a gzip that decompresses to exactly the limit', async () => {
    const text = JSON.stringify({ Records: records(2) });
    const decoded = await decodeInput(TRAIL, gzipSync(text), { maxTextBytes: text.length });
    expect(decoded.problems).toEqual([]);
    expect(decoded.events).toHaveLength(2);
  });

  it('reports an uncompressed input larger than the limit without decoding it', async () => {
    const text = Buffer.from(JSON.stringify({ Records: records(2) }));
    const decoded = await decodeInput('exports/big.json', text, { maxTextBytes: 1000 });
    expect(decoded).toEqual({ events: [], problems: [{ input: 'exports/big.json', reason: `text of ${text.length} bytes is over the limit of 1000 bytes; not read`, level: 'error' }] });
  });
});
