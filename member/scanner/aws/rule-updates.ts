/**
 * Rule updates from S3: teams publish YARA and secret rule files under the asset bucket's rules prefix
 * with an `index.json` listing them (`{"files": ["yara/ours.yar", "secrets/our-token.yaml"]}`), and
 * every scanner picks them up at its next cold start, without a redeploy. The role may read that
 * prefix only (no listing), hence the index. No index means no updates.
 */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { ScannerRules } from '../build-scanner.js';
import { isYamlFile } from '../../../central/local/rule-files.js';
import { isYaraFile } from '../yara/yara-sources.js';

const Index = z.strictObject({ files: z.array(z.string().regex(/^(yara|secrets)\/[A-Za-z0-9._\/-]+$/, 'must be yara/... or secrets/...').refine((f) => !f.includes('..'), 'must not contain ..')).max(500) });

/** The rule files published under `prefix`, or none when there is no index. */
export async function readRuleUpdates(client: S3Client, bucket: string, prefix: string): Promise<ScannerRules> {
  const index = await readText(client, bucket, `${prefix}index.json`);
  if (index === undefined) return { yara: [], secrets: [] };
  let files: string[];
  try {
    files = Index.parse(JSON.parse(index)).files;
  } catch (err) {
    throw new Error(`s3://${bucket}/${prefix}index.json is not a valid rule index: ${err instanceof Error ? err.message : String(err)}`);
  }
  const read = async (file: string) => {
    const text = await readText(client, bucket, prefix + file);
    if (text === undefined) throw new Error(`s3://${bucket}/${prefix}${file} is listed in index.json but does not exist`);
    return { file, text };
  };
  return {
    yara: await Promise.all(files.filter((f) => f.startsWith('yara/') && isYaraFile(f)).map(read)),
    secrets: await Promise.all(files.filter((f) => f.startsWith('secrets/') && isYamlFile(f)).map(read)),
  };
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
