import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import Papa from 'papaparse';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEBOOK, EDGE_CHALLENGES, QUESTIONS, SAMPLE_FILES, generateSample, type SampleManifest } from './generate-sample';

const COMMITTED = path.resolve(import.meta.dirname, '..', 'resources', 'sample');

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
    )
    .sort();
}

function readCsv(relative: string): string[][] {
  const text = fs.readFileSync(path.join(COMMITTED, relative), 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

function cell(row: string[] | undefined, index: number): string {
  return row?.[index] ?? '';
}

let out: { dir: string; written: string[] };

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-sample-'));
  out = { dir, written: await generateSample(dir) };
});

afterAll(() => fs.rmSync(out.dir, { recursive: true, force: true }));

describe('the sample generator', () => {
  it('reproduces resources/sample byte for byte, and nothing is left over there', () => {
    expect(listFiles(COMMITTED)).toEqual(out.written);
    for (const name of out.written) {
      const fresh = fs.readFileSync(path.join(out.dir, name));
      const committed = fs.readFileSync(path.join(COMMITTED, name));
      expect(fresh.equals(committed), `${name} differs from the committed copy: rerun npx tsx scripts/generate-sample.ts`).toBe(true);
    }
  });

  it('keeps the folder well under 1 MB', () => {
    const bytes = out.written.reduce((sum, name) => sum + fs.statSync(path.join(COMMITTED, name)).size, 0);
    expect(bytes).toBeLessThan(600 * 1024);
  });
});

