import type {
  CellContent,
  ChiSquareResult,
  ColumnBase,
  FilterCondition,
  NetSpec,
  TableCell,
  TableColumn,
  TableColumnBlock,
  TableResult,
  TableRow,
  TableRowGroup,
  TableRowSpec,
  TableBase,
  TableSpec,
} from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import { isoDay } from '../../shared/days';
import type { Axis, Category, Frame, MultiAxis, SingleAxis } from './frame';
import { describeBase, multiBase, widenSingle } from './bases';
import { chiSquare, columnLetter, kishEffectiveBase, normalTwoSided, significantSet, studentTwoSided, twoProportionZ, welchT } from './stats';

export const LOW_BASE = 30;

/** A banner block as the tabulation loop sees it. */
type BlockData =
  | { kind: 'total' }
  | { kind: 'single'; axis: SingleAxis }
  | { kind: 'multi'; axis: MultiAxis };

/** A row question as the tabulation loop sees it (nets of multi-select already OR-ed in). */
type RowData =
  | { kind: 'single'; axis: SingleAxis }
  | { kind: 'multi'; axis: MultiAxis; options: Uint8Array[]; answered: Uint8Array | null }
  | { kind: 'numeric'; values: Float64Array };

/** Sums for one row question against one banner block. */
export interface Tabulation {
  nr: number;
  nc: number;
  /** Unweighted and weighted counts, row-major [line * nc + column]. */
  cnt: Float64Array;
  wcnt: Float64Array;
  base: Float64Array;
  wbase: Float64Array;
  w2base: Float64Array;
  /** Sums for means: weight, weight², weighted x and x² over units with a score. */
  sw: Float64Array;
  sw2: Float64Array;
  sx: Float64Array;
  sxx: Float64Array;
  /** Units counted in at least one column of the block. */
  blockN: number;
  blockW: number;
  blockW2: number;
}

function newTabulation(nr: number, nc: number): Tabulation {
  return {
    nr,
    nc,
    cnt: new Float64Array(nr * nc),
    wcnt: new Float64Array(nr * nc),
    base: new Float64Array(nc),
    wbase: new Float64Array(nc),
    w2base: new Float64Array(nc),
    sw: new Float64Array(nc),
    sw2: new Float64Array(nc),
    sx: new Float64Array(nc),
    sxx: new Float64Array(nc),
    blockN: 0,
    blockW: 0,
    blockW2: 0,
  };
}

function blockColumns(block: BlockData): number {
  return block.kind === 'total' ? 1 : block.axis.categories.length;
}

// The hot loops live in small functions of their own: V8 optimises them on their own, not as a
// part of the large tabulate() with its closures.
function countTotal(ri: Int32Array, mask: Uint8Array | null, raw: Int32Array, W: number, n: number): void {
  if (mask === null) for (let i = 0; i < n; i++) raw[(ri[i]! + 1) * W + 1]!++;
  else for (let i = 0; i < n; i++) raw[(ri[i]! + 1) * W + mask[i]!]!++;
}

function countPairs(ri: Int32Array, ci: Int32Array, mask: Uint8Array | null, raw: Int32Array, W: number, n: number): void {
  if (mask !== null) {
    for (let i = 0; i < n; i++) raw[mask[i] === 0 ? 0 : (ri[i]! + 1) * W + ci[i]! + 1]!++;
    return;
  }
  // Four tallies side by side: consecutive increments of the same counter no longer wait on
  // each other (about a quarter faster on a million answers).
  const size = raw.length;
  const r1 = new Int32Array(size);
  const r2 = new Int32Array(size);
  const r3 = new Int32Array(size);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    raw[(ri[i]! + 1) * W + ci[i]! + 1]!++;
    r1[(ri[i + 1]! + 1) * W + ci[i + 1]! + 1]!++;
    r2[(ri[i + 2]! + 1) * W + ci[i + 2]! + 1]!++;
    r3[(ri[i + 3]! + 1) * W + ci[i + 3]! + 1]!++;
  }
  for (; i < n; i++) raw[(ri[i]! + 1) * W + ci[i]! + 1]!++;
  for (let k = 0; k < size; k++) raw[k]! += r1[k]! + r2[k]! + r3[k]!;
}

function sumWeights(ri: Int32Array, ci: Int32Array | null, mask: Uint8Array | null, weight: Float64Array, raw: Int32Array, wraw: Float64Array, w2raw: Float64Array, W: number, n: number): void {
  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    const k = (ri[i]! + 1) * W + (ci === null ? 1 : ci[i]! + 1);
    const w = weight[i]!;
    raw[k]!++;
    wraw[k]! += w;
    w2raw[k]! += w * w;
  }
}

