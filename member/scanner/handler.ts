/**
 * Member scanner Lambda: SQS batches of S3 "Object Created" events from opted-in buckets. The rules
 * bundled with the function, overlaid with those published under the asset bucket's rules prefix
 * that load (member-scanner.ts), are compiled once per container; see scanner-runtime.ts for the work.
 */
import { resolve } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { s3Client } from '../../central/aws/clients.js';
import { builtOnce } from '../../central/aws/lambda/built-once.js';
import { requireEnv } from '../../central/aws/lambda/environment.js';
import { log } from '../../central/aws/lambda/log.js';
import { systemClock } from '../../central/core/ports.js';
import { BucketTagOptIn } from './aws/bucket-opt-in.js';
import { CentralBusResults } from './aws/central-bus-results.js';
import { memberScanner } from './aws/member-scanner.js';
import { readRuleFolders } from './build-scanner.js';
import { limitsFromEnv } from './objects/limits.js';
import { scannerHandler, type ScannerRuntime } from './scanner-runtime.js';
import { DEFAULT_YARA_TIMEOUT_SECONDS } from './yara/yara-budget.js';

async function awsRuntime(): Promise<ScannerRuntime> {
  const busArn = requireEnv('CENTRAL_BUS_ARN');
  const maxObjectBytes = Number(requireEnv('MAX_OBJECT_BYTES'));
  if (!Number.isSafeInteger(maxObjectBytes) || maxObjectBytes <= 0) throw new Error('MAX_OBJECT_BYTES must be a positive number of bytes');
  const tag = { key: requireEnv('OPT_IN_TAG_KEY'), value: requireEnv('OPT_IN_TAG_VALUE') };
  const s3 = s3Client();
  const bundled = readRuleFolders(resolve(process.env.RULES_DIR ?? 'rules'));
  const settings = { limits: limitsFromEnv(process.env, maxObjectBytes), skipMedia: process.env.SKIP_MEDIA === 'true', yaraTimeoutMs: yaraTimeoutFromEnv(process.env.YARA_TIMEOUT_SECONDS) };
  const scanner = await memberScanner(bundled, { s3, bucket: process.env.RULES_BUCKET, prefix: process.env.RULES_PREFIX ?? 'member/rules/' }, settings, log);
  return {
    scanner,
    objects: new S3ObjectStore(s3),
    results: new CentralBusResults(new EventBridgeClient({}), busArn),
    optIn: new BucketTagOptIn(s3, tag, systemClock),
    maxObjectBytes,
    clock: systemClock,
  };
}

/** YARA_TIMEOUT_SECONDS, default DEFAULT_YARA_TIMEOUT_SECONDS; a typo fails the cold start rather than lifting the limit. */
function yaraTimeoutFromEnv(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_YARA_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`YARA_TIMEOUT_SECONDS must be a number of seconds above 0, not "${text}"`);
  return Math.round(seconds * 1000);
}

/** The Lambda entry point; the runtime is built on the first invocation and reused. */
export const handler = scannerHandler(builtOnce(awsRuntime));