describe('the sample study files', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(COMMITTED, SAMPLE_FILES.manifest), 'utf8')) as SampleManifest;

  it('2024 is a SurveyMonkey export: two header rows, multi-select spread over blank-continued columns', () => {
    const rows = readCsv(SAMPLE_FILES.survey2024);
    const [head1, head2] = rows;
    expect(cell(head1, 0)).toBe('Respondent ID');
    expect(head1?.slice(4, 10)).toEqual([QUESTIONS.role, QUESTIONS.industry, QUESTIONS.country, QUESTIONS.size, QUESTIONS.aiChange, QUESTIONS.edge]);
    expect(head2?.slice(4, 10)).toEqual(Array(6).fill('Response'));
    // The multi-select: question text once, then blanks; row 2 names each option.
    expect(head1?.slice(10, 17)).toEqual([QUESTIONS.edgeChallenges, '', '', '', '', '', '']);
    expect(head2?.slice(10, 17)).toEqual([...EDGE_CHALLENGES]);
    expect(cell(head2, head1!.indexOf(QUESTIONS.openText))).toBe('Open-Ended Response');
    expect(rows.length - 2).toBe(402);
    expect(manifest.surveys.find((s) => s.wave === '2024')?.respondents).toBe(402);
    for (const row of rows.slice(2)) {
      expect(row).toHaveLength(head1!.length);
      expect(cell(row, 2)).toMatch(/^\d{2}\/\d{2}\/2024 \d{2}:\d{2}:\d{2} [AP]M$/);
      // A selected option carries its own label, an unselected one is empty.
      row.slice(10, 17).forEach((value, i) => expect(['', EDGE_CHALLENGES[i]]).toContain(value));
    }
    const ids = rows.slice(2).map((row) => cell(row, 0));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('2025 is a Qualtrics export: BOM, names / question text / ImportId rows, metadata columns, 455 responses', () => {
    const raw = fs.readFileSync(path.join(COMMITTED, SAMPLE_FILES.survey2025));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = readCsv(SAMPLE_FILES.survey2025);
    const [names, texts, importIds] = rows;
    expect(names?.slice(0, 6)).toEqual(['StartDate', 'EndDate', 'Duration (in seconds)', 'Finished', 'ResponseId', 'Q1']);
    expect(names?.filter((n) => /^Q7_\d+$/.test(n))).toHaveLength(EDGE_CHALLENGES.length);
    expect(cell(texts, names!.indexOf('Q1'))).toBe(QUESTIONS.role);
    expect(cell(texts, names!.indexOf('Q7_2'))).toBe(`${QUESTIONS.edgeChallenges} - ${EDGE_CHALLENGES[1]}`);
    expect(cell(texts, names!.indexOf('Q10'))).toBe(QUESTIONS.openText);
    for (const json of importIds ?? []) expect(JSON.parse(json)).toHaveProperty('ImportId');
    expect(JSON.parse(cell(importIds, names!.indexOf('Q1')))).toEqual({ ImportId: 'QID1' });
    const data = rows.slice(3);
    expect(data).toHaveLength(455);
    const q7 = names!.indexOf('Q7_1');
    for (const row of data) {
      expect(row).toHaveLength(names!.length);
      expect(cell(row, 0)).toMatch(/^2025-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(Number(cell(row, 2))).toBeGreaterThan(0);
      expect(['True', 'False']).toContain(cell(row, 3));
      expect(cell(row, 4)).toMatch(/^R_[A-Za-z0-9]{15}$/);
      row.slice(q7, q7 + EDGE_CHALLENGES.length).forEach((value, i) => expect(['', EDGE_CHALLENGES[i]]).toContain(value));
    }
    expect(new Set(data.map((row) => cell(row, 4))).size).toBe(455);
  });

  it('both waves ask the same questions in the same words, with plausible answers', () => {
    const sm = readCsv(SAMPLE_FILES.survey2024);
    const qx = readCsv(SAMPLE_FILES.survey2025);
    for (const question of [QUESTIONS.role, QUESTIONS.aiChange, QUESTIONS.edge, QUESTIONS.cloudBill, QUESTIONS.lever, QUESTIONS.openText]) {
      expect(sm[0]).toContain(question);
      expect(qx[1]).toContain(question);
    }
    const share = (rows: string[][], col: number, value: string) => {
      const answered = rows.filter((row) => cell(row, col) !== '');
      return answered.filter((row) => cell(row, col) === value).length / answered.length;
    };
    const edge2024 = share(sm.slice(2), sm[0]!.indexOf(QUESTIONS.edge), 'Yes');
    const edge2025 = share(qx.slice(3), qx[0]!.indexOf('Q6'), 'Yes');
    expect(edge2024).toBeGreaterThan(0.33);
    expect(edge2024).toBeLessThan(0.43);
    expect(edge2025).toBeGreaterThan(0.45);
    expect(edge2025).toBeLessThan(0.55);
    const q5 = qx[0]!.indexOf('Q5');
    const increase = share(qx.slice(3), q5, 'Increase significantly') + share(qx.slice(3), q5, 'Increase slightly');
    expect(increase).toBeGreaterThan(0.85);
    const weights = qx
      .slice(3)
      .map((row) => cell(row, qx[0]!.indexOf('weight')))
      .filter((w) => w !== '')
      .map(Number);
    const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
    expect(mean).toBeCloseTo(1, 2);
    expect(Math.min(...weights)).toBeGreaterThan(0.3);
    const open = qx.slice(3).map((row) => cell(row, qx[0]!.indexOf('Q10'))).filter((t) => t !== '');
    expect(open.length).toBeGreaterThan(200);
    expect(new Set(open).size).toBeGreaterThan(100);
  });

  it('has ten interviews in the promised formats, with the participant and the interviewer speaking', async () => {
    expect(manifest.interviews.map((i) => path.extname(i.file)).sort()).toEqual(
      ['.docx', '.docx', '.srt', '.srt', '.txt', '.txt', '.txt', '.vtt', '.vtt', '.vtt'],
    );
    for (const interview of manifest.interviews) {
      const file = path.join(COMMITTED, interview.file);
      const id = interview.participant;
      if (interview.format === 'docx') {
        const { value } = await mammoth.extractRawText({ path: file });
        expect(value).toMatch(new RegExp(`^${id}: `, 'm'));
        expect(value).toMatch(/^Interviewer: /m);
        const words = value.split(/\s+/).filter(Boolean).length;
        expect(words).toBeGreaterThan(800);
        expect(words).toBeLessThan(1500);
        continue;
      }
      const text = fs.readFileSync(file, 'utf8');
      if (interview.format === 'vtt') {
        expect(text.startsWith('WEBVTT\n')).toBe(true);
        expect(text).toContain(`<v ${id}>`);
        expect(text).toContain('<v Interviewer>');
        expect(text).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/m);
      } else if (interview.format === 'srt') {
        expect(text).toMatch(/^1\r\n\d{2}:\d{2}:\d{2},\d{3} --> /);
        expect(text).toContain(`\r\n${id}: `);
        expect(text).toContain('\r\nInterviewer: ');
      } else {
        expect(text).toMatch(new RegExp(`^${id}: `, 'm'));
        expect(text).toMatch(/^INTERVIEWER: /m);
      }
      if (interview.language === 'en') {
        const spoken = text
          .split(/\r?\n/)
          .filter((line) => !line.includes('-->') && !/^\d+$/.test(line))
          .join(' ')
          .replace(/<[^>]+>/g, ' ');
        const words = spoken.split(/\s+/).filter(Boolean).length;
        expect(words, interview.file).toBeGreaterThan(800);
        expect(words, interview.file).toBeLessThan(1500);
      }
    }
  });

  it('one interview is in Chinese, with 模型管理 inside a sentence', () => {
    const zh = manifest.interviews.filter((i) => i.language === 'zh');
    expect(zh).toHaveLength(1);
    const text = fs.readFileSync(path.join(COMMITTED, zh[0]!.file), 'utf8');
    expect(text).toMatch(/[\p{Script=Han}]模型管理[\p{Script=Han}]/u);
    expect((text.match(/\p{Script=Han}/gu) ?? []).length).toBeGreaterThan(1000);
  });

  it('pins the dates inside the .docx packages', () => {
    for (const interview of manifest.interviews.filter((i) => i.format === 'docx')) {
      const entries = unzipSync(new Uint8Array(fs.readFileSync(path.join(COMMITTED, interview.file))));
      const core = strFromU8(entries['docProps/core.xml'] ?? new Uint8Array());
      expect(core).toContain('>2025-06-01T09:00:00Z</dcterms:created>');
      expect(core).toContain('>2025-06-01T09:00:00Z</dcterms:modified>');
    }
  });

  it('links participants to interviews, and a few to 2025 survey responses that agree with them', () => {
    const people = readCsv(SAMPLE_FILES.participants);
    expect(people[0]).toEqual(['participant', 'role', 'industry', 'country', 'company_size', 'experience', 'survey_response_id']);
    const rows = people.slice(1);
    expect(rows.map((r) => cell(r, 0))).toEqual(['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P09', 'P10']);
    expect(manifest.interviews.map((i) => i.participant)).toEqual(rows.map((r) => cell(r, 0)));
    for (const row of rows) expect(cell(row, 5)).toMatch(/^\d+ years$/);
    const qx = readCsv(SAMPLE_FILES.survey2025);
    const byId = new Map(qx.slice(3).map((row) => [cell(row, 4), row]));
    const linked = rows.filter((row) => cell(row, 6) !== '');
    expect(linked.length).toBeGreaterThanOrEqual(3);
    for (const row of linked) {
      const answer = byId.get(cell(row, 6));
      expect(answer, cell(row, 6)).toBeDefined();
      const col = (name: string) => qx[0]!.indexOf(name);
      expect([cell(answer, col('Q1')), cell(answer, col('Q2')), cell(answer, col('Q3')), cell(answer, col('Q4'))]).toEqual(row.slice(1, 5));
    }
  });

  it('has a two-level starter codebook and starter codings whose quotes occur in their documents', async () => {
    const codes = readCsv(SAMPLE_FILES.codebook);
    // Fieldbook's own codebook CSV: a tree by id / parent_id.
    expect(codes[0]).toEqual(['id', 'parent_id', 'name', 'color', 'shortcut', 'definition', 'inclusion', 'exclusion', 'keywords']);
    const ids = new Set(codes.slice(1).map((row) => cell(row, 0)));
    const names = new Set(codes.slice(1).map((row) => cell(row, 2)));
    expect(names.size).toBe(CODEBOOK.length);
    expect(names.size).toBeGreaterThanOrEqual(8);
    expect(codes.slice(1).filter((row) => cell(row, 1) !== '').length).toBeGreaterThanOrEqual(6);
    for (const row of codes.slice(1)) {
      if (cell(row, 1) !== '') expect(ids.has(cell(row, 1))).toBe(true);
      expect(cell(row, 3)).toMatch(/^#[0-9a-f]{6}$/);
      expect(cell(row, 5).length).toBeGreaterThan(10);
    }
    const codings = readCsv(SAMPLE_FILES.codings);
    expect(codings[0]).toEqual(['document', 'quote', 'code']);
    expect(codings.length - 1).toBeGreaterThanOrEqual(20);
    const documents = new Set<string>();
    for (const row of codings.slice(1)) {
      const file = path.join(COMMITTED, 'interviews', cell(row, 0));
      const text =
        path.extname(file) === '.docx' ? (await mammoth.extractRawText({ path: file })).value : fs.readFileSync(file, 'utf8');
      expect(text.includes(cell(row, 1)), `${cell(row, 0)}: ${cell(row, 1)}`).toBe(true);
      expect(names.has(cell(row, 2))).toBe(true);
      documents.add(cell(row, 0));
    }
    expect(documents.size).toBe(10);
  });
});
