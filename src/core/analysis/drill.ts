import type { DrillQuote, DrillResult, TableSpec } from '../../shared/contract/tables';
import { widenSingle } from './bases';
import { FieldbookError } from '../../shared/errors';
import { buildMask, expandRows, multiAnswered, resolveNets } from './crosstab';
import { parseCodeRef, type Axis, type Frame } from './frame';

type Predicate = (unit: number) => boolean;

function categoryIndex(axis: Axis, key: string): number {
  if (axis.kind === 'numeric') return -1;
  return axis.categories.findIndex((c) => c.key === key);
}

function rowPredicate(axis: Axis, rowSpec: TableSpec['rows'][number], group: number, rowKey: string): { test: Predicate; label: string; codeIds: number[] } {
  const codeRef = parseCodeRef(rowSpec.ref);
  const answered: Predicate =
    axis.kind === 'numeric' ? (i) => axis.values[i] === axis.values[i] : axis.kind === 'multi' ? ((m) => (i: number) => m[i] === 1)(multiAnswered(axis)) : (i) => axis.index[i]! >= 0;
  if (rowKey === 'mean' || rowKey === 'sd') return { test: answered, label: 'Mean', codeIds: [] };
  if (axis.kind === 'numeric') throw new FieldbookError('NOT_FOUND', `${axis.ref} has no row ${rowKey}.`);
  let members: number[];
  let label: string;
  if (rowKey.startsWith('net:')) {
    const nets = resolveNets(axis, rowSpec.nets, group);
    const net = nets[Number(rowKey.slice(4))];
    if (!net) throw new FieldbookError('NOT_FOUND', `The table has no net ${rowKey}.`);
    members = net.members;
    label = net.label;
  } else {
    const k = categoryIndex(axis, rowKey.replace(/^cat:/, ''));
    if (k < 0) throw new FieldbookError('NOT_FOUND', `${axis.ref} has no answer ${rowKey}.`);
    members = [k];
    label = axis.categories[k]!.label;
  }
  // Which codes the quotes behind this row come from.
  let codeIds: number[] = [];
  if (codeRef) {
    if (codeRef.single) codeIds = members.includes(0) ? (codeRef.ids as number[]) : [];
    else codeIds = members.map((m) => Number(axis.categories[m]!.key));
  }
  if (axis.kind === 'multi') {
    const isAnswered = answered;
    return { test: (i) => isAnswered(i) && members.some((m) => axis.options[m]![i] === 1), label, codeIds };
  }
  const set = new Set(members);
  return { test: (i) => set.has(axis.index[i]!), label, codeIds };
}

function columnPredicate(frame: Frame, spec: TableSpec, columnKey: string): { test: Predicate; label: string; codeIds: number[] } {
  if (columnKey === 'total') return { test: () => true, label: 'Total', codeIds: [] };
  const refs = [...spec.banner, ...(frame.waves ? ['wave'] : [])];
  const ref = refs.find((r) => columnKey.startsWith(`${r}=`));
  if (!ref) throw new FieldbookError('NOT_FOUND', `The table has no column ${columnKey}.`);
  const axis = frame.axis(ref);
  const k = categoryIndex(axis, columnKey.slice(ref.length + 1));
  if (axis.kind === 'numeric' || k < 0) throw new FieldbookError('NOT_FOUND', `The table has no column ${columnKey}.`);
  const label = `${axis.categories[k]!.label}`;
  const codeRef = parseCodeRef(ref);
  let codeIds: number[] = [];
  if (codeRef) codeIds = codeRef.single ? (k === 0 ? (codeRef.ids as number[]) : []) : [Number(axis.categories[k]!.key)];
  if (axis.kind === 'multi') return { test: (i) => axis.options[k]![i] === 1, label, codeIds };
  return { test: (i) => axis.index[i] === k, label, codeIds };
}

/** The respondents (or participants) and quotes behind one cell of a table. */
export function drill(frame: Frame, spec: TableSpec, group: number, rowKey: string, columnKey: string, limit: number): DrillResult {
  const rowSpec = expandRows(frame, spec.rows)[group];
  if (!rowSpec) throw new FieldbookError('NOT_FOUND', `The table has no row group ${group}.`);
  const { mask } = buildMask(frame, spec.filter);
  if (spec.weight) {
    const w = frame.axis(spec.weight);
    if (w.kind === 'numeric') for (let i = 0; i < frame.n; i++) if (!(w.values[i]! > 0 && Number.isFinite(w.values[i]!))) mask[i] = 0;
  }
  // The "No answer" row of a wider base is a category of the widened axis only.
  const rowAxis = frame.axis(rowSpec.ref);
  const row = rowPredicate(rowAxis.kind === 'single' || rowAxis.kind === 'ordinal' ? widenSingle(rowAxis, rowSpec.base ?? spec.base) : rowAxis, rowSpec, group, rowKey);
  const col = columnPredicate(frame, spec, columnKey);
  const units: number[] = [];
  for (let i = 0; i < frame.n; i++) if (mask[i] === 1 && row.test(i) && col.test(i)) units.push(i);
  const shown = units.slice(0, limit);
  const respondents = frame.unit === 'respondents' ? shown.map((u) => {
    const info = frame.unitInfo(u);
    return { row: info.row, datasetId: info.datasetId, wave: info.wave, id: info.id };
  }) : [];
  const participants = frame.unit === 'participants' ? shown.map((u) => {
    const info = frame.unitInfo(u);
    return { id: info.participantId!, name: info.participantName ?? '' };
  }) : [];
  const codeIds = [...new Set([...row.codeIds, ...col.codeIds])];
  let quotes: DrillQuote[] = [];
  let quotesTruncated = false;
  if (codeIds.length > 0) {
    const inCell = new Set(units);
    const seen = new Set<string>();
    for (const s of frame.codedSegments(codeIds)) {
      // Quotes of the row's code, from people in the column (and the reverse for a code banner).
      const fromRow = row.codeIds.length === 0 || row.codeIds.includes(s.matchedCodeId);
      const fromCol = col.codeIds.length === 0 || col.codeIds.includes(s.matchedCodeId) || row.codeIds.includes(s.matchedCodeId);
      if (!inCell.has(s.unit) || !fromRow || !fromCol) continue;
      const key = `${s.segmentId}:${s.codeId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (quotes.length >= limit) {
        quotesTruncated = true;
        break;
      }
      quotes.push({
        segmentId: s.segmentId,
        documentId: s.documentId,
        documentName: s.documentName,
        codeId: s.codeId,
        codeName: s.codeName,
        text: s.text,
        participant: s.participant,
        respondentRow: s.respondentRow,
      });
    }
    quotes = quotes.sort((a, b) => a.documentId - b.documentId || a.segmentId - b.segmentId);
  }
  return {
    unit: frame.unit,
    rowLabel: row.label,
    columnLabel: col.label,
    total: units.length,
    respondents,
    participants,
    quotes,
    truncated: units.length > shown.length || quotesTruncated,
  };
}
