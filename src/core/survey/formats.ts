import { FieldbookError } from '../../shared/errors';
import type { SurveyFormat } from './model';
import { parseDate, plainText } from './infer';

/** What the header rows say about one column of the file. */
export interface ColumnHead {
  index: number;
  name: string;
  label: string;
  importId?: string;
  hint?: 'metadata' | 'id' | 'text' | 'date';
  /** Why the header rows give that hint, in plain words ("a Qualtrics respondent field"). */
  hintReason?: string;
  /** Columns of one question (multi-select options, matrix rows, side-by-side parts). */
  group?: string;
  /** Within a group, the columns that are decided together as "one column per option" or not. */
  cluster?: string;
  groupLabel?: string;
  optionLabel?: string;
  /** For an "other, please specify" text column: the column it explains. */
  textFor?: string;
  /**
   * The group is only a guess from a blank header cell continuing the column to its left: kept
   * when the columns turn out to be one multi-select, dropped otherwise.
   */
  tentative?: boolean;
  /**
   * The last column has no name: a trailing delimiter's empty column, or a column of answers whose
   * header cell was left blank. Dropped when it holds nothing, else kept with a warning.
   */
  unnamedLast?: boolean;
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
  if (isImportIdRow(r3)) return 'qualtrics';
  if (r1[0]?.trim() === 'V1' && r1[1]?.trim() === 'V2') return 'qualtrics-legacy';
  if (isQualtricsLegacy(r1, r2, r3)) return 'qualtrics-legacy';
  if (r2.some((c) => c === 'Response' || c === 'Open-Ended Response') || (MONKEY_ID.test(r1[0]?.trim() ?? '') && r2[0]?.trim() === '' && r1.some((c) => c.trim() === ''))) {
    return 'surveymonkey';
  }
  if (MONKEY_ID.test(r1[0]?.trim() ?? '') && r1.some((c) => c.includes(' - '))) return 'surveymonkey-flat';
  // One header row whose question text stands only over the first of its option columns.
  if (MONKEY_ID.test(r1[0]?.trim() ?? '') && blankInside(r1) && (r2[0]?.trim() ?? '') !== '') return 'surveymonkey-flat';
  if (GOOGLE_TIMESTAMP.test(r1[0]?.trim() ?? '')) return 'google-forms';
  return plain;
}

/** A row of `{"ImportId": ...}` cells (at least half of its non-empty cells). */
function isImportIdRow(row: string[]): boolean {
  const cells = row.filter((c) => c.trim() !== '');
  return cells.length > 0 && cells.filter((c) => IMPORT_ID.test(c.trim())).length >= cells.length / 2;
}

/** A blank cell after a named one and before the end (a trailing delimiter's blank does not count). */
function blankInside(row: string[]): boolean {
  let last = row.length - 1;
  while (last >= 0 && row[last]!.trim() === '') last--;
  for (let i = 1; i < last; i++) if (row[i]!.trim() === '') return true;
  return false;
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[\s_()-]/g, '');
}

const DATE_FIELD = /^(startdate|enddate|recordeddate)$/i;
const ID_FIELD = /^(responseid|_recordid)$/i;

/**
 * Qualtrics' older export: two header rows, names in the first (V1, V2... or the real names:
 * ResponseID, StartDate, Q1...) and the question texts in the second, with no ImportId row. Told
 * apart from a plain CSV by the respondent fields: under them the second row holds names
 * ("Start Date", "ResponseID"), not answers (a date, "R_1x…").
 */
function isQualtricsLegacy(r1: string[], r2: string[], r3: string[]): boolean {
  let header = 0;
  let answers = 0;
  r1.forEach((cell, i) => {
    const name = cell.trim();
    if (!qualtricsField(name)) return;
    const below = (r2[i] ?? '').trim();
    const after = (r3[i] ?? '').trim();
    if (below === '') return;
    if (squash(below) === squash(name) || QUALTRICS_LABELS.has(squash(below))) header++;
    else if (DATE_FIELD.test(name)) {
      if (!Number.isNaN(parseDate(below))) answers++;
      else if (!Number.isNaN(parseDate(after))) header++;
    } else if (ID_FIELD.test(name)) {
      if (/^R_\w+$/.test(below)) answers++;
      else if (/^R_\w+$/.test(after)) header++;
    }
  });
  return header >= 2 && header > answers;
}

