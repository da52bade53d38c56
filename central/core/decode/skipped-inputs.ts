/**
 * Inputs that sit beside trail logs but hold no API calls: recognized and skipped with a reason,
 * never reported as damaged. Digest files are known by name; Insights files by name or content.
 */
import { obj } from './fields.js';

/** Why a whole input was skipped, as reports show it. */
export const SKIPPED = {
  digest: 'CloudTrail digest file',
  insights: 'CloudTrail Insights file',
} as const;

/** CloudTrail digest files (`CloudTrail-Digest/`) hold hashes of the logs, no events. */
export function isDigestFile(name: string): boolean {
  return name.includes('CloudTrail-Digest');
}

/**
 * CloudTrail Insights files describe unusual call rates, not calls. Known by the folder CloudTrail
 * writes them to (`.../ACCOUNT/CloudTrail-Insight/REGION/...`) or their file name (`ACCOUNT_CloudTrail-Insight_REGION_...`),
 * not by the word anywhere, so a folder of your own called `CloudTrail-Insights-review` is still read.
 */
export function isInsightsFile(name: string): boolean {
  return /(^|[\\/])CloudTrail-Insight[\\/]|_CloudTrail-Insight_/.test(name);
}

/** One Insights event: a start or an end of unusual activity, with no caller or call of its own. */
export function isInsightsEvent(value: unknown): boolean {
  return obj(value)?.eventType === 'AwsCloudTrailInsight';
}

/** A `Records` document of Insights events only, whatever the file is called. */
export function isInsightsDocument(value: unknown): boolean {
  const records = obj(value)?.Records;
  return Array.isArray(records) && records.length > 0 && records.every(isInsightsEvent);
}
