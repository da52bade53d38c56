/**
 * Rule updates from S3: teams publish YARA and secret rule files under the asset bucket's rules prefix
 * with an `index.json` listing them (`{"files": ["yara/ours.yar", "secrets/our-token.yaml"]}`), and
 * every scanner picks them up at its next cold start, without a redeploy. The role may read that
 * prefix only (no listing), hence the index. No index means no updates. A listed file that cannot be
 * read is a problem naming its key, and the other files still apply.
 */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { ScannerRules } from '../build-scanner.js';
import { isYamlFile } from '../../../central/local/rule-files.js';
import { isYaraFile } from '../yara/yara-sources.js';

const Index = z.strictObject({ files: z.array(z.string().regex(/^(yara|secrets)\/[A-Za-z0-9._\/-]+$/, 'must be yara/... or secrets/...').refine((f) => !f.includes('..'), 'must not contain ..')).max(500) });

/** A listed update file that was not read. */
export interface RuleUpdateProblem {
  /** `s3://bucket/key` of the file. */
  readonly key: string;
  readonly reason: string;
}

/** The published updates that could be read (each with its `location`, `s3://bucket/key`), and those that could not. */
export interface RuleUpdates {
  readonly rules: ScannerRules;
  readonly problems: readonly RuleUpdateProblem[];
}

/** The rule files published under `prefix`, or none when there is no index; throws when the index itself is broken. */
export async function readRuleUpdates(client: S3Client, bucket: string, prefix: string): Promise<RuleUpdates> {
  const index = await readText(client, bucket, `${prefix}index.json`);
  if (index === undefined) return { rules: { yara: [], secrets: [] }, problems: [] };
  let files: string[];
  try {
    files = Index.parse(JSON.parse(index)).files;
  } catch (err) {
    throw new Error(`s3://${bucket}/${prefix}index.json is not a valid rule index: ${err instanceof Error ? err.message : String(err)}`);
  }
  const problems: RuleUpdateProblem[] = [];
  const read = async (file: string) => {
    const origin = `s3://${bucket}/${prefix}${file}`;
    try {
      const text = await readText(client, bucket, prefix + file);
      if (text !== undefined) return [{ file, text, location: origin }];
      problems.push({ key: origin, reason: 'listed in index.json but does not exist' });
    } catch (err) {
      problems.push({ key: origin, reason: `not readable: ${err instanceof Error ? err.message : String(err)}` });
    }
    return [];
  };
  const yara = await Promise.all(files.filter((f) => f.startsWith('yara/') && isYaraFile(f)).map(read));
  const secrets = await Promise.all(files.filter((f) => f.startsWith('secrets/') && isYamlFile(f)).map(read));
  return { rules: { yara: yara.flat(), secrets: secrets.flat() }, problems };
}

async function readText(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf8')) ?? '';
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}
