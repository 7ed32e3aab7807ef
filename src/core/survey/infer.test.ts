import { describe, expect, it } from 'vitest';
import { orderedScale } from './infer';

describe('change scales', () => {
  it('orders a change scale by direction and strength, whatever its wording', () => {
    expect(
      orderedScale(['Increase significantly', 'Stay about the same', 'Decrease slightly', 'Increase slightly', 'Decrease significantly', "Don't know"]),
    ).toEqual(['Decrease significantly', 'Decrease slightly', 'Stay about the same', 'Increase slightly', 'Increase significantly', "Don't know"]);
    expect(orderedScale(['Much higher', 'About the same', 'Much lower', 'Slightly higher', 'Slightly lower'])).toEqual([
      'Much lower',
      'Slightly lower',
      'About the same',
      'Slightly higher',
      'Much higher',
    ]);
  });

  it('leaves answers that are not all on one change scale alone', () => {
    expect(orderedScale(['Increase significantly', 'Pizza', 'Decrease slightly'])).toBeNull();
    expect(orderedScale(['Increase slightly', 'Increase significantly', 'Stay the same'])).toBeNull();
  });
});

describe('numeric bands', () => {
  it('orders bands with a unit after them by their numbers', () => {
    expect(orderedScale(['1-99 employees', '1,000-4,999 employees', '20,000 or more employees', '100-999 employees', '5,000-19,999 employees'])).toEqual([
      '1-99 employees',
      '100-999 employees',
      '1,000-4,999 employees',
      '5,000-19,999 employees',
      '20,000 or more employees',
    ]);
  });
});
