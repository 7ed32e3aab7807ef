import { FieldbookError } from '../../shared/errors';
import type { ColumnHead } from './formats';
import type { MissingSpec, ValueLabel, VariableType } from './model';

/**
 * What the user may change in the preview before importing, per source column (by its name in
 * the file). Each replaces a guess; the import honours them and the preview shows their effect.
 */
export interface ReadOverrides {
  /** The type to use instead of the detected one. */
  types?: Record<string, VariableType>;
  /** The question text. */
  labels?: Record<string, string>;
  idColumn?: string;
  weightColumn?: string;
  /** The order of the answers, low to high (labels as in the file); answers not listed follow in the guessed order. */
  order?: Record<string, string[]>;
  /** Exactly these answers are missing (out of the base); for a numeric column, these numbers. */
  missing?: Record<string, string[]>;
  /** Exactly these answers are non-substantive (kept and in the base; out of nets, boxes and means). */
  nonsubstantive?: Record<string, string[]>;
  /** The question group a column belongs to ('' for none): columns sharing one form one multi-select or matrix. */
  groups?: Record<string, string>;
  /** Per question group: its question text. */
  groupLabels?: Record<string, string>;
}

/** Every column an override names must exist: a typo must not be ignored silently. */
export function checkOverrideColumns(heads: { name: string }[], overrides: ReadOverrides | undefined, display: string, file: string): void {
  if (!overrides) return;
  const perColumn = [overrides.types, overrides.labels, overrides.order, overrides.missing, overrides.nonsubstantive, overrides.groups];
  const names = [...perColumn.flatMap((record) => Object.keys(record ?? {})), overrides.idColumn, overrides.weightColumn];
  for (const name of names) {
    if (name !== undefined && !heads.some((h) => h.name === name)) {
      throw new FieldbookError('INVALID_INPUT', `${display} has no column named "${name}".`, { file, field: name });
    }
  }
}

/** Moves columns into (or out of) the question groups the user chose, before anything is decided. */
export function applyGroupOverrides(heads: ColumnHead[], overrides: ReadOverrides | undefined): void {
  const groups = overrides?.groups;
  if (!groups) return;
  for (const head of heads) {
    const group = groups[head.name];
    if (group === undefined) continue;
    delete head.cluster;
    delete head.tentative;
    if (group.trim() === '') {
      delete head.group;
      delete head.groupLabel;
      continue;
    }
    head.group = group.trim();
    head.groupLabel ??= head.label;
  }
}

/** The group texts the user gave must name groups that exist once the groups are made. */
export function checkGroupLabels(groups: Set<string>, overrides: ReadOverrides | undefined, display: string, file: string): void {
  for (const group of Object.keys(overrides?.groupLabels ?? {})) {
    if (!groups.has(group)) throw new FieldbookError('INVALID_INPUT', `${display} has no question group named "${group}".`, { file, field: group });
  }
}

/**
 * The labels in the user's order (listed answers first, the rest after in their guessed order).
 * Labels made from text are renumbered 1..n in the new order; numeric answer codes keep their codes.
 */
export function reorderLabels(labels: ValueLabel[], order: string[] | undefined, renumber: boolean): ValueLabel[] {
  if (!order) return labels;
  const rank = new Map(order.map((label, i) => [label, i]));
  const listed = labels.filter((l) => rank.has(l.label)).sort((a, b) => rank.get(a.label)! - rank.get(b.label)!);
  const rest = labels.filter((l) => !rank.has(l.label));
  const ordered = [...listed, ...rest];
  return renumber ? ordered.map((l, i) => ({ ...l, code: i + 1 })) : ordered;
}

/** The missing and non-substantive flags as the user set them (a list given sets them exactly). */
export function flagLabels(labels: ValueLabel[], missing: string[] | undefined, nonsubstantive: string[] | undefined): ValueLabel[] {
  if (!missing && !nonsubstantive) return labels;
  return labels.map((label) => {
    const out: ValueLabel = { code: label.code, label: label.label };
    const isMissing = missing ? missing.includes(label.label) : label.missing === true;
    const isNonsubstantive = !isMissing && (nonsubstantive ? nonsubstantive.includes(label.label) : label.nonsubstantive === true);
    if (isMissing) out.missing = true;
    if (isNonsubstantive) out.nonsubstantive = true;
    return out;
  });
}

/** A numeric column's missing values as the user listed them; every one must be a number. */
export function numericMissing(name: string, values: string[], display: string, file: string): MissingSpec {
  const numbers = values.map((v) => {
    const n = Number(v.trim());
    if (v.trim() === '' || Number.isNaN(n)) {
      throw new FieldbookError('INVALID_INPUT', `${display}, column ${name}: "${v}" is not a number, so it cannot be a missing value of a numeric column.`, { file, field: name });
    }
    return n;
  });
  return { values: numbers };
}

/** What the user changed about a column, said after the guess's own reason. */
export function overrideNotes(name: string, overrides: ReadOverrides | undefined): string {
  if (!overrides) return '';
  const notes: string[] = [];
  if (overrides.order?.[name]) notes.push('order set by you');
  if (overrides.missing?.[name] || overrides.nonsubstantive?.[name]) notes.push('missing / non-substantive answers set by you');
  if (overrides.groups?.[name] !== undefined) notes.push('grouping set by you');
  return notes.length ? `; ${notes.join('; ')}` : '';
}
