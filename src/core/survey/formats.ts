import type { SurveyFormat } from './model';
import { plainText } from './infer';

/** What the header rows say about one column of the file. */
export interface ColumnHead {
  index: number;
  name: string;
  label: string;
  importId?: string;
  hint?: 'metadata' | 'id' | 'text' | 'date';
  /** Columns of one question (multi-select options, matrix rows, side-by-side parts). */
  group?: string;
  /** Within a group, the columns that are decided together as "one column per option" or not. */
  cluster?: string;
  groupLabel?: string;
  optionLabel?: string;
  /** For an "other, please specify" text column: the column it explains. */
  textFor?: string;
}

export type CsvFormat = Exclude<SurveyFormat, 'sav' | 'zsav' | 'por'>;

export const FORMAT_NAMES: CsvFormat[] = ['qualtrics', 'qualtrics-legacy', 'surveymonkey', 'surveymonkey-flat', 'google-forms', 'csv', 'tsv', 'xlsx'];

const IMPORT_ID = /^\{\s*["']ImportId["']\s*:\s*["']([^"']*)["']/;
const GOOGLE_TIMESTAMP = /^(timestamp|horodateur|zeitstempel|marca temporal|carimbo de data\/hora|informazioni cronologiche|tijdstempel|sygnatura czasowa)$/i;
const MONKEY_ID = /^respondent ?id$/i;

export function headerRowsOf(format: CsvFormat): number {
  if (format === 'qualtrics') return 3;
  if (format === 'qualtrics-legacy' || format === 'surveymonkey') return 2;
  return 1;
}

/** Which survey tool wrote the file, from its first rows. */
export function detectFormat(rows: string[][], plain: 'csv' | 'tsv' | 'xlsx'): CsvFormat {
  const [r1 = [], r2 = [], r3 = []] = rows;
  const r3cells = r3.filter((c) => c.trim() !== '');
  if (r3cells.length > 0 && r3cells.filter((c) => IMPORT_ID.test(c.trim())).length >= r3cells.length / 2) return 'qualtrics';
  if (r1[0]?.trim() === 'V1' && r1[1]?.trim() === 'V2') return 'qualtrics-legacy';
  if (r2.some((c) => c === 'Response' || c === 'Open-Ended Response') || (MONKEY_ID.test(r1[0]?.trim() ?? '') && r2[0]?.trim() === '' && r1.some((c) => c.trim() === ''))) {
    return 'surveymonkey';
  }
  if (MONKEY_ID.test(r1[0]?.trim() ?? '') && r1.some((c) => c.includes(' - '))) return 'surveymonkey-flat';
  if (GOOGLE_TIMESTAMP.test(r1[0]?.trim() ?? '')) return 'google-forms';
  return plain;
}

const QUALTRICS_META = new Set(
  [
    'StartDate', 'EndDate', 'Status', 'IPAddress', 'Progress', 'Duration (in seconds)', 'Finished', 'RecordedDate',
    'RecipientLastName', 'RecipientFirstName', 'RecipientEmail', 'ExternalReference', 'ExternalDataReference',
    'LocationLatitude', 'LocationLongitude', 'LocationAccuracy', 'DistributionChannel', 'UserLanguage', 'ResponseSet',
    'Name', 'EmailAddress', 'Q_RecaptchaScore', 'Q_RelevantIDDuplicate', 'Q_RelevantIDDuplicateScore',
    'Q_RelevantIDFraudScore', 'Q_RelevantIDLastStartDate', 'Q_TotalDuration', 'Q_Language',
  ].map((n) => n.toLowerCase()),
);
const QUALTRICS_ID = new Set(['responseid', '_recordid']);

function uniqueNames(heads: ColumnHead[]): void {
  const seen = new Map<string, number>();
  for (const head of heads) {
    const key = head.name.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) head.name = `${head.name}_${n}`;
  }
}

/** The shared start of the question texts, cut where a "-" joins question and option. */
function commonLabel(labels: string[]): { question: string; options: string[] } {
  if (labels.length < 2) return { question: labels[0] ?? '', options: labels.map(() => '') };
  let prefix = labels[0]!;
  for (const label of labels) {
    let i = 0;
    while (i < prefix.length && i < label.length && prefix[i] === label[i]) i++;
    prefix = prefix.slice(0, i);
  }
  const cut = prefix.lastIndexOf('-');
  const everyLabelLonger = labels.every((l) => l.length > prefix.length);
  if (cut > 0 && (everyLabelLonger || cut < prefix.length - 1)) {
    const question = prefix.slice(0, cut).trim();
    return { question, options: labels.map((l) => l.slice(cut + 1).trim()) };
  }
  if (labels.every((l) => l === prefix)) return { question: prefix.trim(), options: labels.map(() => '') };
  return { question: prefix.trim(), options: labels.map((l) => l.slice(prefix.length).replace(/^[\s-]+/, '').trim()) };
}

function applyGroups(heads: ColumnHead[]): void {
  const byGroup = new Map<string, ColumnHead[]>();
  for (const head of heads) {
    if (!head.group) continue;
    const list = byGroup.get(head.group) ?? [];
    list.push(head);
    byGroup.set(head.group, list);
  }
  for (const [, members] of byGroup) {
    const answerColumns = members.filter((m) => !m.textFor);
    if (members.length < 2 || answerColumns.length < 1) {
      for (const m of members) if (!m.textFor) delete m.group;
      continue;
    }
    if (answerColumns.length < 2 && !members.some((m) => m.textFor)) {
      for (const m of members) delete m.group;
      continue;
    }
    const { question, options } = commonLabel(members.map((m) => m.label));
    members.forEach((m, i) => {
      m.groupLabel = question || m.label;
      if (m.optionLabel === undefined && options[i]) m.optionLabel = options[i];
    });
  }
}

function qualtricsHeads(rows: string[][], legacy: boolean): ColumnHead[] {
  const [names = [], labels = [], ids = []] = rows;
  const width = Math.max(names.length, labels.length);
  const heads: ColumnHead[] = [];
  for (let i = 0; i < width; i++) {
    let name = (names[i] ?? '').trim();
    const label = (labels[i] ?? '').trim();
    // Legacy exports name metadata V1..V10; the second row has the real names.
    if (legacy && /^V\d+$/.test(name) && label) name = label;
    if (name === '' && label === '') continue;
    const head: ColumnHead = { index: i, name: name || label, label: label || name };
    const importId = IMPORT_ID.exec((ids[i] ?? '').trim())?.[1];
    if (importId !== undefined) head.importId = importId;
    const lower = head.name.toLowerCase();
    if (QUALTRICS_ID.has(lower) || importId === '_recordId' || importId === 'responseId') head.hint = 'id';
    else if (QUALTRICS_META.has(lower) || (importId !== undefined && !/^QID/i.test(importId)) || / - Topics$/.test(head.name)) head.hint = 'metadata';
    else {
      const text = /^(.*?)_(\d+_)?TEXT$/.exec(head.name);
      if (text || (importId && /[-_]TEXT$/i.test(importId))) {
        head.hint = 'text';
        if (text) {
          head.textFor = text[2] ? `${text[1]}_${text[2].slice(0, -1)}` : text[1]!;
          head.group = text[1]!.split('#')[0]!.replace(/_\d+$/, '');
        }
      } else {
        const sbs = /^(.+?)#(\d+)_(.+)$/.exec(head.name);
        const option = /^(.+)_(\d+)$/.exec(head.name);
        if (sbs) {
          head.group = sbs[1]!;
          head.cluster = `${sbs[1]}#${sbs[2]}`;
        } else if (option) {
          head.group = option[1]!;
        }
      }
    }
    heads.push(head);
  }
  // Tie "other, please specify" text to its question, even when the question is one column.
  for (const head of heads) {
    if (!head.textFor || !head.group) continue;
    const owner = heads.find((h) => h.name === head.textFor || h.name === head.group);
    if (owner && !owner.group && !owner.hint) owner.group = head.group;
  }
  uniqueNames(heads);
  applyGroups(heads);
  return heads;
}

const MONKEY_META = /^(respondent ?id|collector ?id|start ?date|end ?date|ip address|email address|first name|last ?name|custom data( \d+)?)$/i;

function surveyMonkeyHeads(rows: string[][]): ColumnHead[] {
  const [questions = [], answers = []] = rows;
  const width = Math.max(questions.length, answers.length);
  const heads: ColumnHead[] = [];
  let question = '';
  let q = 0;
  let start = 0;
  const spans: { q: number; start: number; end: number }[] = [];
  for (let i = 0; i < width; i++) {
    const cell = (questions[i] ?? '').trim();
    // A blank first-row cell continues the question to its left.
    if (cell !== '' || i === 0) {
      if (i > 0) spans.push({ q, start, end: i });
      question = cell;
      // Respondent metadata does not take a question number.
      if (!MONKEY_META.test(cell)) q++;
      start = i;
    }
    const answer = (answers[i] ?? '').trim();
    const head: ColumnHead = { index: i, name: '', label: plainText(question) };
    if (MONKEY_META.test(question)) {
      head.name = question.replace(/\s+/g, '');
      head.hint = /^respondent ?id$/i.test(question) ? 'id' : 'metadata';
    } else {
      head.name = `Q${q}`;
      if (answer === 'Open-Ended Response') head.hint = 'text';
      else if (answer && answer !== 'Response') head.optionLabel = answer;
    }
    heads.push(head);
  }
  spans.push({ q, start, end: width });
  for (const span of spans) {
    if (span.end - span.start < 2) continue;
    let j = 0;
    for (let i = span.start; i < span.end; i++) {
      const head = heads[i]!;
      if (head.hint === 'id' || head.hint === 'metadata') continue;
      j++;
      head.group = `Q${span.q}`;
      head.groupLabel = head.label;
      head.name = `Q${span.q}_${j}`;
      if (/other \(please specify\)|please specify/i.test(head.optionLabel ?? '') || head.hint === 'text') {
        head.hint = 'text';
        head.textFor = `Q${span.q}`;
      }
    }
  }
  uniqueNames(heads);
  return heads;
}

function flatHeads(rows: string[][], format: CsvFormat): ColumnHead[] {
  const [names = []] = rows;
  const heads: ColumnHead[] = [];
  const questionNumbers = new Map<string, number>();
  let q = 0;
  names.forEach((raw, i) => {
    const text = plainText(raw);
    if (text === '') return;
    const head: ColumnHead = { index: i, name: text, label: text };
    if (format === 'surveymonkey-flat') {
      if (MONKEY_META.test(text)) {
        head.name = text.replace(/\s+/g, '');
        head.hint = /^respondent ?id$/i.test(text) ? 'id' : 'metadata';
      } else {
        const cut = text.lastIndexOf(' - ');
        const question = cut > 0 ? text.slice(0, cut) : text;
        const option = cut > 0 ? text.slice(cut + 3) : '';
        let n = questionNumbers.get(question);
        if (n === undefined) questionNumbers.set(question, (n = ++q));
        head.name = `Q${n}`;
        head.label = question;
        if (option === 'Open-Ended Response') head.hint = 'text';
        else if (option && option !== 'Response') {
          head.group = `Q${n}`;
          head.optionLabel = option;
        }
      }
    } else if (format === 'google-forms') {
      if (i === 0 && GOOGLE_TIMESTAMP.test(text)) {
        head.hint = 'date';
        head.name = 'Timestamp';
      } else {
        // Grid questions come as "Question [Row]".
        const grid = /^(.*\S)\s*\[(.+)\]$/.exec(text);
        let question = text;
        if (grid) {
          question = grid[1]!;
          head.optionLabel = grid[2]!;
        }
        let n = questionNumbers.get(question);
        if (n === undefined) questionNumbers.set(question, (n = ++q));
        head.name = grid ? `Q${n}` : `Q${n}`;
        head.label = question;
        if (grid) head.group = `Q${n}`;
      }
    }
    heads.push(head);
  });
  // Options of one question get numbered names (Q3_1, Q3_2...).
  const counters = new Map<string, number>();
  for (const head of heads) {
    if (!head.group) continue;
    const n = (counters.get(head.group) ?? 0) + 1;
    counters.set(head.group, n);
    head.name = `${head.group}_${n}`;
    head.groupLabel = head.label;
  }
  for (const [group, count] of counters) {
    if (count < 2) for (const head of heads) if (head.group === group) delete head.group;
  }
  uniqueNames(heads);
  return heads;
}

function plainHeads(rows: string[][]): ColumnHead[] {
  const [names = []] = rows;
  const heads: ColumnHead[] = [];
  names.forEach((raw, i) => {
    const text = raw.trim();
    // A trailing delimiter makes a nameless, empty last column: no question.
    if (text === '' && i === names.length - 1) return;
    heads.push({ index: i, name: text || `column_${i + 1}`, label: text });
  });
  uniqueNames(heads);
  return heads;
}

export function columnHeads(format: CsvFormat, rows: string[][]): ColumnHead[] {
  switch (format) {
    case 'qualtrics':
      return qualtricsHeads(rows, false);
    case 'qualtrics-legacy':
      return qualtricsHeads(rows, true);
    case 'surveymonkey':
      return surveyMonkeyHeads(rows);
    case 'surveymonkey-flat':
    case 'google-forms':
      return flatHeads(rows, format);
    default:
      return plainHeads(rows);
  }
}
