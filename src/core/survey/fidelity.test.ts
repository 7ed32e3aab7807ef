import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VariableSummary } from '../../shared/contract/survey';
import { createTestCore, type TestCore } from '../testing/index';

/**
 * Survey imports that are right on real exports, one fixture per kind of file. Every expected
 * value below was counted by hand from the fixture's rows (they are short: read them).
 */
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

let t: TestCore;
beforeEach(async () => {
  t = createTestCore();
  await t.newProject();
});
afterEach(() => t.cleanup());

const byName = (variables: VariableSummary[]) => new Map(variables.map((v) => [v.name, v]));

describe('text scales ordered by meaning; "Don\'t know" and the like non-substantive', () => {
  it('orders each scale low to high, with the answers that take no position after it, flagged and in the base', async () => {
    const result = await t.call('survey.import', { path: fixture('text_scales.csv') });
    const v = byName(await t.call('survey.variables', { datasetId: result.datasetId }));
    const order = (name: string) => v.get(name)!.valueLabels.map((l) => `${l.label}${l.nonsubstantive ? ' (NS)' : ''}${l.missing ? ' (M)' : ''}`);
    expect(order('satisfaction')).toEqual(['Very dissatisfied', 'Dissatisfied', 'Neither satisfied nor dissatisfied', 'Satisfied', 'Very satisfied', "Don't know (NS)"]);
    expect(order('agreement')).toEqual(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree', 'Not sure (NS)']);
    expect(order('frequency')).toEqual(['Never', 'Rarely', 'Sometimes', 'Often', 'Always', 'N/A (NS)']);
    expect(order('change')).toEqual(['Decrease significantly', 'Decrease', 'Stay the same', 'Increase slightly', 'Increase significantly', "Can't say (NS)"]);
    expect(order('likelihood')).toEqual(['Not at all likely', 'Slightly likely', 'Moderately likely', 'Very likely', 'Extremely likely', 'Prefer not to say (NS)']);
    expect(order('quality')).toEqual(['Poor', 'Fair', 'Good', 'Very good', 'Excellent', 'Not applicable (NS)']);
    expect(order('满意度')).toEqual(['非常不满意', '不满意', '一般', '满意', '非常满意', '不知道 (NS)']);
    expect(order('同意度')).toEqual(['非常不同意', '不同意', '中立', '同意', '非常同意', '不确定 (NS)', '不适用 (NS)', '不愿透露 (NS)']);
    for (const name of ['satisfaction', 'agreement', 'frequency', 'change', 'likelihood', 'quality', '满意度', '同意度']) {
      expect(v.get(name)!.type, name).toBe('ordinal');
      // Non-substantive answers stay in the base: all 8 rows are valid.
      expect([v.get(name)!.valid, v.get(name)!.missingCount], name).toEqual([8, 0]);
    }
    // Satisfaction: Very satisfied rows 1, 7; Don't know row 2.
    expect(v.get('satisfaction')!.valueLabels.map((l) => l.count)).toEqual([1, 1, 1, 2, 2, 1]);
  });
});

