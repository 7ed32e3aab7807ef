import type {
  AgreementDisagreement,
  AgreementReport,
  AgreementStats,
  AgreementUnitKind,
} from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import type { Project } from '../store/project';
import { getCodeRow } from './codebook';
import { runOperation } from '../history/history';
import { applyCodingWith, DocumentTexts, removeCodingWith } from './segments';

/**
 * Inter-coder agreement on units (turns, answers or sentences), never on characters: counting
 * uncoded characters as "agreement" inflates κ in tools that do so. The statistics are plain
 * functions so they can be checked against published values.
 */

/** Cohen's κ from a square table (rows: coder A's category, columns: coder B's). */
export function cohensKappa(table: number[][]): number | null {
  const k = table.length;
  let n = 0;
  let diagonal = 0;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  table.forEach((row, i) => {
    if (row.length !== k) throw new FieldbookError('INVALID_INPUT', 'Cohen’s κ needs a square table.');
    row.forEach((v, j) => {
      n += v;
      rows[i]! += v;
      cols[j]! += v;
      if (i === j) diagonal += v;
    });
  });
  if (n === 0) return null;
  const po = diagonal / n;
  let pe = 0;
  for (let i = 0; i < k; i++) pe += (rows[i]! / n) * (cols[i]! / n);
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

/**
 * Krippendorff's α for nominal data. `data[coder][unit]` is a value or null (missing); units
 * with fewer than two values are unpairable and ignored, as in Krippendorff (2011).
 */
export function krippendorffAlphaNominal<T extends string | number>(data: (T | null)[][]): number | null {
  const unitCount = data.reduce((m, row) => Math.max(m, row.length), 0);
  const coincidence = new Map<string, number>();
  const totals = new Map<T, number>();
  let n = 0;
  let disagreeing = 0;
  for (let u = 0; u < unitCount; u++) {
    const values: T[] = [];
    for (const row of data) {
      const v = row[u];
      if (v !== null && v !== undefined) values.push(v);
    }
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const weight = 1 / (m - 1);
        const a = values[i]!;
        const b = values[j]!;
        const key = `${String(a)}\u0000${String(b)}`;
        coincidence.set(key, (coincidence.get(key) ?? 0) + weight);
        if (a !== b) disagreeing += weight;
      }
      const a = values[i]!;
      totals.set(a, (totals.get(a) ?? 0) + 1);
      n += 1;
    }
  }
  if (n <= 1) return null;
  let expected = 0;
  const values = [...totals.entries()];
  for (const [a, na] of values) for (const [b, nb] of values) if (a !== b) expected += na * nb;
  if (expected === 0) return null;
  return 1 - ((n - 1) * disagreeing) / expected;
}

export interface FleissResult {
  kappa: number | null;
  pBar: number;
  peBar: number;
}

/** Fleiss' κ from counts[subject][category] (how many raters put the subject in each category). */
export function fleissKappa(counts: number[][]): FleissResult | null {
  const subjects = counts.filter((row) => row.reduce((a, b) => a + b, 0) >= 2);
  if (subjects.length === 0) return null;
  const categories = subjects[0]!.length;
  const raters = subjects[0]!.reduce((a, b) => a + b, 0);
  if (subjects.some((row) => row.reduce((a, b) => a + b, 0) !== raters)) {
    throw new FieldbookError('INVALID_INPUT', 'Fleiss’ κ needs the same number of ratings for every subject.');
  }
  const totals = new Array<number>(categories).fill(0);
  let pSum = 0;
  for (const row of subjects) {
    let squares = 0;
    row.forEach((v, j) => {
      totals[j]! += v;
      squares += v * v;
    });
    pSum += (squares - raters) / (raters * (raters - 1));
  }
  const pBar = pSum / subjects.length;
  const peBar = totals.reduce((acc, t) => acc + (t / (subjects.length * raters)) ** 2, 0);
  return { kappa: peBar === 1 ? null : (pBar - peBar) / (1 - peBar), pBar, peBar };
}