/**
 * The inner loop: one pass over the units. `mask` is the filter (1 = in the table; null = everyone),
 * `weight` is null when unweighted (then every weight is 1). With `totalOut`, a single banner
 * block's pass also yields the Total column (its counts include respondents the banner question
 * missed), which saves a second pass over the data.
 */
export function tabulate(row: RowData, block: BlockData, mask: Uint8Array | null, weight: Float64Array | null, n: number, totalOut: Tabulation[] | null = null): Tabulation {
  const nc = blockColumns(block);
  const nr = row.kind === 'single' ? row.axis.categories.length : row.kind === 'multi' ? row.options.length : 0;

  // The common case (single row question, single banner question or Total) gets its own tight
  // loop: answers shifted by one so "missing" (-1) lands in row/column 0 of a slightly larger
  // table, which keeps the loop free of branches; bases and score sums come from the cells after.
  if (row.kind === 'single' && block.kind !== 'multi') {
    const ri = row.axis.index;
    const ci = block.kind === 'single' ? block.axis.index : null;
    const W = nc + 1;
    const size = (nr + 1) * W;
    const raw = new Int32Array(size);
    const wraw = weight === null ? null : new Float64Array(size);
    const w2raw = weight === null ? null : new Float64Array(size);
    if (weight === null || wraw === null || w2raw === null) {
      if (ci === null) countTotal(ri, mask, raw, W, n);
      else countPairs(ri, ci, mask, raw, W, n);
    } else {
      sumWeights(ri, ci, mask, weight, raw, wraw, w2raw, W, n);
    }
    const scores = row.axis.scores;
    const columns = Array.from({ length: nc }, (_, c) => [c + 1]);
    if (totalOut && ci !== null) totalOut.push(collect(raw, wraw, w2raw, W, nr, scores, [Array.from({ length: W }, (_, c) => c)]));
    return collect(raw, wraw, w2raw, W, nr, scores, columns);
  }

  const t = newTabulation(nr, nc);
  const { cnt, wcnt, base, wbase, w2base, sw, sw2, sx, sxx } = t;
  const multiOptions = row.kind === 'multi' ? row.options : null;
  const multiAnswered = row.kind === 'multi' ? row.answered : null;
  const nOptions = multiOptions?.length ?? 0;
  const colOptions = block.kind === 'multi' ? block.axis.options : null;
  const colIndex = block.kind === 'single' ? block.axis.index : null;

  const add = (i: number, c: number, w: number, r: number, x: number) => {
    base[c]!++;
    wbase[c]! += w;
    w2base[c]! += w * w;
    if (r >= 0) {
      const k = r * nc + c;
      cnt[k]!++;
      wcnt[k]! += w;
    }
    if (multiOptions !== null) {
      for (let o = 0; o < nOptions; o++) {
        if (multiOptions[o]![i] === 1) {
          const k = o * nc + c;
          cnt[k]!++;
          wcnt[k]! += w;
        }
      }
    }
    if (x === x) {
      sw[c]! += w;
      sw2[c]! += w * w;
      sx[c]! += w * x;
      sxx[c]! += w * x * x;
    }
  };

  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    let r = -1;
    let x = Number.NaN;
    if (row.kind === 'single') {
      r = row.axis.index[i]!;
      if (r < 0) continue;
      x = row.axis.scores[r]!;
    } else if (row.kind === 'multi') {
      if (multiAnswered !== null) {
        if (multiAnswered[i] !== 1) continue;
      } else {
        let any = false;
        for (let o = 0; o < nOptions; o++) {
          if (multiOptions![o]![i] === 1) {
            any = true;
            break;
          }
        }
        if (!any) continue;
      }
    } else {
      x = row.values[i]!;
      if (x !== x) continue;
    }
    const w = weight === null ? 1 : weight[i]!;
    let counted = false;
    if (colIndex !== null) {
      const c = colIndex[i]!;
      if (c >= 0) {
        add(i, c, w, r, x);
        counted = true;
      }
    } else if (colOptions !== null) {
      for (let c = 0; c < nc; c++) {
        if (colOptions[c]![i] === 1) {
          add(i, c, w, r, x);
          counted = true;
        }
      }
    } else {
      add(i, 0, w, r, x);
      counted = true;
    }
    if (counted) {
      t.blockN++;
      t.blockW += w;
      t.blockW2 += w * w;
    }
  }
  return t;
}

