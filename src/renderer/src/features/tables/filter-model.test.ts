import { describe as group, expect, it } from 'vitest';
import { filterConditionSchema, type BuilderVariable } from '../../../../shared/contract/tables';
import { describe, draftOf, filterable, newDraft, opsFor, validate, type FilterDraft, type FilterInput } from './filter-model';

const role: BuilderVariable = {
  ref: 'Q1',
  label: 'Role',
  kind: 'single',
  categories: [
    { key: '1', label: 'Architect', missing: false },
    { key: '2', label: 'Data scientist', missing: false },
    { key: '8', label: 'Security engineer', missing: false },
    { key: '99', label: 'Refused', missing: true },
  ],
  datasetIds: [1],
};
const weight: BuilderVariable = { ref: 'weight', label: 'weight', kind: 'weight', categories: [], datasetIds: [1] };
const edge: BuilderVariable = {
  ref: 'Q7',
  label: 'Edge challenges',
  kind: 'multi',
  categories: [
    { key: 'Q7_1', label: 'Connectivity', missing: false },
    { key: 'Q7_2', label: 'Scale', missing: false },
  ],
  datasetIds: [1],
};
const comment: BuilderVariable = { ref: 'Q10', label: 'Comment', kind: 'text', categories: [], datasetIds: [1] };

const draft = (patch: Partial<FilterDraft>, variable = weight): FilterDraft => ({ ...newDraft(variable.ref, variable), ...patch });

group('filter builder model', () => {
  it('offers numbers and questions with answers, never free text', () => {
    expect(filterable([role, weight, edge, comment]).map((v) => v.ref)).toEqual(['Q1', 'weight', 'Q7']);
    expect(opsFor(weight, 'between').map((o) => o.op)).toEqual(['between', 'atLeast', 'atMost', 'in', 'notIn', 'answered']);
    expect(opsFor(role, 'in').map((o) => o.op)).toEqual(['in', 'notIn', 'answered']);
    expect(opsFor(edge, 'in').map((o) => o.label)).toEqual(['chose any of', 'chose none of', 'is answered']);
    // A saved range over a scale's codes (from the CLI) keeps its operator on offer.
    expect(opsFor(role, 'between').map((o) => o.op)).toContain('between');
  });

  it('turns each operator into the contract condition, which the contract accepts', () => {
    const cases: [FilterDraft, FilterInput][] = [
      [draft({ op: 'in', values: ['2', '8'] }, role), { ref: 'Q1', op: 'in', values: ['2', '8'] }],
      [draft({ op: 'notIn', values: ['2'] }, role), { ref: 'Q1', op: 'notIn', values: ['2'] }],
      [draft({ op: 'between', min: '0.8', max: '1.2' }), { ref: 'weight', op: 'between', values: [], min: 0.8, max: 1.2 }],
      [draft({ op: 'atLeast', min: '0.8', max: '5' }), { ref: 'weight', op: 'between', values: [], min: 0.8 }],
      [draft({ op: 'atMost', min: '9', max: '-1.5' }), { ref: 'weight', op: 'between', values: [], max: -1.5 }],
      [draft({ op: 'between', min: '2', max: '2' }), { ref: 'weight', op: 'between', values: [], min: 2, max: 2 }],
      [draft({ op: 'notIn', numbers: '1, 2;9  2' }), { ref: 'weight', op: 'notIn', values: [1, 2, 9] }],
      [draft({ op: 'answered' }, role), { ref: 'Q1', op: 'answered', values: [] }],
    ];
    for (const [input, expected] of cases) {
      const result = validate(input, input.ref === 'weight');
      expect(result.problem).toBeNull();
      expect(result.condition).toEqual(expected);
      expect(filterConditionSchema.safeParse(result.condition).success).toBe(true);
    }
  });

  it('says what to fix: nothing chosen, an empty end, a non-number, a range the wrong way round', () => {
    const problem = (d: FilterDraft, numeric = true) => validate(d, numeric).problem;
    expect(problem(draft({ op: 'in' }, role), false)).toEqual({ field: 'values', message: 'Choose at least one answer to keep.', empty: true });
    expect(problem(draft({ op: 'notIn' }, role), false)?.message).toBe('Choose at least one answer to leave out.');
    expect(problem(draft({ op: 'between', min: '1' }))).toEqual({ field: 'max', message: 'Enter the highest value.', empty: true });
    expect(problem(draft({ op: 'atLeast' }))?.message).toBe('Enter the smallest value to keep.');
    expect(problem(draft({ op: 'atMost' }))?.message).toBe('Enter the largest value to keep.');
    // The half-typed number is named before the empty other end: it is what the user looks at.
    expect(problem(draft({ op: 'between', max: '', minBad: true }))).toEqual({
      field: 'min',
      message: 'The lowest value is not a number. Use digits and a point for decimals, e.g. 0.8.',
      empty: false,
    });
    expect(problem(draft({ op: 'between', min: '5', max: '1' }))).toEqual({
      field: 'max',
      message: 'The range is the wrong way round: 5 is more than 1. Put the lower number first.',
      empty: false,
    });
    expect(problem(draft({ op: 'in', numbers: '1, two' }))?.message).toBe('“two” is not a number. Separate numbers with commas, e.g. 1, 2, 9.');
    expect(problem(draft({ op: 'in', numbers: ' , ' }))?.message).toBe('Enter at least one number, e.g. 1, 2, 9.');
  });

  it('reads a saved condition back into the editor it came from (labels from the CLI become keys)', () => {
    const saved: FilterInput[] = [
      { ref: 'weight', op: 'between', values: [], min: 0.5 },
      { ref: 'weight', op: 'between', values: [], max: 2 },
      { ref: 'weight', op: 'between', values: [], min: 0.5, max: 2 },
      { ref: 'weight', op: 'in', values: [1, 3] },
      { ref: 'Q1', op: 'notIn', values: ['2', '8'] },
    ];
    for (const condition of saved) {
      const variable = condition.ref === 'Q1' ? role : weight;
      expect(validate(draftOf(condition, variable), variable === weight).condition).toEqual(condition);
    }
    expect(draftOf({ ref: 'Q1', op: 'notIn', values: ['data scientist', 8] }, role).values).toEqual(['2', '8']);
    expect(draftOf({ ref: 'weight', op: 'between', min: 1 }, weight).op).toBe('atLeast');
    expect(draftOf({ ref: 'weight', op: 'between', max: 1 }, weight).op).toBe('atMost');
  });

  it('words each condition as the line under the table does', () => {
    expect(describe({ ref: 'Q1', op: 'in', values: ['2', '8'] }, role)).toBe('Q1 is Data scientist or Security engineer');
    expect(describe({ ref: 'Q1', op: 'notIn', values: ['2'] }, role)).toBe('Q1 is not Data scientist');
    expect(describe({ ref: 'Q1', op: 'notIn', values: ['2', '8'] }, role)).toBe('Q1 is neither Data scientist nor Security engineer');
    expect(describe({ ref: 'Q1', op: 'notIn', values: ['1', '2', 'Security engineer'] }, role)).toBe('Q1 is none of Architect, Data scientist or Security engineer');
    expect(describe({ ref: 'weight', op: 'between', min: 0.8, max: 1.2 }, weight)).toBe('weight between 0.8 and 1.2');
    expect(describe({ ref: 'weight', op: 'between', min: 0.8 }, weight)).toBe('weight at least 0.8');
    expect(describe({ ref: 'weight', op: 'between', max: 1.2 }, weight)).toBe('weight at most 1.2');
    expect(describe({ ref: 'Q1', op: 'answered' }, role)).toBe('Q1 answered');
  });
});

