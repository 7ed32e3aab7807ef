import { describe, expect, it } from 'vitest';
import { fillHeadline, formatSlotValue, headlineKeys, headlineParts, shareInWords } from './format';

describe('how findings write numbers', () => {
  it('writes shares, changes and counts in each format', () => {
    expect(formatSlotValue(62.5, 'percent')).toBe('63%');
    expect(formatSlotValue(62.5, 'percent1')).toBe('62.5%');
    expect(formatSlotValue(41.25, 'percent1')).toBe('41.3%');
    expect(formatSlotValue(0.125 * 100, 'percent')).toBe('13%');
    expect(formatSlotValue(22.5, 'points')).toBe('+23 pts');
    expect(formatSlotValue(-12.04, 'points1')).toBe('−12.0 pts');
    expect(formatSlotValue(0.2, 'points')).toBe('±0 pts');
    expect(formatSlotValue(12345.6, 'number')).toBe('12,346');
    expect(formatSlotValue(3.45, 'decimal1')).toBe('3.5');
    expect(formatSlotValue(null, 'percent')).toBe('–');
  });

  it('puts a share in words, qualified when it is more than a point off the fraction', () => {
    expect(shareInWords(50)).toBe('half');
    expect(shareInWords(50.9)).toBe('half');
    expect(shareInWords(48)).toBe('almost half');
    expect(shareInWords(53)).toBe('over half');
    expect(shareInWords(33.4)).toBe('a third');
    expect(shareInWords(62.5)).toBe('over three in five');
    expect(shareInWords(25)).toBe('a quarter');
    expect(shareInWords(97)).toBe('almost all');
    expect(shareInWords(3)).toBe('hardly any');
    expect(shareInWords(0)).toBe('none');
    expect(formatSlotValue(66, 'words')).toBe('two thirds');
  });

  it('fills {key} slots and leaves unknown ones as written', () => {
    const texts = new Map([
      ['a', '63%'],
      ['b', '+23 pts'],
    ]);
    expect(fillHeadline('{a} run it at the edge ({b}); {zz} {A}', texts)).toBe('63% run it at the edge (+23 pts); {zz} {A}');
    expect(headlineKeys('{a} and {b}, again {a}')).toEqual(['a', 'b']);
    expect(headlineParts('{a} of them, up {b}.')).toEqual([{ key: 'a' }, { text: ' of them, up ' }, { key: 'b' }, { text: '.' }]);
  });
});
