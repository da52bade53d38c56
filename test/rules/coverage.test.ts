import { describe, expect, it } from 'vitest';
import { coverage } from '../../central/core/rules/coverage.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';

const rule = (id: string, status: 'active' | 'staged', mitre: string[], stratus: string[] = []) => ({ id, status, mitre, stratus }) as unknown as CompiledRule;
const mitre = {
  version: 'test',
  tactics: [{ id: 'TA0003', name: 'Persistence' }],
  techniques: { T1098: { name: 'Account Manipulation', tactics: ['TA0003'] }, 'T1098.003': { name: 'Additional Cloud Roles', tactics: ['TA0003'] } },
};
const stratus = { techniques: { 'aws.persistence.iam-backdoor-role': 'Backdoor an IAM role' } };

describe('coverage', () => {
  const report = coverage([rule('a', 'active', ['T1098']), rule('b', 'staged', ['T1098.003'], ['aws.persistence.iam-backdoor-role'])], mitre, stratus);

  it('counts only active rules as coverage and lists staged rules apart', () => {
    const techniques = report.mitre.tactics[0]!.techniques;
    expect(techniques).toEqual([
      { id: 'T1098', name: 'Account Manipulation', rules: ['a'], staged: ['b'] },
      { id: 'T1098.003', name: 'Additional Cloud Roles', rules: [], staged: ['b'] },
    ]);
    expect(report.mitre.covered).toBe(1);
    expect(report.stratus.covered).toBe(0);
    expect(report.stratus.techniques[0]).toMatchObject({ covered: false, rules: [], staged: ['b'] });
  });

  it('counts active and staged rules apart', () => {
    expect(report.rules).toEqual({ active: 1, staged: 1, stagedIds: ['b'] });
  });
});
