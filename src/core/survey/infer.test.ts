import { describe, expect, it } from 'vitest';
import { fastIsoDateBytes, isNonsubstantiveAnswer, labelsFor, orderedScale, packedOptions, parseDate, splitPacked } from './infer';

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

describe('scales ordered by meaning', () => {
  it('orders scales in wordings no list holds, by pole word and strength', () => {
    expect(orderedScale(['Extremely likely', 'Not at all likely', 'Very likely', 'Slightly likely', 'Moderately likely'])).toEqual([
      'Not at all likely', 'Slightly likely', 'Moderately likely', 'Very likely', 'Extremely likely',
    ]);
    expect(orderedScale(['Completely satisfied', 'Somewhat dissatisfied', 'Neither satisfied nor dissatisfied', 'Very dissatisfied', 'Somewhat satisfied'])).toEqual([
      'Very dissatisfied', 'Somewhat dissatisfied', 'Neither satisfied nor dissatisfied', 'Somewhat satisfied', 'Completely satisfied',
    ]);
    expect(orderedScale(['Very helpful', 'Not helpful', 'Somewhat helpful', 'Not very helpful'])).toEqual(['Not helpful', 'Not very helpful', 'Somewhat helpful', 'Very helpful']);
    expect(orderedScale(['Excellent', 'Poor', 'Good', 'Fair', 'Very good'])).toEqual(['Poor', 'Fair', 'Good', 'Very good', 'Excellent']);
    expect(orderedScale(['Weekly', 'Never', 'Daily', 'Once a month', 'A few times a year'])).toEqual(['Never', 'A few times a year', 'Once a month', 'Weekly', 'Daily']);
    expect(orderedScale(['5 - Strongly agree', '2', '1 - Strongly disagree', '4', '3'])).toEqual(['1 - Strongly disagree', '2', '3', '4', '5 - Strongly agree']);
    expect(orderedScale(['Decrease', 'Increase significantly', 'Stay the same', 'Decrease significantly'])).toEqual([
      'Decrease significantly', 'Decrease', 'Stay the same', 'Increase significantly',
    ]);
  });

  it('leaves answers alone that are not all on one scale, or that two answers would tie', () => {
    expect(orderedScale(['Very satisfied', 'Agree', 'Disagree'])).toBeNull();
    expect(orderedScale(['Somewhat likely', 'Moderately likely', 'Very likely'])).toBeNull();
    expect(orderedScale(['Red', 'Green', 'Blue'])).toBeNull();
    expect(orderedScale(['Rarely', 'Seldom', 'Always'])).toBeNull();
  });

  it('puts answers that take no position after the scale, flagged non-substantive, not missing', () => {
    const ordered = orderedScale(['Agree', "I don't know", 'Disagree', 'N/A', 'Prefer not to say', 'Strongly agree', "Can't say", '不知道'])!;
    expect(ordered.slice(0, 3)).toEqual(['Disagree', 'Agree', 'Strongly agree']);
    // The rest keep the order they came in.
    expect(ordered.slice(3)).toEqual(["I don't know", 'N/A', 'Prefer not to say', "Can't say", '不知道']);
    expect(labelsFor(['Agree', 'Disagree', "Don't know", 'Refused']).map((l) => [l.label, l.missing ?? false, l.nonsubstantive ?? false])).toEqual([
      ['Agree', false, false],
      ['Disagree', false, false],
      ["Don't know", false, true],
      ['Refused', true, false],
    ]);
    for (const label of ["Don't know", 'Don’t know', 'Not sure', 'Prefer not to say', 'N/A', 'Not applicable', "Can't say", 'Unfamiliar (N/A)', '不知道', '不确定', '不适用', '不愿透露']) {
      expect(isNonsubstantiveAnswer(label), label).toBe(true);
    }
    for (const label of ['Agree', 'Nothing', 'None of these', 'Other', 'Not at all likely']) expect(isNonsubstantiveAnswer(label), label).toBe(false);
  });
});

describe('packed lists and prose', () => {
  const counts = (entries: [string, number][]) => new Map(entries);

  it('does not split answers that read as sentences, even when a few repeat', () => {
    expect(packedOptions(counts([['Fine, thanks', 3], ['Fine', 2], ['Great, thanks', 2], ['Great', 1], ['Too slow, sorry', 1]]), 'google-forms')).toBeNull();
    expect(packedOptions(counts([['Good service, but the queue was long.', 2], ['Good service', 3], ['Quiet', 2]]), 'qualtrics')).toBeNull();
  });

  it('does not split when the question asks for the respondent’s own words, unless it says select all', () => {
    const answers = counts([['Price, Location', 2], ['Price', 2], ['Location', 1], ['Staff, Price', 1]]);
    expect(packedOptions(answers, 'google-forms', 'Why did you choose us? Please explain.')).toBeNull();
    expect(packedOptions(answers, 'google-forms', 'Why did you choose us? (select all that apply)')?.options).toEqual(['Price', 'Location', 'Staff']);
  });

  it('splits a 1 MB cell in time linear in its length, keeping known labels with commas whole', () => {
    const known = new Set(['Networking (WAN, LAN)', '$50,000', 'Red']);
    const cell = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? '$50,000' : i % 3 === 1 ? 'Networking (WAN, LAN)' : 'Red')).join(',');
    expect(cell.length).toBeGreaterThan(1_000_000);
    const started = Date.now();
    const parts = splitPacked(cell, known, /,/);
    // The cubic search took minutes on 16 KB; this is a generous bound, not a timing.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(parts).toHaveLength(100_000);
    expect(parts.slice(0, 4)).toEqual(['$50,000', 'Networking (WAN, LAN)', 'Red', '$50,000']);
  });
});