group('a date question', () => {
  const started: BuilderVariable = { ref: 'started', label: 'Started', kind: 'numeric', date: true, categories: [], datasetIds: [1] };
  const day = (text: string) => Date.parse(`${text}T00:00:00Z`);

  it('offers day ranges, not numbers', () => {
    expect(opsFor(started, 'between').map((o) => o.label)).toEqual(['is between', 'is on or after', 'is on or before', 'is answered']);
  });

  it('keeps whole days: from the first moment of the first to the last moment of the last', () => {
    const result = validate(draft({ op: 'between', min: '2024-02-01', max: '2024-02-29' }, started), true, true);
    expect(result.problem).toBeNull();
    expect(result.condition).toEqual({ ref: 'started', op: 'between', values: [], min: day('2024-02-01'), max: day('2024-03-01') - 1 });
    expect(filterConditionSchema.parse(result.condition)).toEqual(result.condition);
    expect(describe(result.condition!, started)).toBe('started from 2024-02-01 to 2024-02-29');
    // Saved and opened again, the draft shows the same days.
    expect(draftOf(result.condition!, started)).toMatchObject({ op: 'between', min: '2024-02-01', max: '2024-02-29' });
    const after = validate(draft({ op: 'atLeast', min: '2024-03-01' }, started), true, true);
    expect(after.condition).toEqual({ ref: 'started', op: 'between', values: [], min: day('2024-03-01') });
    expect(describe(after.condition!, started)).toBe('started from 2024-03-01 on');
  });

  it('says what is wrong with a day in plain words', () => {
    expect(validate(draft({ op: 'between', min: '2024-03-01', max: '2024-02-01' }, started), true, true).problem).toEqual({
      field: 'max',
      message: 'The days are the wrong way round: 2024-03-01 is after 2024-02-01. Put the earlier day first.',
      empty: false,
    });
    expect(validate(draft({ op: 'atMost', max: '2023-02-29' }, started), true, true).problem?.message).toBe(
      'The latest day to keep is not a day of the calendar. Pick one, or type it as 2024-01-31.',
    );
    expect(validate(draft({ op: 'between', min: '', max: '2024-02-01' }, started), true, true).problem).toMatchObject({ field: 'min', empty: true });
  });
});