/** Items judged by at least two coders where every present coder gave the same value. */
export function percentAgreement<T>(data: (T | null)[][]): number | null {
  const unitCount = data.reduce((m, row) => Math.max(m, row.length), 0);
  let pairable = 0;
  let agreed = 0;
  for (let u = 0; u < unitCount; u++) {
    const values = data.map((row) => row[u]).filter((v): v is T => v !== null && v !== undefined);
    if (values.length < 2) continue;
    pairable++;
    if (values.every((v) => v === values[0])) agreed++;
  }
  return pairable === 0 ? null : agreed / pairable;
}

/** All four statistics for binary items (1 = code applied, 0 = not, null = coder did not judge). */
export function agreementStats(data: (0 | 1 | null)[][]): AgreementStats {
  const unitCount = data.reduce((m, row) => Math.max(m, row.length), 0);
  let units = 0;
  const table = [
    [0, 0],
    [0, 0],
  ];
  const fleiss: number[][] = [];
  for (let u = 0; u < unitCount; u++) {
    const values = data.map((row) => row[u] ?? null);
    const present = values.filter((v): v is 0 | 1 => v !== null);
    if (present.length >= 2) units++;
    if (data.length === 2 && values[0] != null && values[1] != null) table[values[0]]![values[1]]! += 1;
    if (present.length === data.length) {
      const ones = present.filter((v) => v === 1).length;
      fleiss.push([present.length - ones, ones]);
    }
  }
  return {
    units,
    percentAgreement: percentAgreement(data),
    cohensKappa: data.length === 2 ? cohensKappa(table) : null,
    krippendorffAlpha: krippendorffAlphaNominal(data),
    fleissKappa: fleissKappa(fleiss)?.kappa ?? null,
  };
}

interface Unit {
  documentId: number;
  start: number;
  end: number;
}

const SENTENCE = /[^.!?…。！？\n]+(?:[.!?…。！？]+|\n|$)/g;

function sentenceUnits(documentId: number, text: string, start: number, end: number): Unit[] {
  const out: Unit[] = [];
  const slice = text.slice(start, end);
  for (const match of slice.matchAll(SENTENCE)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (!body) continue;
    const s = start + (match.index ?? 0) + lead;
    out.push({ documentId, start: s, end: s + body.length });
  }
  return out;
}

/** A document's units: its turns (answers in open-ended survey documents), or paragraphs when it has none. */
function documentUnits(project: Project, documentId: number, text: string, kind: AgreementUnitKind): Unit[] {
  let spans = (
    project.db.prepare('SELECT start_char AS start, end_char AS end FROM turn WHERE document_id = ? ORDER BY start_char').all(documentId) as {
      start: number;
      end: number;
    }[]
  ).filter((t) => t.end > t.start);
  if (spans.length === 0) {
    spans = [];
    for (const m of text.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g)) {
      if (m[0].trim()) spans.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    }
  }
  if (kind === 'turn') return spans.map((s) => ({ documentId, ...s }));
  return spans.flatMap((s) => sentenceUnits(documentId, text, s.start, s.end));
}

function overlapsText(text: string, a: number, b: number, us: number, ue: number): boolean {
  const from = Math.max(a, us);
  const to = Math.min(b, ue);
  // A selection that spills a newline or space into the next unit does not code that unit.
  return to > from && /\S/.test(text.slice(from, to));
}

/**
 * A coder that is not a person (Fieldbook's suggestions): its codings, and the documents it judged
 * (every unit of them: where it applied no code, it said "not this code").
 */
export interface MachineCoder {
  name: string;
  codings: { documentId: number; start: number; end: number; codeId: number }[];
  documentIds: number[];
}

/** The machine coder's id in a report (coder ids in the file start at 1). */
export const MACHINE_CODER_ID = 0;

