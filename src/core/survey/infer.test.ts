import { describe, expect, it } from 'vitest';
import { fastIsoDateBytes, orderedScale, packedOptions, parseDate } from './infer';

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

describe('fastIsoDateBytes', () => {
  it('reads the bytes of an ISO date or time exactly as parseDate reads its text, and declines the rest', () => {
    const texts: string[] = [];
    for (let m = 0; m <= 13; m++) for (const d of [0, 1, 28, 29, 30, 31, 32]) texts.push(`2024-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, `2023-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    for (const t of ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '07:08:61']) texts.push(`2024-02-29 ${t}`, `2024-02-29T${t}`, `2024-02-29_${t}`);
    texts.push('2024-3-05', '20240305', '2024/03/05', '05/03/2024', '2024-03-05 14:07', '2024-03-05T14:07:09Z', '２０２４-03-05');
    let read = 0;
    for (const text of texts) {
      const bytes = Buffer.from(`x${text}y`, 'utf8');
      const fast = fastIsoDateBytes(bytes, 1, bytes.length - 1);
      if (Number.isNaN(fast)) continue;
      read++;
      expect(fast, text).toBe(parseDate(text));
    }
    expect(read).toBeGreaterThan(100);
    expect(fastIsoDateBytes(Buffer.from('2024-02-30'), 0, 10)).toBeNaN();
    expect(fastIsoDateBytes(Buffer.from('2023-02-29'), 0, 10)).toBeNaN();
  });
});
