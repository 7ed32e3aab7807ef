import { Resvg } from '@resvg/resvg-js';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Database as Db } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableResult, TableSpecInput } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { I32_MISSING, encodeColumn } from '../survey/columns';
import { createTestCore, type TestCore } from '../testing/index';
import { insertDataset } from './fixtures';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cellOf(result: TableResult, group: number, rowKey: string, columnKey: string) {
  const g = result.groups[group]!;
  const row = g.rows.find((r) => r.key === rowKey);
  const c = result.columns.findIndex((col) => col.key === columnKey);
  if (!row || c < 0) throw new Error(`no cell ${rowKey}/${columnKey}: rows ${g.rows.map((r) => r.key)} columns ${result.columns.map((x) => x.key)}`);
  return { cell: row.cells[c]!, base: g.bases[c]! };
}

interface Wave {
  id: number;
  n: number;
  q1: Int32Array;
  industry: Int32Array;
  q3a: Uint8Array;
  q3b: Uint8Array;
  weight: Float64Array;
  ids: string[];
}

/** A survey wave of n respondents; `yes`/`no` are the codes this wave's file used for Q1. */
function makeWave(db: Db, name: string, wave: string, n: number, seed: number, yes: number, no: number): Wave {
  const rand = rng(seed);
  const q1 = new Int32Array(n);
  const industry = new Int32Array(n);
  const q3a = new Uint8Array(n);
  const q3b = new Uint8Array(n);
  const weight = new Float64Array(n);
  const likert = new Int32Array(n);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(`${wave}-R${i + 1}`);
    industry[i] = 1 + Math.floor(rand() * 3);
    const u = rand();
    q1[i] = u < 0.08 ? 9 : u < 0.1 ? I32_MISSING : u < 0.55 + (industry[i] === 3 ? 0.2 : 0) ? yes : no;
    likert[i] = 1 + Math.floor(rand() * 5);
    if (rand() < 0.85) {
      q3a[i] = rand() < 0.6 ? 1 : 0;
      q3b[i] = rand() < 0.5 ? 1 : 0;
    }
    weight[i] = 0.5 + rand() * 1.5;
  }
  const { datasetId } = insertDataset(db, {
    name,
    wave,
    rows: n,
    variables: [
      { name: 'RID', type: 'id', column: { encoding: 'text', values: ids } },
      {
        name: 'Q1',
        label: 'Do you run AI workloads on Kubernetes?',
        type: 'single',
        column: { encoding: 'i32', values: q1 },
        labels: [
          { code: yes, label: 'Yes' },
          { code: no, label: 'No' },
          { code: 9, label: "Don't know", missing: true },
        ],
      },
      {
        name: 'IND',
        label: 'Industry',
        type: 'single',
        column: { encoding: 'i32', values: industry },
        labels: [
          { code: 1, label: 'Retail' },
          { code: 2, label: 'Health' },
          { code: 3, label: 'Telecom' },
        ],
      },
      {
        name: 'Q2',
        label: 'Expected change in AI workloads',
        type: 'ordinal',
        column: { encoding: 'i32', values: likert },
        labels: ['Decrease significantly', 'Decrease somewhat', 'Stay the same', 'Increase somewhat', 'Increase significantly'].map((label, k) => ({ code: k + 1, label })),
      },
      { name: 'Q3_1', type: 'multi', questionGroup: 'Q3', groupLabel: 'Where do you run them?', optionLabel: 'Cloud', column: { encoding: 'u8', values: q3a } },
      { name: 'Q3_2', type: 'multi', questionGroup: 'Q3', groupLabel: 'Where do you run them?', optionLabel: 'Edge', column: { encoding: 'u8', values: q3b } },
      { name: 'W', label: 'Weight', type: 'weight', column: { encoding: 'f64', values: weight } },
      { name: 'OPEN', label: 'Why?', type: 'text', column: { encoding: 'text', values: ids.map((_, i) => (i % 4 === 0 ? `answer ${i}` : null)) } },
    ],
  });
  return { id: datasetId, n, q1, industry, q3a, q3b, weight, ids };
}

