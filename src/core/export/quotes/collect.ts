import type { QuotePackOptions } from '../../../shared/contract/exports';
import { projectPseudonyms } from '../../coding/pseudonyms';
import type { Project } from '../../store/project';

export interface PackQuote {
  segmentId: number;
  documentName: string;
  start: number;
  end: number;
  text: string;
  starred: boolean;
  wave: string | null;
  /** Pseudonym or name; null for a quote nobody is linked to. */
  who: string | null;
  /** "Cloud engineering manager, healthcare, United States" (with the pseudonym first when asked). */
  attribution: string;
  /** Attribute values by attribute name. */
  attributes: Record<string, string>;
  /** Every code path the quote carries (of the chosen codes). */
  codePaths: string[];
}

export interface PackGroup {
  codeId: number;
  path: string;
  definition: string;
  quotes: PackQuote[];
}

export interface QuotePack {
  title: string;
  /** The filters in plain words, printed under the title. */
  description: string[];
  groups: PackGroup[];
  /** Every distinct quote once (CSV rows). */
  quotes: PackQuote[];
  attributeNames: string[];
  codePaths: string[];
}

interface CodeRow {
  id: number;
  parent_id: number | null;
  name: string;
  definition: string;
}

/** Codes in tree order (depth first, by position), each with its full path. */
export function codeTree(project: Project): { id: number; path: string; definition: string; depth: number; parentId: number | null }[] {
  const rows = project.db.prepare('SELECT id, parent_id, name, definition FROM code ORDER BY position, id').all() as CodeRow[];
  const children = new Map<number | null, CodeRow[]>();
  for (const row of rows) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const out: { id: number; path: string; definition: string; depth: number; parentId: number | null }[] = [];
  const walk = (parent: number | null, prefix: string, depth: number) => {
    for (const row of children.get(parent) ?? []) {
      const path = prefix ? `${prefix} > ${row.name}` : row.name;
      out.push({ id: row.id, path, definition: row.definition, depth, parentId: row.parent_id });
      walk(row.id, path, depth + 1);
    }
  };
  walk(null, '', 0);
  return out;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every listed name (whole words, any case) with [redacted]; longest names first. */
export function redactor(names: string[]): (text: string) => string {
  const list = [...new Set(names.map((n) => n.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${list.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return (text) => text.replace(pattern, '[redacted]');
}

/**
 * With pseudonyms on, the names of quoted people must not leak through the quote text or the
 * document name ("Interview Ana"): each full name, and its first name as a whole word with its
 * capital, becomes the person's pseudonym. Longest names first, so "Ana Souza" wins over "Ana".
 */
export function nameHider(rows: { participant_id: number | null; participant_name: string | null }[], pseudonym: Map<number, string>): (text: string) => string {
  const byName = new Map<string, string>();
  for (const row of rows) {
    if (row.participant_id === null || row.participant_name === null) continue;
    const alias = pseudonym.get(row.participant_id);
    if (alias === undefined) continue;
    const full = row.participant_name.trim();
    if (full) byName.set(full, alias);
    const first = full.split(/\s+/)[0] ?? '';
    if (first.length >= 2 && first !== full && !byName.has(first)) byName.set(first, alias);
  }
  if (byName.size === 0) return (text) => text;
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return (text) => text.replace(pattern, (name) => byName.get(name) ?? name);
}

interface Row {
  segment_id: number;
  code_id: number;
  document_name: string;
  start_char: number;
  end_char: number;
  text: string;
  starred: number;
  wave: string | null;
  participant_id: number | null;
  participant_name: string | null;
  respondent_row: number | null;
}

/** Reads the quotes of a pack with SQL over segment, coding, code, document, turn, speaker and participant. */
export function collectQuotePack(project: Project, options: QuotePackOptions): QuotePack {
  const db = project.db;
  const tree = codeTree(project);
  const byId = new Map(tree.map((c) => [c.id, c]));
  let chosen: Set<number>;
  if (options.codeIds.length === 0) chosen = new Set(tree.map((c) => c.id));
  else {
    chosen = new Set(options.codeIds.filter((id) => byId.has(id)));
    if (options.includeSubcodes) {
      // Tree order lists parents before children, so one pass collects every descendant.
      for (const code of tree) if (code.parentId !== null && chosen.has(code.parentId)) chosen.add(code.id);
    }
  }

  const rows = db
    .prepare(
      `SELECT DISTINCT s.id AS segment_id, g.code_id, d.name AS document_name, s.start_char, s.end_char, s.text, s.starred,
              ds.wave,
              p.id AS participant_id, p.name AS participant_name, t.respondent_row
       FROM segment s
       JOIN coding g ON g.segment_id = s.id
       JOIN document d ON d.id = s.document_id
       LEFT JOIN dataset ds ON ds.id = d.dataset_id
       LEFT JOIN turn t ON t.id = (SELECT t2.id FROM turn t2 WHERE t2.document_id = s.document_id AND t2.start_char <= s.start_char
                                   ORDER BY t2.start_char DESC LIMIT 1)
       LEFT JOIN speaker sp ON sp.id = t.speaker_id
       LEFT JOIN participant p ON p.id = COALESCE(CASE WHEN sp.is_interviewer = 0 THEN sp.participant_id END, d.participant_id)
       ORDER BY s.starred DESC, d.name, s.start_char, s.end_char, s.id`,
    )
    .all() as Row[];

  const attributes = db.prepare('SELECT id, name FROM attribute ORDER BY position, id').all() as { id: number; name: string }[];
  const attributeNames = attributes.map((a) => a.name);
  const values = new Map<number, Record<string, string>>();
  for (const v of db
    .prepare('SELECT pa.participant_id, a.name, pa.value FROM participant_attribute pa JOIN attribute a ON a.id = pa.attribute_id')
    .all() as { participant_id: number; name: string; value: string | number | null }[]) {
    if (v.value === null || v.value === '') continue;
    const record = values.get(v.participant_id) ?? {};
    record[v.name] = String(v.value);
    values.set(v.participant_id, record);
  }
  const attributionNames = options.attributionAttributes ?? attributeNames;
  const waves = new Set(options.waves);
  const filters = Object.entries(options.attributes).filter(([, allowed]) => allowed.length > 0);
  const redact = redactor(options.redact);

  const keep = (row: Row): boolean => {
    if (!chosen.has(row.code_id)) return false;
    if (options.starredOnly && !row.starred) return false;
    if (waves.size > 0 && (row.wave === null || !waves.has(row.wave))) return false;
    if (filters.length > 0) {
      const own = row.participant_id === null ? {} : (values.get(row.participant_id) ?? {});
      for (const [name, allowed] of filters) if (!allowed.includes(own[name] ?? '')) return false;
    }
    return true;
  };
  const kept = rows.filter(keep);

  // The project's pseudonyms: a person keeps one alias across packs (new people get the next
  // number in the order this pack first quotes them).
  const pseudonym = options.pseudonyms
    ? projectPseudonyms(db, kept.flatMap((row) => (row.participant_id === null ? [] : [row.participant_id])))
    : new Map<number, string>();
  const hide = options.pseudonyms ? nameHider(kept, pseudonym) : (text: string) => text;
  const clean = (text: string) => redact(hide(text));

  const quotes = new Map<number, PackQuote>();
  const groups = new Map<number, PackQuote[]>();
  for (const row of kept) {
    let quote = quotes.get(row.segment_id);
    if (!quote) {
      const own = row.participant_id === null ? {} : (values.get(row.participant_id) ?? {});
      const who =
        row.participant_id === null
          ? row.respondent_row !== null
            ? `Respondent ${row.respondent_row + 1}`
            : null
          : options.pseudonyms
            ? (pseudonym.get(row.participant_id) as string)
            : (row.participant_name as string);
      const described = attributionNames.map((n) => own[n]).filter((v): v is string => v !== undefined && v !== '');
      const parts = options.pseudonyms && who ? [who, ...described] : described.length > 0 ? described : who ? [who] : [];
      if (row.wave) parts.push(row.wave);
      quote = {
        segmentId: row.segment_id,
        documentName: clean(row.document_name),
        start: row.start_char,
        end: row.end_char,
        text: clean(row.text),
        starred: row.starred === 1,
        wave: row.wave,
        who: who === null ? null : redact(who),
        attribution: redact(parts.join(', ')),
        attributes: Object.fromEntries(Object.entries(own).map(([k, v]) => [k, redact(v)])),
        codePaths: [],
      };
      quotes.set(row.segment_id, quote);
    }
    const path = byId.get(row.code_id)?.path ?? '';
    if (!quote.codePaths.includes(path)) quote.codePaths.push(path);
    // Rows are distinct per (quote, code): a quote coded by two coders is listed once.
    const list = groups.get(row.code_id) ?? [];
    list.push(quote);
    groups.set(row.code_id, list);
  }
  const order = new Map(tree.map((c, i) => [c.path, i]));
  for (const quote of quotes.values()) quote.codePaths.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));

  const description: string[] = [];
  if (options.codeIds.length > 0) description.push(`Codes: ${[...chosen].map((id) => byId.get(id)?.path).filter(Boolean).join('; ')}`);
  if (waves.size > 0) description.push(`Waves: ${[...waves].join(', ')}`);
  for (const [name, allowed] of filters) description.push(`${name}: ${allowed.join(', ')}`);
  if (options.starredOnly) description.push('Starred quotes only');
  if (options.pseudonyms) description.push('Participants shown by pseudonym');
  if (options.redact.length > 0) description.push(`${options.redact.length} name${options.redact.length === 1 ? '' : 's'} redacted`);

  return {
    title: options.title ?? `${project.name}: quotes`,
    description,
    groups: tree
      .filter((c) => groups.has(c.id))
      .map((c) => ({ codeId: c.id, path: c.path, definition: c.definition, quotes: groups.get(c.id) as PackQuote[] })),
    quotes: [...quotes.values()],
    attributeNames,
    codePaths: tree.filter((c) => chosen.has(c.id)).map((c) => c.path),
  };
}