/** Sums a shifted count table into output columns (each the sum of some raw columns). */
function collect(raw: Int32Array, wraw: Float64Array | null, w2raw: Float64Array | null, W: number, nr: number, scores: Float64Array, columns: number[][]): Tabulation {
  const nc = columns.length;
  const t = newTabulation(nr, nc);
  for (let r = 0; r < nr; r++) {
    const x = scores[r]!;
    for (let c = 0; c < nc; c++) {
      let count = 0;
      let w = 0;
      let w2 = 0;
      for (const rc of columns[c]!) {
        const k = (r + 1) * W + rc;
        count += raw[k]!;
        w += wraw === null ? raw[k]! : wraw[k]!;
        w2 += w2raw === null ? raw[k]! : w2raw[k]!;
      }
      if (count === 0) continue;
      t.cnt[r * nc + c] = count;
      t.wcnt[r * nc + c] = w;
      t.base[c]! += count;
      t.wbase[c]! += w;
      t.w2base[c]! += w2;
      if (x === x) {
        t.sw[c]! += w;
        t.sw2[c]! += w2;
        t.sx[c]! += w * x;
        t.sxx[c]! += w * x * x;
      }
    }
  }
  for (let c = 0; c < nc; c++) {
    t.blockN += t.base[c]!;
    t.blockW += t.wbase[c]!;
    t.blockW2 += t.w2base[c]!;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------

function invalid(message: string, field?: string): FieldbookError {
  return new FieldbookError('INVALID_INPUT', message, field ? { field } : undefined);
}

function findCategory(axis: SingleAxis | MultiAxis, value: string | number): number {
  const text = String(value).trim();
  let idx = axis.categories.findIndex((c) => c.key === text);
  if (idx < 0) idx = axis.categories.findIndex((c) => c.label.trim().toLowerCase() === text.toLowerCase());
  if (idx < 0) idx = axis.categories.findIndex((c) => c.aliases?.includes(text));
  if (idx < 0 && typeof value === 'number') idx = axis.categories.findIndex((c) => Number(c.key) === value);
  return idx;
}


/**
 * "between 2 and 5", or "at least 2" / "at most 5" when one end is open (as the builder offers
 * them); a date question's range in days: "from 2024-01-01 to 2024-03-31", "from 2024-01-01 on".
 */
function describeRange(min: number | undefined, max: number | undefined, date = false): string {
  if (date) {
    if (min !== undefined && max !== undefined) return `from ${isoDay(min)} to ${isoDay(max)}`;
    if (min !== undefined) return `from ${isoDay(min)} on`;
    if (max !== undefined) return `up to ${isoDay(max)}`;
    return 'any date';
  }
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return 'any number';
}

/** "is A or B" keeps; a dropped list reads "is not A" / "is neither A nor B" / "is none of A, B or C", never "is not A or B". */
function describeMembership(op: 'in' | 'notIn', values: string[]): string {
  if (op === 'in' || values.length === 1) return `${op === 'in' ? 'is' : 'is not'} ${joinOr(values)}`;
  if (values.length === 2) return `is neither ${values[0]} nor ${values[1]}`;
  return `is none of ${joinOr(values)}`;
}

function joinAnd(labels: string[]): string {
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

function joinOr(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

function axisName(axis: Axis): string {
  return axis.label && axis.label !== axis.ref ? `${axis.ref} (${axis.label})` : axis.ref;
}

/** Applies the filter conditions (all of them must hold). */
export function buildMask(frame: Frame, filter: FilterCondition[]): { mask: Uint8Array; text: string | null } {
  const mask = new Uint8Array(frame.n);
  mask.fill(1);
  const parts: string[] = [];
  filter.forEach((cond, ci) => {
    const axis = frame.axis(cond.ref);
    const field = `filter.${ci}`;
    if (axis.kind === 'numeric') {
      const v = axis.values;
      if (cond.op === 'between') {
        const lo = cond.min ?? -Infinity;
        const hi = cond.max ?? Infinity;
        for (let i = 0; i < frame.n; i++) if (!(v[i]! >= lo && v[i]! <= hi)) mask[i] = 0;
        parts.push(`${axis.ref} ${describeRange(cond.min, cond.max, axis.date)}`);
      } else if (cond.op === 'answered') {
        for (let i = 0; i < frame.n; i++) if (v[i] !== v[i]) mask[i] = 0;
        parts.push(`${axis.ref} answered`);
      } else {
        const set = new Set(cond.values.map((x) => Number(x)));
        if ([...set].some((x) => !Number.isFinite(x))) throw invalid(`${axis.ref} holds numbers; the filter values must be numbers.`, field);
        for (let i = 0; i < frame.n; i++) {
          const x = v[i]!;
          const hit = x === x && set.has(x);
          if (cond.op === 'in' ? !hit : hit || x !== x) mask[i] = 0;
        }
        parts.push(`${axis.ref} ${describeMembership(cond.op, [...set].map(String))}`);
      }
      return;
    }
    const idx = cond.values.map((value) => {
      const k = findCategory(axis, value);
      if (k < 0) throw invalid(`The filter on ${axis.ref} asks for "${value}", which is not one of its answers.`, field);
      return k;
    });
    if ((cond.op === 'in' || cond.op === 'notIn') && idx.length === 0) {
      throw invalid(`The filter on ${axis.ref} needs at least one answer to keep or drop.`, field);
    }
    if (axis.kind === 'multi') {
      const answered = multiAnswered(axis);
      for (let i = 0; i < frame.n; i++) {
        if (mask[i] === 0) continue;
        const isAnswered = answered[i] === 1;
        if (cond.op === 'answered') {
          if (!isAnswered) mask[i] = 0;
          continue;
        }
        if (cond.op === 'between') throw invalid(`${axis.ref} is a multi-select question; "between" needs a number.`, field);
        let any = false;
        for (const k of idx) if (axis.options[k]![i] === 1) any = true;
        if (cond.op === 'in' ? !any : !isAnswered || any) mask[i] = 0;
      }
    } else {
      const allowed = new Uint8Array(axis.categories.length);
      for (const k of idx) allowed[k] = 1;
      const index = axis.index;
      for (let i = 0; i < frame.n; i++) {
        const r = index[i]!;
        let keep: boolean;
        if (cond.op === 'answered') keep = r >= 0;
        else if (cond.op === 'between') {
          const x = r >= 0 ? axis.scores[r]! : Number.NaN;
          keep = x >= (cond.min ?? -Infinity) && x <= (cond.max ?? Infinity);
        } else if (cond.op === 'in') keep = r >= 0 && allowed[r] === 1;
        else keep = r >= 0 && allowed[r] === 0;
        if (!keep) mask[i] = 0;
      }
    }
    if (cond.op === 'answered') parts.push(`${axis.ref} answered`);
    else if (cond.op === 'between') parts.push(`${axis.ref} ${describeRange(cond.min, cond.max)}`);
    else parts.push(`${axis.ref} ${describeMembership(cond.op, idx.map((i) => axis.categories[i]!.label))}`);
  });
  return { mask, text: parts.length ? parts.join(' and ') : null };
}

/** Who is in a multi-select question's base: its own `answered`, else those who chose any option. */
export function multiAnswered(axis: MultiAxis): Uint8Array {
  if (axis.answered) return axis.answered;
  const n = axis.options[0]?.length ?? 0;
  const out = new Uint8Array(n);
  for (const opt of axis.options) for (let i = 0; i < n; i++) if (opt[i] === 1) out[i] = 1;
  return out;
}

interface ResolvedNet {
  label: string;
  members: number[];
}

export function resolveNets(axis: Axis, nets: NetSpec[], rowIndex: number): ResolvedNet[] {
  if (nets.length === 0) return [];
  if (axis.kind === 'numeric') throw invalid(`${axis.ref} holds numbers; nets need categories.`, `rows.${rowIndex}.nets`);
  return nets.map((net, ni) => {
    let members: number[];
    if (net.box) {
      if (axis.kind === 'multi') throw invalid(`Top and bottom boxes need a scale; ${axis.ref} is a multi-select question.`, `rows.${rowIndex}.nets.${ni}`);
      const size = Number(net.box.slice(-1));
      // Boxes count from the ends of the scale itself: "Don't know" after the scale is no top answer.
      const scale = axis.categories.flatMap((c, i) => (c.nonsubstantive ? [] : [i]));
      members = net.box.startsWith('top') ? scale.slice(-size) : scale.slice(0, size);
    } else {
      members = (net.members ?? []).map((m) => {
        const k = findCategory(axis, m);
        if (k < 0) throw invalid(`The net "${net.label ?? ''}" lists "${m}", which is not an answer of ${axis.ref}.`, `rows.${rowIndex}.nets.${ni}`);
        return k;
      });
    }
    members = [...new Set(members)];
    const memberLabels = members.map((m) => axis.categories[m]!.label);
    const typed = net.label?.trim();
    const label = typed ? typed.replace(/(\s*\(net\))+\s*$/i, ' (net)') : netLabel(net.box ? `${net.box.startsWith('top') ? 'Top' : 'Bottom'} ${net.box.slice(-1)} box` : memberLabels.join(' + '));
    return { label, members };
  });
}

/** A label marked as a net: "(net)" at the end exactly once, whether or not it was typed ("Increase (net)"). */
export function netLabel(label: string): string {
  return `${label.replace(/(\s*\(net\))+\s*$/i, '')} (net)`;
}

function orOptions(options: Uint8Array[], members: number[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (const m of members) {
    const opt = options[m]!;
    for (let i = 0; i < n; i++) if (opt[i] === 1) out[i] = 1;
  }
  return out;
}

interface Block {
  key: string;
  label: string;
  data: BlockData;
  columns: TableColumn[];
  overlapping: boolean;
  isWave: boolean;
}

function makeBlocks(frame: Frame, spec: TableSpec): Block[] {
  const blocks: Block[] = [
    { key: 'total', label: 'Total', data: { kind: 'total' }, columns: [{ key: 'total', label: 'Total', block: 'total', letter: null }], overlapping: false, isWave: false },
  ];
  const refs = [...spec.banner];
  if (frame.waves && !refs.includes('wave')) refs.unshift('wave');
  const seen = new Set<string>();
  refs.forEach((ref, bi) => {
    if (seen.has(ref)) return;
    seen.add(ref);
    const axis = frame.axis(ref);
    if (axis.kind === 'numeric') {
      throw invalid(`${axis.ref} holds numbers, so it cannot be a banner column. Use it as a row (for its mean) or in a filter.`, `banner.${bi}`);
    }
    const columns = axis.categories.map((c, ci) => ({ key: `${ref}=${c.key}`, label: c.label, block: ref, letter: columnLetter(ci) }));
    blocks.push({
      key: ref,
      label: axis.label || ref,
      data: axis.kind === 'multi' ? { kind: 'multi', axis } : { kind: 'single', axis },
      columns,
      overlapping: axis.kind === 'multi',
      isWave: ref === 'wave' && frame.waves,
    });
  });
  return blocks;
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null);

interface GroupContext {
  spec: TableSpec;
  alpha: number;
  weighted: boolean;
  wantMean: boolean;
}

/** One row question across every block: rows of cells, bases, tests. */
function computeGroup(frame: Frame, rowSpec: TableRowSpec, rowIndex: number, blocks: Block[], mask: Uint8Array | null, weight: Float64Array | null, ctx: GroupContext): TableRowGroup {
  const axis = frame.axis(rowSpec.ref);
  const nets = resolveNets(axis, rowSpec.nets, rowIndex);
  const notes: string[] = [];
  // A number's mean is always over those who gave one: a wider base has nothing to add to it.
  const base: TableBase = axis.kind === 'numeric' ? 'answered' : (rowSpec.base ?? ctx.spec.base);
  const baseText = describeBase(frame, axis.kind, base, axis.kind !== 'multi' && axis.kind !== 'numeric' && !!axis.userMissing);
  let row: RowData;
  let categories: Category[] = [];
  if (axis.kind === 'multi') {
    const options = [...axis.options, ...nets.map((net) => orOptions(axis.options, net.members, frame.n))];
    row = { kind: 'multi', axis, options, answered: multiBase(axis, base, frame.n) };
    categories = axis.categories;
    notes.push(`Multi-select question: the percentages are of ${baseText} (not of answers), so a column adds to more than 100%.`);
    if (frame.unit === 'participants' && base === 'answered') notes[notes.length - 1] = 'Several codes per participant: percentages are of participants with coded text, so a column adds to more than 100%.';
  } else if (axis.kind === 'numeric') {
    row = { kind: 'numeric', values: axis.values };
  } else {
    const widened = widenSingle(axis, base);
    row = { kind: 'single', axis: widened };
    categories = widened.categories;
  }

  // Total comes out of the first single banner block's pass when there is one.
  const firstSingle = row.kind === 'single' ? blocks.findIndex((b) => b.data.kind === 'single') : -1;
  const derived: Tabulation[] = [];
  const computed = blocks.map((b, bi) => (bi === 0 && firstSingle > 0 ? null : tabulate(row, b.data, mask, weight, frame.n, bi === firstSingle ? derived : null)));
  const tabs: Tabulation[] = computed.map((t) => t ?? derived[0]!);
  const bases: ColumnBase[] = [];
  const notIn = new Set(axis.notIn ?? []);
  tabs.forEach((t, bi) => {
    for (let c = 0; c < t.nc; c++) {
      const unweighted = t.base[c]!;
      const effective = ctx.weighted ? kishEffectiveBase(t.wbase[c]!, t.w2base[c]!) : unweighted;
      const notAsked = blocks[bi]!.isWave && notIn.has(blocks[bi]!.columns[c]!.label);
      bases.push({ unweighted, weighted: t.wbase[c]!, effective, low: unweighted < LOW_BASE && !notAsked, ...(notAsked ? { notAsked } : {}) });
    }
  });
  if (notIn.size > 0) {
    notes.push(`${rowSpec.ref} was not asked in ${joinAnd([...notIn])}, or is not matched to a question there (Data → Waves): that column has no result, which is not 0%.`);
  }

  // Lines: which counts each table row reads. Categories and multi-select nets are lines of the
  // tabulation; nets of single questions are sums of their members (the answers exclude each other).
  interface Line {
    key: string;
    label: string;
    kind: 'category' | 'net';
    members?: string[];
    read: (t: Tabulation, c: number) => { cnt: number; wcnt: number };
  }
  const lines: Line[] = [];
  nets.forEach((net, ni) => {
    const members = net.members.map((m) => categories[m]!.label);
    if (axis.kind === 'multi') {
      const line = categories.length + ni;
      lines.push({ key: `net:${ni}`, label: net.label, kind: 'net', members, read: (t, c) => ({ cnt: t.cnt[line * t.nc + c]!, wcnt: t.wcnt[line * t.nc + c]! }) });
    } else {
      lines.push({
        key: `net:${ni}`,
        label: net.label,
        kind: 'net',
        members,
        read: (t, c) => {
          let cnt = 0;
          let wcnt = 0;
          for (const m of net.members) {
            cnt += t.cnt[m * t.nc + c]!;
            wcnt += t.wcnt[m * t.nc + c]!;
          }
          return { cnt, wcnt };
        },
      });
    }
  });
  if (rowSpec.showCategories || nets.length === 0) {
    categories.forEach((cat, k) => {
      lines.push({ key: `cat:${cat.key}`, label: cat.label, kind: 'category', read: (t, c) => ({ cnt: t.cnt[k * t.nc + c]!, wcnt: t.wcnt[k * t.nc + c]! }) });
    });
  }

  const rows: TableRow[] = [];
  for (const line of lines) {
    const cells: TableCell[] = [];
    tabs.forEach((t) => {
      let rowTotal = 0;
      for (let c = 0; c < t.nc; c++) rowTotal += line.read(t, c).wcnt;
      for (let c = 0; c < t.nc; c++) {
        const { cnt, wcnt } = line.read(t, c);
        cells.push({
          count: cnt,
          weightedCount: wcnt,
          colPct: pct(wcnt, t.wbase[c]!),
          rowPct: pct(wcnt, rowTotal),
          totalPct: pct(wcnt, t.blockW),
          letters: [],
        });
      }
    });
    rows.push({ key: line.key, label: line.label, kind: line.kind, ...(line.members ? { members: line.members } : {}), cells });
  }

  // Means: numeric rows always; ordinal (and numbered single) rows when asked for.
  const showMean =
    axis.kind === 'numeric' || (axis.kind !== 'multi' && ctx.wantMean && Array.from(axis.scores).some((s) => s === s));
  if (showMean) {
    const meanCells: TableCell[] = [];
    const sdCells: TableCell[] = [];
    tabs.forEach((t) => {
      for (let c = 0; c < t.nc; c++) {
        const sw = t.sw[c]!;
        const mean = sw > 0 ? t.sx[c]! / sw : null;
        const neff = ctx.weighted ? kishEffectiveBase(sw, t.sw2[c]!) : sw;
        const variance = mean !== null && neff > 1 ? Math.max(0, t.sxx[c]! / sw - mean * mean) * (neff / (neff - 1)) : null;
        const sd = variance === null ? null : Math.sqrt(variance);
        const common = { count: t.base[c]!, weightedCount: t.wbase[c]!, colPct: null, rowPct: null, totalPct: null };
        meanCells.push({ ...common, mean, sd, letters: [] });
        sdCells.push({ ...common, mean: sd, sd, letters: [] });
      }
    });
    rows.push({ key: 'mean', label: 'Mean', kind: 'mean', cells: meanCells });
    rows.push({ key: 'sd', label: 'Standard deviation', kind: 'sd', cells: sdCells });
    if (axis.kind !== 'numeric') notes.push('The mean uses the answer codes as scores (missing answers left out).');
  }

  // Column tests within each block, and wave-on-wave change.
  const blockStart: number[] = [];
  let offset = 0;
  for (const b of blocks) {
    blockStart.push(offset);
    offset += b.columns.length;
  }
  if (ctx.spec.tests.columnTests || blocks.some((b) => b.isWave)) {
    for (const r of rows) {
      if (r.kind === 'sd') continue;
      blocks.forEach((b, bi) => {
        if (b.key === 'total' || b.columns.length < 2) return;
        const start = blockStart[bi]!;
        const k = b.columns.length;
        const pairs: { a: number; b: number; z: number | null; p: number | null }[] = [];
        const stat = (a: number, c: number): { z: number | null; p: number | null } => {
          const ca = r.cells[start + a]!;
          const cb = r.cells[start + c]!;
          const ba = bases[start + a]!;
          const bb = bases[start + c]!;
          if (r.kind === 'mean') {
            const t = welchT(ca.mean ?? Number.NaN, ca.sd ?? Number.NaN, ba.effective, cb.mean ?? Number.NaN, cb.sd ?? Number.NaN, bb.effective);
            if (!t || !Number.isFinite(t.t)) return { z: null, p: null };
            return { z: t.t, p: studentTwoSided(t.t, t.df) };
          }
          if (ca.colPct === null || cb.colPct === null) return { z: null, p: null };
          const z = twoProportionZ(ca.colPct / 100, ba.effective, cb.colPct / 100, bb.effective);
          return { z, p: z === null ? null : normalTwoSided(z) };
        };
        if (ctx.spec.tests.columnTests) {
          for (let a = 0; a < k; a++) for (let c = a + 1; c < k; c++) pairs.push({ a, b: c, ...stat(a, c) });
          const sig = significantSet(
            pairs.map((p) => p.p),
            ctx.alpha,
            ctx.spec.tests.correction,
          );
          pairs.forEach((pair, pi) => {
            const ca = r.cells[start + pair.a]!;
            const cb = r.cells[start + pair.b]!;
            const la = b.columns[pair.a]!.letter!;
            const lb = b.columns[pair.b]!.letter!;
            if (pair.z !== null) {
              (ca.z ??= {})[lb] = pair.z;
              (cb.z ??= {})[la] = -pair.z;
            }
            if (sig[pi] && pair.z !== null) {
              if (pair.z > 0) ca.letters.push(lb);
              else cb.letters.push(la);
            }
          });
        }
        if (b.isWave && r.kind !== 'mean') {
          for (let c = 1; c < k; c++) {
            const cur = r.cells[start + c]!;
            const prev = r.cells[start + c - 1]!;
            if (cur.colPct === null || prev.colPct === null) continue;
            const { p } = stat(c, c - 1);
            cur.change = { pp: cur.colPct - prev.colPct, p, significant: p !== null && p < ctx.alpha };
          }
        }
      });
    }
    for (const r of rows) for (const cell of r.cells) cell.letters.sort();
  }

  // Chi-square: single-coded rows against each non-overlapping banner block.
  const chi: ChiSquareResult[] = [];
  if (ctx.spec.tests.chiSquare && row.kind === 'single') {
    blocks.forEach((b, bi) => {
      if (b.key === 'total' || b.overlapping) return;
      const t = tabs[bi]!;
      const scale = ctx.weighted && t.blockW > 0 ? kishEffectiveBase(t.blockW, t.blockW2) / t.blockW : 1;
      let observed: number[][] = [];
      for (let r = 0; r < t.nr; r++) {
        const line: number[] = [];
        for (let c = 0; c < t.nc; c++) line.push((ctx.weighted ? t.wcnt[r * t.nc + c]! : t.cnt[r * t.nc + c]!) * scale);
        observed.push(line);
      }
      // Empty answers and empty columns carry no information and would divide by zero.
      observed = observed.filter((line) => line.some((v) => v > 0));
      const keep = (observed[0] ?? []).map((_, c) => observed.some((line) => line[c]! > 0));
      observed = observed.map((line) => line.filter((_, c) => keep[c]));
      const result = chiSquare(observed);
      if (!result) {
        notes.push(`No chi-square against ${b.label}: it needs at least two answers and two columns with respondents.`);
        return;
      }
      const cellsTotal = result.expected.length * (result.expected[0]?.length ?? 0);
      const entry: ChiSquareResult = { block: b.key, ...result, significant: result.p < ctx.alpha };
      if (result.lowExpectedCells > 0) {
        entry.warning = `${result.lowExpectedCells} of ${cellsTotal} cells (${Math.round((100 * result.lowExpectedCells) / cellsTotal)}%) have expected counts under 5: the chi-square p value may be inaccurate.`;
      }
      chi.push(entry);
    });
  }
  if (bases.some((b) => b.low)) notes.push(`Bases under ${LOW_BASE} are flagged: their percentages are unstable.`);
  if (blocks.some((b) => b.overlapping) && ctx.spec.tests.columnTests) {
    notes.push('Columns of a multi-select banner overlap (a respondent can be in several), so tests between them are approximate.');
  }

  const kind = axis.kind === 'numeric' ? 'numeric' : axis.kind;
  return { ref: rowSpec.ref, label: rowSpec.label?.trim() || axisName(axis), kind, base, baseText, bases, rows, chiSquare: chi, notes };
}

/** States how the numbers were computed, in words printed under the table. */
export function describeMethod(spec: TableSpec, weighted: boolean, weightLabel: string | null, filterText: string | null, groups: Pick<TableRowGroup, 'ref' | 'base' | 'baseText'>[]): string {
  const level = Math.round(spec.tests.level * 100);
  const parts: string[] = [];
  const among = filterText ? `, among those where ${filterText}` : '';
  const texts = [...new Set(groups.map((g) => g.baseText))];
  if (texts.length <= 1) parts.push(`Base: ${texts[0] ?? 'none'}${among}.`);
  else parts.push(`Bases${among}: ${groups.map((g) => `${g.ref}, ${g.baseText}`).join('; ')}.`);
  if (groups.some((g) => g.base !== 'answered')) {
    parts.push('Respondents in the base without an answer are counted in the "No answer" row (for a single-answer question) and in no other, so percentages are of the whole base; the tests use the same base.');
  }
  parts.push('Multi-select percentages are of respondents, never of answers.');
  if (weighted) {
    parts.push(`Weighted by ${weightLabel}; tests use the Kish effective base (Σw)²/Σw², and chi-square uses the weighted counts rescaled to that base.`);
  }
  if (spec.tests.chiSquare) {
    parts.push(`Chi-square: Pearson's test of independence on the single-answer categories (nets left out, empty rows and columns dropped), with Cramér's V; a warning is shown when expected counts fall under 5.`);
  }
  if (spec.tests.columnTests) {
    const corr = spec.tests.correction === 'bonferroni' ? ', Bonferroni-corrected within each row of each banner block' : spec.tests.correction === 'fdr' ? ', Benjamini-Hochberg false discovery rate within each row of each banner block' : ', no correction for multiple comparisons';
    parts.push(`Column tests: two-sided two-proportion z tests with a pooled proportion (Welch t tests for means) between each pair of columns in a banner block at ${level}%${corr}; a letter marks a column significantly lower than the cell's column.`);
  }
  parts.push(`Bases under ${LOW_BASE} are flagged.`);
  return parts.join(' ');
}

/**
 * The row questions as tabulated: a grid (matrix) question stands for one row block per item,
 * each with the grid's nets. Drill-down numbers row blocks the same way.
 */
export function expandRows(frame: Frame, rows: TableRowSpec[]): TableRowSpec[] {
  return rows.flatMap((row) => frame.expand?.(row.ref)?.map((ref) => ({ ...row, ref, label: undefined })) ?? [row]);
}

const EVERYONE = new Uint8Array(0);

/** Computes a whole table from a frame. */
export function computeTable(frame: Frame, spec: TableSpec): TableResult {
  const started = performance.now();
  // No filter and no weight: everyone is in, and no mask is built at all.
  const { mask, text: filterText } = spec.filter.length === 0 && !spec.weight ? { mask: EVERYONE, text: null } : buildMask(frame, spec.filter);
  let weight: Float64Array | null = null;
  let weightLabel: string | null = null;
  const notes: string[] = [];
  let dropped = 0;
  if (spec.weight) {
    const w = frame.axis(spec.weight);
    if (w.kind !== 'numeric') throw invalid(`${w.ref} is not a numeric variable, so it cannot be a weight.`, 'weight');
    weight = w.values;
    weightLabel = axisName(w);
    for (let i = 0; i < frame.n; i++) {
      const x = weight[i]!;
      if (mask[i] === 1 && !(x > 0 && Number.isFinite(x))) {
        mask[i] = 0;
        dropped++;
      }
    }
    if (dropped > 0) notes.push(`${dropped} ${frame.unit} without a positive weight are left out.`);
  }
  // Without a filter or dropped weights everyone is in: the loops then skip the mask entirely.
  const everyone = spec.filter.length === 0 && dropped === 0;
  const blocks = makeBlocks(frame, spec);
  const ctx: GroupContext = { spec, alpha: 1 - spec.tests.level, weighted: weight !== null, wantMean: spec.cells.includes('mean') };
  const groups = expandRows(frame, spec.rows).map((rowSpec, ri) => computeGroup(frame, rowSpec, ri, blocks, everyone ? null : mask, weight, ctx));
  const columns = blocks.flatMap((b) => b.columns);
  const tableBlocks: TableColumnBlock[] = [];
  let start = 0;
  for (const b of blocks) {
    tableBlocks.push({ key: b.key, label: b.label, start, count: b.columns.length, overlapping: b.overlapping, isWave: b.isWave });
    start += b.columns.length;
  }
  if (blocks.some((b) => b.isWave)) notes.push('Change is in percentage points against the previous wave, tested with a two-proportion z test.');
  const refs = [...spec.rows.map((r) => r.ref), ...spec.banner, ...spec.filter.map((f) => f.ref)];
  if (refs.some((r) => /^codes?:/.test(r))) notes.push('A code counts quotes coded with any of its sub-codes too.');
  const cells: CellContent[] = spec.cells;
  const title = spec.title?.trim() || `${groups.map((g) => g.ref).join(', ')}${spec.banner.length ? ` by ${spec.banner.join(', ')}` : ''}`;
  return {
    title,
    titleGiven: !!spec.title?.trim(),
    unit: frame.unit,
    weighted: weight !== null,
    weightLabel,
    filterText,
    cells,
    columns,
    blocks: tableBlocks,
    groups,
    level: spec.tests.level,
    correction: spec.tests.correction,
    notes,
    method: describeMethod(spec, weight !== null, weightLabel, filterText, groups),
    elapsedMs: performance.now() - started,
  };
}