describe('tables through the real dispatch on a project file', () => {
  let tc: TestCore;
  let db: Db;
  let w24: Wave;
  let w25: Wave;
  let costCode = 0;
  let speedCode = 0;
  const costRows = new Set<number>();

  beforeAll(async () => {
    tc = createTestCore();
    await tc.newProject();
    db = tc.core.currentProject()!.db;
    w24 = makeWave(db, 'Survey 2024', '2024', 400, 1, 1, 2);
    // The 2025 file numbered the answers differently: waves are matched by label.
    w25 = makeWave(db, 'Survey 2025', '2025', 500, 2, 10, 20);

    // Open-ended answers of 2025 as a survey_text document, one turn per non-empty answer.
    const answers: { row: number; text: string }[] = [];
    for (let i = 0; i < w25.n; i += 4) answers.push({ row: i, text: i % 8 === 0 ? `Too costly for us (${i}).` : `It is fast enough (${i}).` });
    let text = '';
    const turns: { row: number; start: number; end: number }[] = [];
    for (const a of answers) {
      if (text) text += '\n\n';
      turns.push({ row: a.row, start: text.length, end: text.length + a.text.length });
      text += a.text;
    }
    const openVar = (db.prepare("SELECT id FROM variable WHERE dataset_id = ? AND name = 'OPEN'").get(w25.id) as { id: number }).id;
    const docId = Number(
      db.prepare("INSERT INTO document (kind, name, format, text, dataset_id, variable_id) VALUES ('survey_text', 'Why? (2025)', 'survey', ?, ?, ?)").run(text, w25.id, openVar).lastInsertRowid,
    );
    const insertTurn = db.prepare('INSERT INTO turn (document_id, position, respondent_row, start_char, end_char) VALUES (?, ?, ?, ?, ?)');
    turns.forEach((t, k) => insertTurn.run(docId, k, t.row, t.start, t.end));
    costCode = Number(db.prepare("INSERT INTO code (name) VALUES ('Cost')").run().lastInsertRowid);
    speedCode = Number(db.prepare("INSERT INTO code (name) VALUES ('Speed')").run().lastInsertRowid);
    const insertSegment = db.prepare('INSERT INTO segment (document_id, start_char, end_char, text) VALUES (?, ?, ?, ?)');
    const insertCoding = db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)');
    for (const t of turns) {
      const answer = text.slice(t.start, t.end);
      if (answer.startsWith('Too costly')) {
        const seg = Number(insertSegment.run(docId, t.start, t.start + 10, answer.slice(0, 10)).lastInsertRowid);
        insertCoding.run(seg, costCode);
        costRows.add(t.row);
      } else {
        const seg = Number(insertSegment.run(docId, t.start, t.end, answer).lastInsertRowid);
        insertCoding.run(seg, speedCode);
      }
    }
    // An interviewee who is also respondent 2025-R2 (row 1): their interview quote counts for that respondent.
    const pid = Number(db.prepare("INSERT INTO participant (name, dataset_id, respondent_key) VALUES ('P01', ?, '2025-R2')").run(w25.id).lastInsertRowid);
    const pid2 = Number(db.prepare("INSERT INTO participant (name) VALUES ('P02')").run().lastInsertRowid);
    const pid3 = Number(db.prepare("INSERT INTO participant (name) VALUES ('P03')").run().lastInsertRowid);
    const interview = 'We pay far too much for GPUs. Otherwise fine.';
    const iv = Number(db.prepare("INSERT INTO document (kind, name, format, text, participant_id) VALUES ('transcript', 'P01 interview', 'txt', ?, ?)").run(interview, pid).lastInsertRowid);
    db.prepare("INSERT INTO document (kind, name, format, text, participant_id) VALUES ('transcript', 'P02 interview', 'txt', 'All good.', ?)").run(pid2);
    const seg = Number(insertSegment.run(iv, 0, 29, interview.slice(0, 29)).lastInsertRowid);
    insertCoding.run(seg, costCode);
    costRows.add(1);
    const role = Number(db.prepare("INSERT INTO attribute (name) VALUES ('Role')").run().lastInsertRowid);
    const setAttr = db.prepare('INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, ?, ?)');
    setAttr.run(pid, role, 'Engineer');
    setAttr.run(pid2, role, 'Manager');
    setAttr.run(pid3, role, 'Engineer');
  });
  afterAll(() => tc.cleanup());

  const one = (): TableSpecInput['source'] => ({ kind: 'dataset', datasetIds: [w24.id] });

  it('tabulates stored columns: counts, user-missing left out of the base', async () => {
    const result = await tc.call('tables.run', { spec: { source: one(), rows: [{ ref: 'Q1' }], banner: ['IND'] } });
    for (let b = 1; b <= 3; b++) {
      let base = 0;
      let yes = 0;
      for (let i = 0; i < w24.n; i++) {
        if (w24.industry[i] !== b || (w24.q1[i] !== 1 && w24.q1[i] !== 2)) continue;
        base++;
        if (w24.q1[i] === 1) yes++;
      }
      const { cell, base: cb } = cellOf(result, 0, 'cat:1', `IND=${b}`);
      expect(cb.unweighted).toBe(base);
      expect(cell.count).toBe(yes);
    }
    expect(result.groups[0]!.rows.map((r) => r.label)).toEqual(['Yes', 'No']);
    expect(result.groups[0]!.chiSquare[0]!.df).toBe(2);
    expect(result.method).toMatch(/two-proportion z/);
  });

  it('multi-select groups: base is respondents who chose something; weights are summed', async () => {
    const result = await tc.call('tables.run', { spec: { source: one(), rows: [{ ref: 'Q3' }], weight: 'W', cells: ['weightedCount', 'colPct'] } });
    let answered = 0;
    let wAnswered = 0;
    let wEdge = 0;
    for (let i = 0; i < w24.n; i++) {
      if (!w24.q3a[i] && !w24.q3b[i]) continue;
      answered++;
      wAnswered += w24.weight[i]!;
      if (w24.q3b[i]) wEdge += w24.weight[i]!;
    }
    const { cell, base } = cellOf(result, 0, 'cat:Q3_2', 'total');
    expect(base.unweighted).toBe(answered);
    expect(base.weighted).toBeCloseTo(wAnswered, 9);
    expect(cell.weightedCount).toBeCloseTo(wEdge, 9);
    expect(result.groups[0]!.rows.map((r) => r.label)).toEqual(['Cloud', 'Edge']);
    expect(result.groups[0]!.label).toContain('Where do you run them?');
  });

  it('waves side by side: answers matched by label, change in points with its test', async () => {
    const result = await tc.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [w24.id, w25.id] }, rows: [{ ref: 'Q1' }] } });
    expect(result.blocks.map((b) => b.key)).toEqual(['total', 'wave']);
    const pctYes = (w: Wave, yes: number) => {
      let base = 0;
      let x = 0;
      for (let i = 0; i < w.n; i++) {
        if (w.q1[i] === 9 || w.q1[i] === I32_MISSING) continue;
        base++;
        if (w.q1[i] === yes) x++;
      }
      return (100 * x) / base;
    };
    const c24 = cellOf(result, 0, 'cat:1', 'wave=2024').cell;
    const c25 = cellOf(result, 0, 'cat:1', 'wave=2025').cell;
    expect(c24.colPct).toBeCloseTo(pctYes(w24, 1), 10);
    expect(c25.colPct).toBeCloseTo(pctYes(w25, 10), 10);
    expect(c25.change!.pp).toBeCloseTo(pctYes(w25, 10) - pctYes(w24, 1), 10);
    expect(typeof c25.change!.significant).toBe('boolean');
    expect(result.groups[0]!.rows).toHaveLength(2);

    // Each wave named its weight differently: the one weight of each wave is used.
    db.prepare("UPDATE variable SET name = 'WEIGHT_2025' WHERE dataset_id = ? AND name = 'W'").run(w25.id);
    const weighted = await tc.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [w24.id, w25.id] }, rows: [{ ref: 'Q1' }], weight: 'W' } });
    let sw25 = 0;
    for (let i = 0; i < w25.n; i++) if (w25.q1[i] === 10 || w25.q1[i] === 20) sw25 += w25.weight[i]!;
    expect(cellOf(weighted, 0, 'cat:1', 'wave=2025').base.weighted).toBeCloseTo(sw25, 9);
    expect(weighted.notes.join(' ')).not.toMatch(/without a positive weight/);
    db.prepare("UPDATE variable SET name = 'W' WHERE dataset_id = ? AND name = 'WEIGHT_2025'").run(w25.id);
  });

  it('codes as variables per respondent, with drill-down to respondents and quotes', async () => {
    const spec: TableSpecInput = { source: { kind: 'dataset', datasetIds: [w25.id] }, rows: [{ ref: `code:${costCode}` }], banner: ['IND'] };
    const result = await tc.call('tables.run', { spec });
    // Base: respondents with an open answer or an interview; coded: with a Cost quote.
    const withText = new Set<number>();
    for (let i = 0; i < w25.n; i += 4) withText.add(i);
    withText.add(1);
    const total = cellOf(result, 0, 'cat:1', 'total');
    expect(total.base.unweighted).toBe(withText.size);
    expect(total.cell.count).toBe(costRows.size);
    const industry = w25.industry[1]!;
    const drill = await tc.call('tables.drill', { spec, group: 0, rowKey: 'cat:1', columnKey: `IND=${industry}` });
    const expectedRows = [...costRows].filter((r) => w25.industry[r] === industry).sort((a, b) => a - b);
    expect(drill.total).toBe(expectedRows.length);
    expect(drill.respondents.map((r) => r.row)).toEqual(expectedRows);
    expect(drill.respondents[0]!.id).toBe(`2025-R${expectedRows[0]! + 1}`);
    expect(drill.quotes.length).toBe(expectedRows.length);
    expect(drill.quotes.every((q) => q.codeName === 'Cost')).toBe(true);
    expect(drill.quotes.some((q) => q.participant === 'P01' && q.text.includes('GPUs'))).toBe(true);
    // Several codes as one multi-select question.
    const multi = await tc.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: [w25.id] }, rows: [{ ref: 'codes:*' }] } });
    expect(multi.groups[0]!.rows.map((r) => r.label)).toEqual(['Cost', 'Speed']);
    expect(multi.groups[0]!.bases[0]!.unweighted).toBe(withText.size);
  });

  it('codes against participant attributes, with the quotes behind a cell', async () => {
    const spec: TableSpecInput = { source: { kind: 'participants' }, rows: [{ ref: `code:${costCode}` }], banner: ['attr:Role'] };
    const result = await tc.call('tables.run', { spec });
    expect(result.unit).toBe('participants');
    // P03 has no text: left out of the base.
    expect(cellOf(result, 0, 'cat:1', 'total').base.unweighted).toBe(2);
    expect(cellOf(result, 0, 'cat:1', 'attr:Role=Engineer').cell.count).toBe(1);
    expect(cellOf(result, 0, 'cat:1', 'attr:Role=Manager').cell.count).toBe(0);
    const drill = await tc.call('tables.drill', { spec, group: 0, rowKey: 'cat:1', columnKey: 'attr:Role=Engineer' });
    expect(drill.participants).toEqual([{ id: 1, name: 'P01' }]);
    expect(drill.quotes.map((q) => q.text)).toEqual(['We pay far too much for GPUs.']);

    // A sub-code counts for its parent: P02's quote coded "Licences" (under Cost) makes P02 a Cost case.
    const licences = Number(db.prepare("INSERT INTO code (name, parent_id) VALUES ('Licences', ?)").run(costCode).lastInsertRowid);
    const p02doc = (db.prepare("SELECT id FROM document WHERE name = 'P02 interview'").get() as { id: number }).id;
    const seg = Number(db.prepare("INSERT INTO segment (document_id, start_char, end_char, text) VALUES (?, 0, 9, 'All good.')").run(p02doc).lastInsertRowid);
    db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (?, ?, 1)').run(seg, licences);
    const after = await tc.call('tables.run', { spec });
    expect(cellOf(after, 0, 'cat:1', 'attr:Role=Manager').cell.count).toBe(1);
    expect(after.notes.join(' ')).toMatch(/sub-codes/);
    const managers = await tc.call('tables.drill', { spec, group: 0, rowKey: 'cat:1', columnKey: 'attr:Role=Manager' });
    expect(managers.quotes).toMatchObject([{ text: 'All good.', codeName: 'Licences', participant: 'P02' }]);
  });

  it('saved tables keep their spec and recompute after the data changes', async () => {
    const spec: TableSpecInput = { source: one(), rows: [{ ref: 'Q2', nets: [{ label: 'Increase (net)', members: ['4', '5'] }] }], banner: ['IND'], cells: ['count', 'colPct', 'mean'] };
    const saved = await tc.call('tables.save', { name: 'Expected change by industry', spec });
    expect(saved.spec.tests.level).toBe(0.95);
    expect(tc.events.some((e) => e.type === 'project.changed' && e.topics.includes('tables'))).toBe(true);
    const listed = await tc.call('tables.list', {});
    expect(listed.map((t) => t.name)).toContain('Expected change by industry');
    const before = await tc.call('tables.get', { id: saved.id });
    const netBefore = cellOf(before.result, 0, 'net:0', 'total').cell.count;
    expect(before.result.groups[0]!.rows[0]!.members).toEqual(['Increase somewhat', 'Increase significantly']);
    expect(cellOf(before.result, 0, 'mean', 'total').cell.mean).toBeGreaterThan(1);

    // Everyone now answers "Increase significantly".
    const q2 = (db.prepare("SELECT id FROM variable WHERE dataset_id = ? AND name = 'Q2'").get(w24.id) as { id: number }).id;
    db.prepare('UPDATE variable_data SET data = ? WHERE variable_id = ?').run(encodeColumn({ encoding: 'i32', values: new Int32Array(w24.n).fill(5) }), q2);
    const after = await tc.call('tables.get', { id: saved.id });
    expect(netBefore).toBeLessThan(w24.n);
    expect(cellOf(after.result, 0, 'net:0', 'total').cell.count).toBe(w24.n);
    expect(cellOf(after.result, 0, 'mean', 'total').cell.mean).toBe(5);

    const renamed = await tc.call('tables.save', { id: saved.id, name: 'Renamed', spec });
    expect(renamed.name).toBe('Renamed');
    expect(await tc.call('tables.delete', { id: saved.id })).toEqual({ deleted: true });
    await expect(tc.call('tables.get', { id: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a damaged saved spec is refused in plain words, and a bad spec is not saved', async () => {
    const id = Number(db.prepare("INSERT INTO saved_table (name, spec) VALUES ('Broken', '{\"rows\": 3}')").run().lastInsertRowid);
    const error = await tc.call('tables.get', { id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldbookError);
    expect(error).toMatchObject({ code: 'PARSE_ERROR', details: { record: id } });
    expect((error as Error).message).toContain('Broken');
    db.prepare('DELETE FROM saved_table WHERE id = ?').run(id);

    const count = () => (db.prepare('SELECT count(*) AS n FROM saved_table').get() as { n: number }).n;
    const n = count();
    await expect(tc.call('tables.save', { name: 'Nope', spec: { source: one(), rows: [{ ref: 'NOT_THERE' }] } })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'NOT_THERE' } });
    await expect(tc.call('tables.run', { spec: { source: one(), rows: [] } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(count()).toBe(n);
  });

  it('charts a table as SVG with fonts and colours as attributes, which resvg turns into a PNG', async () => {
    const spec: TableSpecInput = { source: { kind: 'dataset', datasetIds: [w24.id, w25.id] }, rows: [{ ref: 'Q1' }] };
    const { svg } = await tc.call('tables.chart', { spec, chart: { kind: 'grouped', width: 640, height: 360 } });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>Yes<');
    expect(svg).toContain('>2025<');
    expect(svg).not.toMatch(/<text[^>]*style=/);
    expect(svg).toMatch(/<text[^>]*font-family="[^"]+"/);
    const png = new Resvg(svg, { font: { loadSystemFonts: true } }).render();
    expect(png.width).toBe(640);
    expect(png.asPng().length).toBeGreaterThan(2000);
    for (const kind of ['bar', 'stacked'] as const) {
      const out = await tc.call('tables.chart', { spec, chart: { kind } });
      expect(out.svg).toContain('Yes');
    }
  });

  it('lists what the builder can use: questions, groups, waves, codes, attributes', async () => {
    const vars = await tc.call('tables.variables', { source: { kind: 'dataset', datasetIds: [w24.id, w25.id] } });
    const refs = vars.variables.map((v) => v.ref);
    expect(refs).toEqual(expect.arrayContaining(['wave', 'Q1', 'IND', 'Q2', 'Q3', 'W', `code:${costCode}`, 'codes:*']));
    expect(refs).not.toContain('Q3_1');
    expect(vars.variables.find((v) => v.ref === 'Q3')!.categories.map((c) => c.label)).toEqual(['Cloud', 'Edge']);
    expect(vars.variables.find((v) => v.ref === 'Q1')!.datasetIds).toEqual([w24.id, w25.id]);
    const people = await tc.call('tables.variables', { source: { kind: 'participants' } });
    expect(people.variables.find((v) => v.ref === 'attr:Role')!.categories.map((c) => c.key)).toEqual(['Engineer', 'Manager']);
    void speedCode;
  });
});

describe('tables on surveys imported from real export formats', () => {
  let tc: TestCore;
  const fixtures = path.resolve(import.meta.dirname, '../survey/fixtures');
  /** Column `column` of a CSV's answer rows, read here independently of the importer. */
  const answers = (file: string, column: number, headerRows: number): string[] => {
    const parsed = Papa.parse<string[]>(fs.readFileSync(path.join(fixtures, file), 'utf8'), { skipEmptyLines: true });
    return parsed.data.slice(headerRows).map((row) => (row[column] ?? '').trim());
  };

  beforeAll(async () => {
    tc = createTestCore();
    await tc.newProject();
    await tc.call('survey.import', { path: path.join(fixtures, 'qualtrics_2024.csv'), wave: '2024' });
    await tc.call('survey.import', { path: path.join(fixtures, 'surveymonkey_2025.csv'), wave: '2025' });
  });
  afterAll(() => tc.cleanup());

  it('compares a Qualtrics wave with a SurveyMonkey wave: same question under other names, answers by label', async () => {
    const datasets = await tc.call('survey.datasets', {});
    const ids = datasets.map((d) => d.id);
    const result = await tc.call('tables.run', { spec: { source: { kind: 'dataset', datasetIds: ids }, rows: [{ ref: 'Q1' }, { ref: 'Q2' }, { ref: 'Q4' }] } });
    const q24 = answers('qualtrics_2024.csv', 8, 3);
    const q25 = answers('surveymonkey_2025.csv', 4, 2);
    for (const [wave, list] of [['2024', q24], ['2025', q25]] as const) {
      const base = list.filter(Boolean).length;
      const g = result.groups[0]!;
      const col = result.columns.findIndex((c) => c.key === `wave=${wave}`);
      expect(g.bases[col]!.unweighted).toBe(base);
      for (const row of g.rows) expect(row.cells[col]!.count).toBe(list.filter((a) => a === row.label).length);
    }
    // Every answer label of both waves, in the order of the wave that has the most.
    expect(new Set(result.groups[0]!.rows.map((r) => r.label))).toEqual(new Set([...q24, ...q25].filter(Boolean)));
    // The multi-select question across waves: "Study rooms" chosen, out of those who chose anything.
    const rooms25 = answers('surveymonkey_2025.csv', 6, 2).filter((a) => a === 'Study rooms').length;
    const c25 = result.columns.findIndex((c) => c.key === 'wave=2025');
    expect(result.groups[1]!.rows.find((r) => r.label === 'Study rooms')!.cells[c25]!.count).toBe(rooms25);
    // Q4 is the age in 2024 and an open question in 2025: the 2025 age question (Q3) is matched instead.
    const ages25 = answers('surveymonkey_2025.csv', 8, 2).map(Number);
    const mean = result.groups[2]!.rows.find((r) => r.kind === 'mean')!.cells[c25]!.mean!;
    expect(result.groups[2]!.kind).toBe('numeric');
    expect(mean).toBeCloseTo(ages25.reduce((a, b) => a + b, 0) / ages25.length, 10);
  });

  it('a grid question as rows: one block per item, counted like the file, with a top-2 box each', async () => {
    const [first] = await tc.call('survey.datasets', {});
    const spec = { source: { kind: 'dataset' as const, datasetIds: [first!.id] }, rows: [{ ref: 'Q3', nets: [{ box: 'top2' as const }] }] };
    const result = await tc.call('tables.run', { spec });
    expect(result.groups.map((g) => g.ref)).toEqual(['Q3_1', 'Q3_2', 'Q3_3']);
    [11, 12, 13].forEach((column, k) => {
      const list = answers('qualtrics_2024.csv', column, 3);
      const g = result.groups[k]!;
      expect(g.bases[0]!.unweighted).toBe(list.filter(Boolean).length);
      expect(g.rows[0]!.label).toBe('Top 2 box (net)');
      expect(g.rows[0]!.cells[0]!.count).toBe(list.filter((a) => a === 'Agree' || a === 'Strongly agree').length);
    });
    // Drill-down numbers the expanded blocks the same way.
    const drill = await tc.call('tables.drill', { spec, group: 2, rowKey: 'net:0', columnKey: 'total' });
    expect(drill.total).toBe(answers('qualtrics_2024.csv', 13, 3).filter((a) => a === 'Agree' || a === 'Strongly agree').length);
    const vars = await tc.call('tables.variables', { source: spec.source });
    expect(vars.variables.find((v) => v.ref === 'Q3')).toMatchObject({ kind: 'grid' });
  });
});
