/**
 * The member scanner's rules at cold start: the bundled ones, overlaid with the updates published in
 * the asset bucket that load. Nothing in an update stops the scanner from starting: a broken index is
 * logged and ignored, a file that cannot be read, parsed (an alias bomb included) or compiled is
 * logged with its key and left out, and the bundled file of the same name, if any, stays in force.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { log as lambdaLog } from '../../../central/aws/lambda/log.js';
import { buildScanner, overlayRules, type ScannerProblem, type ScannerRules, type ScannerSettings } from '../build-scanner.js';
import type { Scanner } from '../scan-object.js';
import { readRuleUpdates, type RuleUpdates } from './rule-updates.js';

/** Where updates are published; no bucket means none. */
export interface UpdateSource {
  readonly s3: S3Client;
  readonly bucket?: string;
  readonly prefix: string;
}

/** Builds the scanner from the bundled rules and the updates that load, logging what does not. */
export async function memberScanner(bundled: ScannerRules, source: UpdateSource, settings: ScannerSettings, log: typeof lambdaLog): Promise<Scanner> {
  const updates = await publishedUpdates(source, log);
  for (const p of updates.problems) log.error('rule update not loaded', { key: p.key, reason: p.reason });
  const bundledFiles = new Set([...bundled.yara, ...bundled.secrets].map((r) => r.file));
  let kept = updates.rules;
  for (;;) {
    const origins = new Map([...kept.yara, ...kept.secrets].map((r) => [r.file, r.location]));
    const built = buildScanner(overlayRules(bundled, kept), settings);
    const bad = new Set(built.problems.filter((p) => origins.has(p.file)).map((p) => p.file));
    if (bad.size === 0) {
      // A broken bundled file is left out too, named with its line; the other rules keep the buckets covered.
      for (const p of built.problems) log.error('rule file not loaded', where(p, origins));
      for (const w of built.warnings) log.warn('rule file warning', where(w, origins));
      const { scanner } = built;
      log.info('scanner ready', { yaraRules: scanner.yara.ruleCount, secretDetectors: scanner.secrets.length, rulesVersion: scanner.rulesVersion, updates: origins.size });
      return scanner;
    }
    // Each round drops at least one update, so this ends; the bundled file of a dropped one's name comes back.
    for (const p of built.problems.filter((x) => bad.has(x.file))) log.error('rule file not loaded', { ...where(p, origins), bundledKept: bundledFiles.has(p.file) });
    built.scanner.yara.close();
    const good = (r: { file: string }) => !bad.has(r.file);
    kept = { yara: kept.yara.filter(good), secrets: kept.secrets.filter(good) };
  }
}

async function publishedUpdates(source: UpdateSource, log: typeof lambdaLog): Promise<RuleUpdates> {
  const none: RuleUpdates = { rules: { yara: [], secrets: [] }, problems: [] };
  if (!source.bucket) return none;
  try {
    return await readRuleUpdates(source.s3, source.bucket, source.prefix);
  } catch (err) {
    log.error('rule updates not loaded', { bucket: source.bucket, reason: err instanceof Error ? err.message : String(err) });
    return none;
  }
}

function where(p: ScannerProblem, origins: ReadonlyMap<string, string | undefined>): Record<string, unknown> {
  const key = origins.get(p.file);
  return { file: p.file, ...(key && { key }), line: p.line, reason: p.message };
}