/** English labels Qualtrics writes under its respondent fields (squashed: lower case, no spaces). */
const QUALTRICS_LABELS = new Set(['responsetype', 'responseid', 'recordeddate', 'startdate', 'enddate', 'ipaddress', 'durationinseconds', 'externaldatareference', 'recipientemail']);

const QUALTRICS_META = new Set(
  [
    'StartDate', 'EndDate', 'Status', 'IPAddress', 'Progress', 'Duration (in seconds)', 'Finished', 'RecordedDate',
    'ExternalReference', 'ExternalDataReference', 'DistributionChannel', 'UserLanguage', 'ResponseSet',
    'Name', 'EmailAddress', 'Q_RecaptchaScore', 'Q_RelevantIDDuplicate', 'Q_RelevantIDDuplicateScore',
    'Q_RelevantIDFraudScore', 'Q_RelevantIDLastStartDate', 'Q_TotalDuration', 'Q_Language', 'Q_BallotBoxStuffing',
    'Q_DuplicateRespondent', 'Q_URL', 'Q_CHL',
  ].map((n) => n.toLowerCase()),
);
/** Qualtrics' ImportIds of the same fields (lower case; "panel-" and "Location-" prefixes dropped). */
const QUALTRICS_META_IDS = new Set(
  [
    'startDate', 'endDate', 'status', 'ipAddress', 'progress', 'duration', 'finished', 'recordedDate', 'responseSetId',
    'externalDataReference', 'distributionChannel', 'userLanguage', 'recipientLastName', 'recipientFirstName',
    'recipientEmail', 'locationLatitude', 'locationLongitude', 'locationAccuracy', 'LocationLatitude', 'LocationLongitude',
    'LocationAccuracy', 'RecipientLastName', 'RecipientFirstName', 'RecipientEmail', 'ExternalDataReference',
  ].map((n) => n.toLowerCase()),
);
const QUALTRICS_ID = new Set(['responseid', '_recordid']);
const RECIPIENT_OR_LOCATION = /^(recipient(first|last)?(name|email)|location(latitude|longitude|accuracy))$/i;
/** Text iQ's columns beside an open question ("Q2 - Topics", "Q2 - Sentiment Polarity"...). */
const TEXT_IQ = / - (Topics|Parent Topics|Sentiment|Sentiment Polarity|Sentiment Score|Topic Sentiment Label|Topic Sentiment Score|Actionability|Emotion|Emotion Intensity|Effort|Effort Numeric)$/;

/** One of Qualtrics' own respondent fields, by its column name. */
function qualtricsField(name: string): boolean {
  const lower = name.toLowerCase();
  return QUALTRICS_META.has(lower) || QUALTRICS_ID.has(lower) || RECIPIENT_OR_LOCATION.test(name);
}