export function runAgreement(
  project: Project,
  input: { coderIds: number[]; unit?: AgreementUnitKind; codeIds?: number[]; documentIds?: number[] },
  machine?: MachineCoder,
): AgreementReport {
  const humanIds = [...new Set(input.coderIds)];
  if (humanIds.length + (machine ? 1 : 0) < 2) throw new FieldbookError('INVALID_INPUT', 'Choose at least two different coders.', { field: 'coderIds' });
  const coders = humanIds.map((id) => {
    const row = project.db.prepare('SELECT id, name FROM coder WHERE id = ?').get(id) as { id: number; name: string } | undefined;
    if (!row) throw new FieldbookError('NOT_FOUND', `There is no coder number ${id}.`, { field: 'coderIds' });
    return row;
  });
  const unitKind = input.unit ?? 'turn';
  const codings = project.db
    .prepare(
      `SELECT s.document_id AS documentId, s.start_char AS start, s.end_char AS end, c.code_id AS codeId, c.coder_id AS coderId
         FROM coding c JOIN segment s ON s.id = c.segment_id WHERE c.coder_id IN (${humanIds.join(',')})`,
    )
    .all() as { documentId: number; start: number; end: number; codeId: number; coderId: number }[];
  const coderIds = machine ? [...humanIds, MACHINE_CODER_ID] : humanIds;
  if (machine) {
    coders.push({ id: MACHINE_CODER_ID, name: machine.name });
    for (const c of machine.codings) codings.push({ ...c, coderId: MACHINE_CODER_ID });
  }
  const documentIds = input.documentIds ? [...new Set(input.documentIds)] : [...new Set(codings.map((c) => c.documentId))].sort((a, b) => a - b);
  const codeNames = new Map(
    (project.db.prepare('SELECT id, name FROM code').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]),
  );
  const codeIds = input.codeIds
    ? [...new Set(input.codeIds)]
    : [...new Set(codings.filter((c) => documentIds.includes(c.documentId)).map((c) => c.codeId))].sort(
        (a, b) => (codeNames.get(a) ?? '').localeCompare(codeNames.get(b) ?? '') || a - b,
      );
  for (const id of codeIds) if (!codeNames.has(id)) throw new FieldbookError('NOT_FOUND', `There is no code number ${id}.`, { field: 'codeIds' });

  const units: Unit[] = [];
  const unitTexts: string[] = [];
  const documentNames = new Map<number, string>();
  // judged[coder] = documents in which that coder made any coding: elsewhere their answer is missing.
  const judged = new Map<number, Set<number>>(coderIds.map((id) => [id, new Set<number>()]));
  for (const c of codings) judged.get(c.coderId)!.add(c.documentId);
  for (const d of machine?.documentIds ?? []) judged.get(MACHINE_CODER_ID)!.add(d);
  // applied[code][coder] = set of unit indexes.
  const applied = new Map<number, Map<number, Set<number>>>(codeIds.map((id) => [id, new Map(coderIds.map((c) => [c, new Set<number>()]))]));
  const byDocument = new Map<number, typeof codings>();
  for (const c of codings) {
    const list = byDocument.get(c.documentId) ?? [];
    list.push(c);
    byDocument.set(c.documentId, list);
  }
  for (const documentId of documentIds) {
    const doc = project.db.prepare('SELECT name, text FROM document WHERE id = ?').get(documentId) as { name: string; text: string } | undefined;
    if (!doc) throw new FieldbookError('NOT_FOUND', `There is no document number ${documentId}.`, { field: 'documentIds' });
    documentNames.set(documentId, doc.name);
    const first = units.length;
    const docUnits = documentUnits(project, documentId, doc.text, unitKind);
    for (const u of docUnits) {
      units.push(u);
      unitTexts.push(doc.text.slice(u.start, u.end));
    }
    for (const c of byDocument.get(documentId) ?? []) {
      const perCoder = applied.get(c.codeId)?.get(c.coderId);
      if (!perCoder) continue;
      // Units are sorted and do not overlap: find the first that ends after the quote starts.
      let lo = 0;
      let hi = docUnits.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (docUnits[mid]!.end <= c.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < docUnits.length && docUnits[i]!.start < c.end; i++) {
        const u = docUnits[i]!;
        if (overlapsText(doc.text, c.start, c.end, u.start, u.end)) perCoder.add(first + i);
      }
    }
  }

  const pooled: (0 | 1 | null)[][] = coderIds.map(() => []);
  const perCode: AgreementReport['perCode'] = [];
  const disagreements: AgreementDisagreement[] = [];
  for (const codeId of codeIds) {
    const data: (0 | 1 | null)[][] = coderIds.map((coderId) => {
      const mine = applied.get(codeId)!.get(coderId)!;
      const seen = judged.get(coderId)!;
      return units.map((u, i) => (seen.has(u.documentId) ? (mine.has(i) ? 1 : 0) : null));
    });
    data.forEach((row, r) => pooled[r]!.push(...row));
    perCode.push({ codeId, codeName: codeNames.get(codeId) ?? '', ...agreementStats(data) });
    units.forEach((u, i) => {
      const present = coderIds.filter((_, r) => data[r]![i] !== null);
      if (present.length < 2) return;
      const appliedBy = present.filter((id) => data[coderIds.indexOf(id)]![i] === 1);
      if (appliedBy.length === 0 || appliedBy.length === present.length) return;
      disagreements.push({
        documentId: u.documentId,
        documentName: documentNames.get(u.documentId) ?? '',
        unitStart: u.start,
        unitEnd: u.end,
        text: unitTexts[i]!,
        codeId,
        codeName: codeNames.get(codeId) ?? '',
        appliedBy,
        notAppliedBy: present.filter((id) => !appliedBy.includes(id)),
      });
    });
  }
  disagreements.sort((a, b) => a.documentName.localeCompare(b.documentName) || a.documentId - b.documentId || a.unitStart - b.unitStart);
  return {
    coders,
    unit: unitKind,
    documents: documentIds.length,
    overall: agreementStats(pooled),
    perCode,
    disagreements,
  };
}

