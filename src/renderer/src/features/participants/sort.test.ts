import { describe, expect, it } from 'vitest';
import { compareAttributeValues } from './sort';

describe('compareAttributeValues', () => {
  it('sorts a number attribute as numbers, not as text', () => {
    const years = [10, 16, 6, 7, '12', null];
    expect([...years].sort((a, b) => compareAttributeValues(a, b, 'number', 'en'))).toEqual([6, 7, 10, '12', 16, null]);
  });
  it('sorts text with digit runs as numbers and empty values last', () => {
    const names = ['P10', '', 'p2', 'P1'];
    expect([...names].sort((a, b) => compareAttributeValues(a, b, 'text', 'en'))).toEqual(['P1', 'p2', 'P10', '']);
  });
  it('puts values that are not numbers after the numbers of a number attribute', () => {
    expect([12, 'n/a', 3].sort((a, b) => compareAttributeValues(a, b, 'number', 'zh-CN'))).toEqual([3, 12, 'n/a']);
  });
});
