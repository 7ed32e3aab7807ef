import crypto from 'node:crypto';
import type { Code } from '../../shared/contract/coding';
import { FieldbookError } from '../../shared/errors';
import { parseXml } from '../intake';

/**
 * REFI-QDA codebooks. `codeBookElement` writes the <CodeBook> element of the REFI schema
 * (CodeBookType: Codes > Code (guid, name, isCodable, color; Description, nested Code)), so the
 * project exporter (.qde/.qdpx) can embed it; `writeQdc` wraps it as a stand-alone .qdc file.
 * Our definition, inclusion and exclusion rules and keywords travel inside <Description>, in
 * labelled paragraphs that `readQdc` splits back out.
 */

export const QDC_NAMESPACE = 'urn:QDA-XML:codebook:1.0';

export function escapeXml(value: string): string {
  return value
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A stable GUID for a code: the same project exports the same GUIDs every time. */
export function codeGuid(projectKey: string, codeId: number): string {
  const h = crypto.createHash('sha1').update(`fieldbook:${projectKey}:code:${codeId}`).digest('hex');
  // Shaped as an RFC 4122 name-based (version 5) UUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

const LABELS = { inclusion: 'Inclusion:', exclusion: 'Exclusion:', keywords: 'Keywords:' } as const;

export function describeCode(code: Pick<Code, 'definition' | 'inclusion' | 'exclusion' | 'keywords'>): string {
  const parts = [code.definition.trim()];
  if (code.inclusion.trim()) parts.push(`${LABELS.inclusion} ${code.inclusion.trim()}`);
  if (code.exclusion.trim()) parts.push(`${LABELS.exclusion} ${code.exclusion.trim()}`);
  if (code.keywords.length) parts.push(`${LABELS.keywords} ${code.keywords.join('; ')}`);
  return parts.filter(Boolean).join('\n\n');
}

export function parseDescription(text: string): { definition: string; inclusion: string; exclusion: string; keywords: string[] } {
  const out = { definition: [] as string[], inclusion: '', exclusion: '', keywords: [] as string[] };
  for (const paragraph of text.split(/\n\s*\n/)) {
    const p = paragraph.trim();
    if (p.startsWith(LABELS.inclusion)) out.inclusion = p.slice(LABELS.inclusion.length).trim();
    else if (p.startsWith(LABELS.exclusion)) out.exclusion = p.slice(LABELS.exclusion.length).trim();
    else if (p.startsWith(LABELS.keywords))
      out.keywords = p
        .slice(LABELS.keywords.length)
        .split(';')
        .map((k) => k.trim())
        .filter(Boolean);
    else if (p) out.definition.push(p);
  }
  return { ...out, definition: out.definition.join('\n\n') };
}

/** The <CodeBook> element (no namespace declaration: it inherits the enclosing document's). */
export function codeBookElement(codes: Code[], projectKey: string, indent = ''): string {
  const children = new Map<number | null, Code[]>();
  for (const c of codes) {
    const list = children.get(c.parentId) ?? [];
    list.push(c);
    children.set(c.parentId, list);
  }
  const lines: string[] = [`${indent}<CodeBook>`, `${indent}  <Codes>`];
  // Depth first with a stack of our own (a code to open, or a closing tag to write), not recursion:
  // a codebook thousands of levels deep must not overflow the call stack.
  const stack: (Code | string)[] = [];
  const write = (code: Code, depth: number) => {
    const pad = `${indent}  ${'  '.repeat(depth)}`;
    const description = describeCode(code);
    const kids = children.get(code.id) ?? [];
    const open = `${pad}<Code guid="${codeGuid(projectKey, code.id)}" name="${escapeXml(code.name)}" isCodable="true" color="${code.color}"`;
    if (!description && kids.length === 0) {
      lines.push(`${open}/>`);
      return;
    }
    lines.push(`${open}>`);
    if (description) lines.push(`${pad}  <Description>${escapeXml(description)}</Description>`);
    stack.push(`${pad}</Code>`);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  };
  const ids = new Set(codes.map((c) => c.id));
  const roots = codes.filter((c) => c.parentId === null || !ids.has(c.parentId));
  if (roots.length === 0) {
    throw new FieldbookError('INVALID_INPUT', 'The codebook is empty: a REFI-QDA codebook needs at least one code.');
  }
  const depthOf = new Map<number, number>(roots.map((r) => [r.id, 1]));
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]!);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next === 'string') {
      lines.push(next);
      continue;
    }
    const depth = depthOf.get(next.id)!;
    for (const kid of children.get(next.id) ?? []) depthOf.set(kid.id, depth + 1);
    write(next, depth);
  }
  lines.push(`${indent}  </Codes>`, `${indent}</CodeBook>`);
  return lines.join('\n');
}

export function writeQdc(codes: Code[], projectKey: string): string {
  const element = codeBookElement(codes, projectKey).replace('<CodeBook>', `<CodeBook xmlns="${QDC_NAMESPACE}">`);
  return `<?xml version="1.0" encoding="utf-8"?>\n${element}\n`;
}

export interface ImportedCode {
  name: string;
  color?: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  keywords: string[];
  children: ImportedCode[];
  /** Where it came from in the file, for error messages. */
  record: number;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

interface XmlCode {
  '@_name'?: string;
  '@_color'?: string;
  Description?: string | { '#text'?: string };
  Code?: XmlCode | XmlCode[];
}

/** Reads the codebook of a .qdc file, or of a .qde project (its <CodeBook> element). */
export function readQdc(xml: string, fileName: string): ImportedCode[] {
  const doc = parseXml<Record<string, unknown>>(
    xml,
    {
      ignoreAttributes: false,
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      processEntities: true,
      isArray: (name) => name === 'Code',
    },
    { file: fileName },
  );
  const project = doc.Project as Record<string, unknown> | undefined;
  const book = (doc.CodeBook ?? project?.CodeBook) as { Codes?: { Code?: XmlCode[] } } | undefined;
  if (!book || typeof book !== 'object') {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${fileName} has no REFI-QDA <CodeBook>; is it a .qdc or .qde file?`, { file: fileName });
  }
  let record = 0;
  const convert = (x: XmlCode): ImportedCode => {
    record++;
    const here = record;
    const name = (x['@_name'] ?? '').trim();
    if (!name) throw new FieldbookError('PARSE_ERROR', `Code number ${here} in ${fileName} has no name.`, { file: fileName, record: here });
    let color = x['@_color']?.trim();
    if (color && /^#[0-9a-fA-F]{3}$/.test(color)) color = '#' + [...color.slice(1)].map((ch) => ch + ch).join('');
    if (color && !/^#[0-9a-fA-F]{6}$/.test(color)) {
      throw new FieldbookError('PARSE_ERROR', `Code "${name}" in ${fileName} has a colour that is not #RRGGBB: ${color}.`, {
        file: fileName,
        record: here,
        field: 'color',
      });
    }
    const raw = typeof x.Description === 'string' ? x.Description : (x.Description?.['#text'] ?? '');
    return {
      name,
      ...(color ? { color: color.toLowerCase() } : {}),
      ...parseDescription(raw),
      children: asArray(x.Code).map(convert),
      record: here,
    };
  };
  return asArray(book.Codes?.Code).map(convert);
}