function qualtricsFieldId(importId: string): boolean {
  return QUALTRICS_META_IDS.has(importId.toLowerCase().replace(/^(panel|location)-/, ''));
}

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
    // Only Qualtrics' own respondent fields are metadata; embedded data, renamed questions and
    // ImportIds rewritten by other tools are typed from their answers like any question.
    if (QUALTRICS_ID.has(lower) || importId === '_recordId' || importId === 'responseId') {
      head.hint = 'id';
      head.hintReason = 'the Qualtrics response id';
    } else if (qualtricsField(head.name) || (importId !== undefined && qualtricsFieldId(importId))) {
      head.hint = 'metadata';
      head.hintReason = 'a Qualtrics respondent field';
    } else if (TEXT_IQ.test(head.name) || (importId !== undefined && /_TEXT_\w*(Topics|Sentiment\w*)$/i.test(importId))) {
      head.hint = 'metadata';
      head.hintReason = "Qualtrics Text iQ's analysis of an open question";
    } else {
      const text = /^(.*?)_(\d+_)?TEXT$/.exec(head.name);
      if (text || (importId && /[-_]TEXT$/i.test(importId))) {
        head.hint = 'text';
        head.hintReason = 'a Qualtrics text-entry box';
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
const OTHER_SPECIFY = /other \(please specify\)|please specify|other \(specify\)/i;

function monkeyField(head: ColumnHead, text: string): void {
  const id = /^respondent ?id$/i.test(text);
  head.hint = id ? 'id' : 'metadata';
  head.hintReason = id ? 'the SurveyMonkey respondent id' : 'a SurveyMonkey respondent field';
}

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
      monkeyField(head, question);
    } else {
      head.name = `Q${q}`;
      if (answer === 'Open-Ended Response') {
        head.hint = 'text';
        head.hintReason = 'SurveyMonkey marks it an open-ended response';
      } else if (answer && answer !== 'Response') head.optionLabel = answer;
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
      if (OTHER_SPECIFY.test(head.optionLabel ?? '') || head.hint === 'text') {
        head.hint = 'text';
        head.hintReason ??= 'the written answer of "other, please specify"';
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
    if (text === '') {
      // SurveyMonkey flattened to one header row: the question stands only over its first option
      // column, the other option columns have blank names.
      const left = heads[heads.length - 1];
      if (format === 'surveymonkey-flat' && left && left.index === i - 1 && !left.hint && i < names.length - 1) {
        left.group ??= left.name;
        heads.push({ index: i, name: left.name, label: left.label, group: left.group });
      }
      return;
    }
    const head: ColumnHead = { index: i, name: text, label: text };
    if (format === 'surveymonkey-flat') {
      if (MONKEY_META.test(text)) {
        head.name = text.replace(/\s+/g, '');
        monkeyField(head, text);
      } else {
        const cut = text.lastIndexOf(' - ');
        const question = cut > 0 ? text.slice(0, cut) : text;
        const option = cut > 0 ? text.slice(cut + 3) : '';
        let n = questionNumbers.get(question);
        if (n === undefined) questionNumbers.set(question, (n = ++q));
        head.name = `Q${n}`;
        head.label = question;
        if (option === 'Open-Ended Response') {
          head.hint = 'text';
          head.hintReason = 'SurveyMonkey marks it an open-ended response';
        } else if (option && option !== 'Response') {
          head.group = `Q${n}`;
          head.optionLabel = option;
          if (OTHER_SPECIFY.test(option)) {
            head.hint = 'text';
            head.hintReason = 'the written answer of "other, please specify"';
            head.textFor = `Q${n}`;
          }
        }
      }
    } else if (format === 'google-forms') {
      if (i === 0 && GOOGLE_TIMESTAMP.test(text)) {
        head.hint = 'date';
        head.hintReason = "the form's timestamp";
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
        head.name = `Q${n}`;
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
    // A trailing delimiter makes a nameless last column: no question unless it holds answers.
    if (text === '' && i === names.length - 1 && i > 0) {
      heads.push({ index: i, name: `column_${i + 1}`, label: '', unnamedLast: true });
      return;
    }
    const head: ColumnHead = { index: i, name: text || `column_${i + 1}`, label: text };
    // A blank name right after a named column may continue its question (one column per option).
    const left = heads[heads.length - 1];
    if (text === '' && left && left.index === i - 1 && (left.label !== '' || left.tentative)) {
      left.group ??= left.name;
      left.tentative = true;
      head.group = left.group;
      head.label = left.label;
      head.tentative = true;
    }
    heads.push(head);
  });
  for (const head of heads) if (head.group) head.groupLabel = head.label;
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

const FORMAT_WORDS: Record<CsvFormat, string> = {
  qualtrics: 'a Qualtrics export (3 header rows)',
  'qualtrics-legacy': 'an older Qualtrics export (2 header rows)',
  surveymonkey: 'a SurveyMonkey export (2 header rows)',
  'surveymonkey-flat': 'a SurveyMonkey export with one header row',
  'google-forms': 'a Google Forms export',
  csv: 'a plain CSV (1 header row)',
  tsv: 'a plain TSV (1 header row)',
  xlsx: 'a plain sheet (1 header row)',
};

const NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;
const isValue = (cell: string) => NUMBER.test(cell) || !Number.isNaN(parseDate(cell));

/**
 * The second row holds a respondent's answers, not question texts: a date under StartDate, an R_
 * id, a number under Respondent ID, or numbers and dates where the third row has them too.
 */
function holdsAnswers(r1: string[], r2: string[], r3: string[] | undefined): boolean {
  let answers = 0;
  let names = 0;
  r1.forEach((cell, i) => {
    const name = cell.trim();
    const below = (r2[i] ?? '').trim();
    const after = (r3?.[i] ?? '').trim();
    if (below === '') return;
    if (squash(below) === squash(name) || QUALTRICS_LABELS.has(squash(below))) names++;
    else if (DATE_FIELD.test(name) && !Number.isNaN(parseDate(below))) answers++;
    else if (ID_FIELD.test(name) && /^R_\w+$/.test(below)) answers++;
    else if (MONKEY_ID.test(name) && /^\d+$/.test(below)) answers++;
    else if (after !== '' && isValue(after)) {
      if (isValue(below)) answers++;
      else names++;
    }
  });
  return answers > names;
}

/**
 * A format the user chose that does not fit the file's first rows. Read with too many header
 * rows, a respondent would be lost: that is refused, naming the line. Read with too few, a header
 * row would count as a respondent: that is said in a warning naming the line (the user may know
 * better than the detection). `lines` are the file lines of `rows`.
 */
export function formatMismatch(
  forced: CsvFormat,
  rows: string[][],
  lines: number[],
  display: string,
  file: string,
): { error?: FieldbookError; warning?: string } {
  const [r1 = [], r2 = [], r3] = rows;
  const detected = detectFormat(rows, forced === 'tsv' ? 'tsv' : forced === 'xlsx' ? 'xlsx' : 'csv');
  const otherwise = detected === forced ? 'let Fieldbook detect the format' : `import it as ${detected} (it looks like ${FORMAT_WORDS[detected]}), or let Fieldbook detect the format`;
  const lineOf = (row: number) => lines[row] ?? row + 1;
  if (forced === 'qualtrics' && r3 && !isImportIdRow(r3)) {
    const line = lineOf(2);
    return {
      error: new FieldbookError(
        'PARSE_ERROR',
        `${display}, line ${line}: read as ${FORMAT_WORDS.qualtrics}, this line would be the ImportId row, but it has no {"ImportId": …} cells: the respondent on it would be lost. Choose another format: ${otherwise}.`,
        { file, line },
      ),
    };
  }
  if (headerRowsOf(forced) === 2 && holdsAnswers(r1, r2, r3)) {
    const line = lineOf(1);
    return {
      error: new FieldbookError(
        'PARSE_ERROR',
        `${display}, line ${line}: read as ${FORMAT_WORDS[forced]}, this line would be the question-text row, but it holds a respondent's answers: that respondent would be lost. Choose another format: ${otherwise}.`,
        { file, line },
      ),
    };
  }
  const expected = headerRowsOf(detected);
  if (headerRowsOf(forced) < expected) {
    const first = headerRowsOf(forced);
    const rowsSaid = first === expected - 1 ? `line ${lineOf(first)}, a header row there, counts` : `lines ${lineOf(first)}-${lineOf(expected - 1)}, header rows there, count`;
    return { warning: `The file looks like ${FORMAT_WORDS[detected]}; read as ${forced}, ${rowsSaid} as respondents.` };
  }
  return {};
}