/**
 * Resolves a disagreement on one unit for a set of coders, as one undoable operation: "apply"
 * gives the code to the unit for every coder who lacks it; "remove" takes away every coding of
 * that code (by those coders) that lands on the unit.
 */
export function resolveDisagreement(
  project: Project,
  input: { documentId: number; unitStart: number; unitEnd: number; codeId: number; coderIds: number[]; decision: 'apply' | 'remove' },
): { applied: number; removed: number } {
  const code = getCodeRow(project, input.codeId);
  const texts = new DocumentTexts(project);
  const doc = texts.get(input.documentId);
  let start = input.unitStart;
  let end = Math.min(input.unitEnd, doc.text.length);
  while (start < end && /\s/.test(doc.text[start]!)) start++;
  while (end > start && /\s/.test(doc.text[end - 1]!)) end--;
  if (end <= start) throw new FieldbookError('INVALID_INPUT', 'That unit has no text to code.', { field: 'unitStart' });
  const coders = [...new Set(input.coderIds)];
  const list = coders.join(',');
  const onUnit = (project.db
    .prepare(
      `SELECT c.id, c.coder_id AS coderId, s.start_char AS a, s.end_char AS b FROM coding c JOIN segment s ON s.id = c.segment_id
        WHERE s.document_id = ? AND c.code_id = ? AND c.coder_id IN (${list}) AND s.start_char < ? AND s.end_char > ?`,
    )
    .all(input.documentId, input.codeId, end, start) as { id: number; coderId: number; a: number; b: number }[]).filter((c) =>
    overlapsText(doc.text, c.a, c.b, start, end),
  );
  return runOperation(project, `${input.decision === 'apply' ? 'Agree on' : 'Agree against'} "${code.name}" for a unit`, (rec) => {
    let applied = 0;
    let removed = 0;
    if (input.decision === 'apply') {
      for (const coderId of coders) {
        if (onUnit.some((c) => c.coderId === coderId)) continue;
        if (applyCodingWith(rec, project, { documentId: input.documentId, start, end, codeId: input.codeId, coderId }, texts).created) applied++;
      }
    } else {
      for (const c of onUnit) if (removeCodingWith(rec, project, c.id)) removed++;
    }
    return { applied, removed };
  });
}
