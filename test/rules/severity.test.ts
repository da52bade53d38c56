/**
 * Rule test cases declare whether a rule fires, not how severe the finding is. These rules rate their
 * findings from the policy or the selectors they read (once with lookahead regexes, now with the
 * policyIsPublic predicate and `except`), so each case that fires them is held to its rating here.
 */
import { describe, expect, it } from 'vitest';
import { decodeTestRecords } from '../../central/core/rules/self-test.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

const { rules } = loadRuleFolders();

/** The severity `ruleId` gives each case (of any rule) that fires it, by case name. */
function ratings(ruleId: string): Record<string, string> {
  const rule = rules.find((r) => r.id === ruleId)!;
  const out: Record<string, string> = {};
  for (const owner of rules) {
    for (const test of owner.tests) {
      const decoded = decodeTestRecords(test.events ?? [test.event!], test.name);
      if ('reason' in decoded) throw new Error(decoded.reason);
      for (const event of decoded.events) if (rule.matches(event)) out[test.name] = rule.severity(event);
    }
  }
  return out;
}

describe('severity of the rules that read policies and selectors', () => {
  it('rates a KMS key policy critical only when a public statement has no condition at all', () => {
    expect(ratings('kms-key-policy-public')).toEqual({
      'anyone may decrypt with the key': 'CRITICAL',
      'a key created for anyone that passes an encryption context (high)': 'HIGH',
      'a denied attempt (low)': 'LOW',
    });
  });

  it('rates a Secrets Manager policy critical only when a public statement has no condition at all', () => {
    expect(ratings('secretsmanager-resource-policy-public')).toEqual({
      'anyone may read the secret': 'CRITICAL',
      'a "*" grant whose only condition is a time window (high)': 'HIGH',
      'Block Public Access rejects the policy (low)': 'LOW',
    });
  });

  it('rates an ECR policy critical when an unpinned public statement may push, wildcards included', () => {
    expect(ratings('ecr-repository-policy-public')).toEqual({
      "anyone may pull the repository's images": 'HIGH',
      'anyone may push images (critical)': 'CRITICAL',
      'anyone may push, granted with a wildcard action (critical)': 'CRITICAL',
      'public pull next to a CI account that may push (high, not critical)': 'HIGH',
      'public pull, and pushes pinned to the organization (high, not critical)': 'HIGH',
    });
  });

  it('rates excluding only the KMS and RDS Data API events medium', () => {
    expect(ratings('cloudtrail-event-selectors-reduce-coverage')).toEqual({
      'management events switched off, only S3 and Lambda data reads kept (Stratus technique)': 'HIGH',
      'management events kept but only writes logged': 'HIGH',
      'advanced selectors that keep only S3 data events': 'HIGH',
      'advanced management selector that excludes IAM and STS events': 'HIGH',
      'a denied attempt to drop management events still fires': 'LOW',
      'management events filtered out with a basic selector': 'HIGH',
      'KMS events excluded from management events': 'MEDIUM',
      'a denied selector change still fires': 'LOW',
    });
  });
});
