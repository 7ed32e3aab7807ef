import { describe, expect, it } from 'vitest';
import { orderedScale, packedOptions } from './infer';

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

describe('packed multi-select detection', () => {
  const counts = (values: string[]) => new Map(values.map((v) => [v, 3]));

  it('does not split single answers whose labels hold commas in brackets or thousands', () => {
    expect(packedOptions(counts(['Architect', 'IT executive (CIO, CTO, VP)', 'Platform engineer']), 'qualtrics')).toBeNull();
    expect(packedOptions(counts(['1-99 employees', '1,000-4,999 employees', '20,000 or more employees']), 'qualtrics')).toBeNull();
  });

  it('still splits real packed answers, keeping bracketed options whole', () => {
    const found = packedOptions(counts(['GPU cost', 'Networking (WAN, LAN)', 'GPU cost, Networking (WAN, LAN)', 'Security', 'Security, GPU cost']), 'google-forms');
    expect(found?.options.sort()).toEqual(['GPU cost', 'Networking (WAN, LAN)', 'Security']);
    expect(packedOptions(counts(['1', '3', '1,3', '2,3']), 'qualtrics')?.options.sort()).toEqual(['1', '2', '3']);
  });
});
