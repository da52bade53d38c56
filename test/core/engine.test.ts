import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CANDIDATE_CACHE_SIZE, RuleEngine } from '../../central/core/rules/engine.js';
import { loadRules } from '../../central/core/rules/load.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { BUILTIN_RULES_DIR } from '../../central/local/rule-files.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { eventOf } from '../support/detector.js';

const text = (id: string) => readFileSync(`${BUILTIN_RULES_DIR}/${id}.yaml`, 'utf8');
const { rules } = loadRules([
  { file: 'root-account-usage.yaml', text: text('root-account-usage') },
  { file: 'iam-access-key-created-for-another-user.yaml', text: text('iam-access-key-created-for-another-user') },
]);

describe('the rule engine', () => {
  it('offers an event only the rules indexed for its source and name, plus rules on every event', () => {
    const engine = new RuleEngine(rules);
    expect(engine.candidates('iam.amazonaws.com', 'CreateAccessKey').map((r) => r.id)).toEqual(['iam-access-key-created-for-another-user', 'root-account-usage']);
    expect(engine.candidates('ec2.amazonaws.com', 'DescribeInstances').map((r) => r.id)).toEqual(['root-account-usage']);
  });

  it('reports a rule that throws with the rule, the event and the error, and keeps running the others', () => {
    const throwing: CompiledRule = { ...rules[0]!, id: 'broken-rule', matches: () => { throw new TypeError('boom'); } };
    const engine = new RuleEngine([throwing, ...rules]);
    const event = eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'billing-reports' } }));
    const hits = engine.evaluate(event).map((h) => h.rule.id);
    expect(hits).toEqual(['iam-access-key-created-for-another-user', 'root-account-usage']);
    expect(engine.failures).toEqual([{ ruleId: 'broken-rule', eventId: event.id, error: 'boom' }]);
  });

  it('gives a failed call the lower severity its rule declares', () => {
    const engine = new RuleEngine(rules);
    const ok = eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' }));
    const denied = eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied' }));
    expect(engine.evaluate(ok).map((h) => h.severity)).toEqual(['HIGH']);
    expect(engine.evaluate(denied).map((h) => h.severity)).toEqual(['MEDIUM']);
  });

  it('keeps its candidate cache bounded however many unusual event names it meets', () => {
    const engine = new RuleEngine(rules);
    for (let i = 0; i < 30_000; i++) engine.candidates('iam.amazonaws.com', `Invented${i}`);
    expect(CANDIDATE_CACHE_SIZE).toBe(8_192);
    expect(engine.cachedPairs).toBe(8_192);
    // Evicted or not, the answer is the same.
    expect(engine.candidates('iam.amazonaws.com', 'CreateAccessKey').map((r) => r.id)).toEqual(['iam-access-key-created-for-another-user', 'root-account-usage']);
    expect(engine.candidates('iam.amazonaws.com', 'Invented0').map((r) => r.id)).toEqual(['root-account-usage']);
  });
});
