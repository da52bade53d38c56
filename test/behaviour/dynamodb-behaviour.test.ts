/**
 * The detector Lambda's core over DynamoDB (dynalite): the same burst gives the same behaviour
 * findings as on a laptop, and a second detector (another Lambda container) sharing the table
 * knows what the first learned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { ManualClock, RecordingSink } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { gpuBurst, quietWeek, ROLE_ARN } from './support.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
}, 30_000);
afterAll(() => dynamo.close());

const rules = loadRuleFolders().rules;

function lambdaDetector(table: string): Detector {
  const clock = new ManualClock();
  const state = new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 400 });
  return new Detector({ engine: new RuleEngine(rules), state, sink: new RecordingSink(), clock });
}

describe('behaviour baselines in the detector Lambda, over DynamoDB', () => {
  it('finds the GPU burst in a new region after a quiet week, learned by one container and judged by another', async () => {
    const table = await dynamo.createTable();
    const week = quietWeek();
    const first = lambdaDetector(table);
    for (let i = 0; i < week.length; i += 5) await first.process(week.slice(i, i + 5));
    // A fresh container: nothing cached, everything read from the table.
    const second = lambdaDetector(table);
    const { findings } = await second.process(gpuBurst('2026-11-09T02:00:00Z', 'ap-southeast-3'));
    const byRule = new Map(findings.map((f) => [f.ProductFields['skywatch/RuleId'], f]));
    expect(byRule.get('provisioning-volume-by-principal')?.ProductFields['skywatch/Volume/Key']).toBe(ROLE_ARN);
    expect(byRule.get('provisioning-volume-by-principal')?.ProductFields['skywatch/Volume/Resources']).toBe('100');
    expect(byRule.get('behaviour-new-region-for-principal')?.ProductFields['skywatch/FirstSeen/SeenBefore']).toBe('eu-west-1');
  }, 60_000);
});
