import { XMLParser, XMLValidator } from 'fast-xml-parser';
import fs from 'node:fs';
import path from 'node:path';
import { FieldbookError } from '../../../shared/errors';
import type {
  RefiCase,
  RefiCode,
  RefiCoding,
  RefiNote,
  RefiProject,
  RefiSelection,
  RefiSet,
  RefiTextSource,
  RefiUser,
  RefiVariable,
  RefiVariableType,
  RefiVariableValue,
} from './model';
import { normalGuid } from './records';
import { QDPX_ZIP_LIMITS, readZipDirectory, readZipEntry, type ZipLimits } from '../../zip/safe-zip';

export { QDPX_ZIP_LIMITS };

/** Elements that may repeat: always read as arrays, so one and many look the same. */
const REPEATED = new Set([
  'User', 'Code', 'Variable', 'Case', 'VariableValue', 'SourceRef', 'SelectionRef', 'CodeRef', 'TextSource',
  'PictureSource', 'PDFSource', 'AudioSource', 'VideoSource', 'PlainTextSelection', 'PictureSelection',
  'PDFSelection', 'AudioSelection', 'VideoSelection', 'Transcript', 'TranscriptSelection', 'Coding', 'NoteRef',
  'Note', 'Set', 'MemberCode', 'MemberSource', 'MemberNote', 'Link', 'Graph', 'SyncPoint',
]);

type Node = Record<string, unknown>;

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const VARIABLE_TYPES: readonly RefiVariableType[] = ['Text', 'Boolean', 'Integer', 'Float', 'Date', 'DateTime'];


function nodes(parent: unknown, name: string): Node[] {
  if (typeof parent !== 'object' || parent === null) return [];
  const value = (parent as Node)[name];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? (v as Node) : {}));
  if (typeof value === 'object' && value !== null) return [value as Node];
  if (typeof value === 'string') return [{ '#text': value }];
  return [];
}

function child(parent: unknown, name: string): Node | undefined {
  return nodes(parent, name)[0];
}

function text(parent: unknown, name: string): string {
  if (typeof parent !== 'object' || parent === null) return '';
  const value = (parent as Node)[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (typeof first === 'object' && first !== null) {
    const inner = (first as Node)['#text'];
    return typeof inner === 'string' ? inner : '';
  }
  return '';
}

function attr(node: Node, name: string): string | null {
  const value = node[name];
  return typeof value === 'string' ? value : null;
}

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

/** A timestamp we can store and write back as xsd:dateTime; anything else is dropped. */
function dateTime(node: Node, name = 'creationDateTime'): string | null {
  const value = attr(node, name)?.trim() ?? null;
  return value && DATE_TIME.test(value) ? value : null;
}

class Reader {
  readonly spelling = new Map<string, string>();
  constructor(private readonly file: string) {}

  fail(message: string, field?: string): never {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(this.file)}: ${message}`, { file: this.file, ...(field ? { field } : {}) });
  }

  guid(node: Node, what: string): string {
    const value = attr(node, 'guid');
    if (!value || !GUID.test(value.trim())) this.fail(`${what} has no valid guid ("${value ?? ''}").`, what);
    const normal = normalGuid(value.trim());
    if (!this.spelling.has(normal)) this.spelling.set(normal, value.trim());
    return normal;
  }

  ref(node: Node, what: string): string {
    const value = attr(node, 'targetGUID');
    if (!value || !GUID.test(value.trim())) this.fail(`a reference in ${what} has no valid targetGUID ("${value ?? ''}").`, what);
    return normalGuid(value.trim());
  }

  optionalUser(node: Node, name: string): string | null {
    const value = attr(node, name);
    return value && GUID.test(value.trim()) ? normalGuid(value.trim()) : null;
  }

  integer(node: Node, name: string, what: string): number {
    const raw = attr(node, name);
    if (raw === null || !/^\s*\d+\s*$/.test(raw)) this.fail(`${what} has no valid ${name} ("${raw ?? ''}").`, what);
    return Number(raw);
  }

  codings(parent: Node, what: string): RefiCoding[] {
    return nodes(parent, 'Coding').map((coding) => {
      const ref = child(coding, 'CodeRef');
      if (!ref) this.fail(`a coding in ${what} has no CodeRef.`, what);
      return {
        guid: this.guid(coding, `a coding in ${what}`),
        codeGuid: this.ref(ref, what),
        creatingUser: this.optionalUser(coding, 'creatingUser'),
        creationDateTime: dateTime(coding),
      };
    });
  }

  noteRefs(parent: Node, what: string): string[] {
    return nodes(parent, 'NoteRef').map((ref) => this.ref(ref, what));
  }

  code(node: Node): RefiCode {
    const name = attr(node, 'name') ?? '';
    const what = `code "${name}"`;
    return {
      guid: this.guid(node, what),
      name: name.trim() === '' ? 'Unnamed code' : name,
      color: attr(node, 'color'),
      description: text(node, 'Description'),
      isCodable: attr(node, 'isCodable') !== 'false',
      noteGuids: this.noteRefs(node, what),
      children: nodes(node, 'Code').map((c) => this.code(c)),
    };
  }

  variableValue(node: Node, what: string): RefiVariableValue | null {
    const ref = child(node, 'VariableRef');
    if (!ref) this.fail(`a variable value in ${what} has no VariableRef.`, what);
    const variableGuid = this.ref(ref, what);
    for (const kind of ['TextValue', 'BooleanValue', 'IntegerValue', 'FloatValue', 'DateValue', 'DateTimeValue']) {
      if (!(kind in node)) continue;
      const raw = text(node, kind);
      if (kind === 'BooleanValue') return { variableGuid, value: raw.trim() === 'true' || raw.trim() === '1' };
      if (kind === 'IntegerValue' || kind === 'FloatValue') {
        const value = Number(raw.trim());
        if (raw.trim() === '' || !Number.isFinite(value)) this.fail(`${what} has a ${kind} that is not a number ("${raw}").`, what);
        return { variableGuid, value };
      }
      return { variableGuid, value: raw };
    }
    return null;
  }

  selection(node: Node, sourceName: string, index: number): RefiSelection {
    const what = `quote ${index + 1} of "${sourceName}"`;
    const start = this.integer(node, 'startPosition', what);
    const end = this.integer(node, 'endPosition', what);
    return {
      guid: this.guid(node, what),
      name: attr(node, 'name') ?? '',
      start,
      end,
      description: text(node, 'Description'),
      creatingUser: this.optionalUser(node, 'creatingUser'),
      creationDateTime: dateTime(node),
      codings: this.codings(node, what),
      noteGuids: this.noteRefs(node, what),
    };
  }

  textSource(node: Node, resolve: (p: string) => string | null, fallbackName: string): RefiTextSource {
    const name = attr(node, 'name') ?? fallbackName;
    const what = `source "${name}"`;
    const inline = 'PlainTextContent' in node ? text(node, 'PlainTextContent') : null;
    const textPath = attr(node, 'plainTextPath');
    const content = inline ?? (textPath ? resolve(textPath) : null);
    return {
      guid: this.guid(node, what),
      name,
      text: content,
      textPath,
      description: text(node, 'Description'),
      creatingUser: this.optionalUser(node, 'creatingUser'),
      creationDateTime: dateTime(node),
      modifyingUser: this.optionalUser(node, 'modifyingUser'),
      modifiedDateTime: dateTime(node, 'modifiedDateTime'),
      selections: nodes(node, 'PlainTextSelection').map((s, i) => this.selection(s, name, i)),
      codings: this.codings(node, what),
      noteGuids: this.noteRefs(node, what),
    };
  }
}

function parseXml(xml: string, file: string): Node {
  // REFI files never carry a DTD; refusing one shuts out entity-expansion attacks ("billion laughs").
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096)) || /<!ENTITY/i.test(xml)) {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(file)} was refused: it declares a DTD or entities, which REFI-QDA files never do.`, { file });
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(file)} is not well-formed XML: ${valid.err.msg}`, {
      file,
      line: valid.err.line,
      column: valid.err.col,
    });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => REPEATED.has(name),
  });
  return parser.parse(xml) as Node;
}

function decodeText(bytes: Uint8Array, file: string, entry: string): string {
  try {
    const value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return value.charCodeAt(0) === 0xfeff ? value.slice(1) : value;
  } catch {
    throw new FieldbookError('PARSE_ERROR', `${path.basename(file)}: "${entry}" is not UTF-8 text, as REFI-QDA requires.`, { file, field: entry });
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Reads a REFI-QDA project document (the XML of a .qde). `resolve` turns a plainTextPath
 * (internal://x.txt) into the text, or null when the file does not include it.
 */
export function readProjectXml(xml: string, file: string, resolve: (p: string) => string | null): RefiProject {
  const reader: Reader = new Reader(file);
  const root = parseXml(xml, file);
  const project = child(root, 'Project');
  if (!project) {
    if (child(root, 'CodeBook')) return readCodebookNode(child(root, 'CodeBook') as Node, file);
    reader.fail('this is not a REFI-QDA project: its top element is not <Project>.');
  }
  const notImported: string[] = [];

  const users: RefiUser[] = nodes(child(project, 'Users'), 'User').map((u) => {
    const guid = reader.guid(u, 'a user');
    return { guid, name: (attr(u, 'name') ?? '').trim() || `REFI user ${guid.slice(0, 8)}` };
  });
  const codes = nodes(child(child(project, 'CodeBook'), 'Codes'), 'Code').map((c) => reader.code(c));
  const variables: RefiVariable[] = nodes(child(project, 'Variables'), 'Variable').map((v) => {
    const name = attr(v, 'name') ?? '';
    const type = attr(v, 'typeOfVariable') ?? 'Text';
    return {
      guid: reader.guid(v, `variable "${name}"`),
      name: name.trim() || 'Unnamed variable',
      type: (VARIABLE_TYPES as readonly string[]).includes(type) ? (type as RefiVariableType) : 'Text',
      description: text(v, 'Description'),
    };
  });
  const cases: RefiCase[] = nodes(child(project, 'Cases'), 'Case').map((c, i) => {
    const name = (attr(c, 'name') ?? '').trim() || `Case ${i + 1}`;
    const what = `case "${name}"`;
    return {
      guid: reader.guid(c, what),
      name,
      description: text(c, 'Description'),
      values: nodes(c, 'VariableValue')
        .map((v) => reader.variableValue(v, what))
        .filter((v): v is RefiVariableValue => v !== null),
      sourceGuids: nodes(c, 'SourceRef').map((r) => reader.ref(r, what)),
    };
  });

  const sourcesNode = child(project, 'Sources');
  const sources: RefiTextSource[] = [];
  nodes(sourcesNode, 'TextSource').forEach((s, i) => sources.push(reader.textSource(s, resolve, `Text ${i + 1}`)));
  // A PDF's text representation is a text source in its own right: the quotes in it are text quotes.
  for (const pdf of nodes(sourcesNode, 'PDFSource')) {
    const representation = child(pdf, 'Representation');
    if (!representation) continue;
    const source = reader.textSource(representation, resolve, `${attr(pdf, 'name') ?? 'PDF'} (text)`);
    source.name = attr(pdf, 'name') ?? source.name;
    sources.push(source);
  }

  const missing = sources.filter((s) => s.text === null);
  if (missing.length > 0) {
    const quotes = missing.reduce((n, s) => n + s.selections.length, 0);
    const codings = missing.reduce((n, s) => n + s.codings.length + s.selections.reduce((m, sel) => m + sel.codings.length, 0), 0);
    notImported.push(
      `${plural(missing.length, 'text source')} without their text in this file (${missing
        .map((s) => `"${s.name}"`)
        .join(', ')}): the text files they point to are not included, so ${plural(quotes, 'quote')} and ${plural(codings, 'coding')} in them were not imported.`,
    );
  }
  const media: string[] = [];
  const mediaCodings = (kind: string, selection: string) =>
    nodes(sourcesNode, kind).reduce(
      (n, s) => n + nodes(s, 'Coding').length + nodes(s, selection).reduce((m, sel) => m + nodes(sel, 'Coding').length, 0),
      0,
    );
  let lostCodings = 0;
  for (const [kind, selection, label] of [
    ['PictureSource', 'PictureSelection', 'picture'],
    ['AudioSource', 'AudioSelection', 'audio source'],
    ['VideoSource', 'VideoSelection', 'video source'],
  ] as const) {
    const count = nodes(sourcesNode, kind).length;
    if (count > 0) {
      media.push(plural(count, label));
      lostCodings += mediaCodings(kind, selection);
    }
  }
  const pdfRegions = nodes(sourcesNode, 'PDFSource').reduce((n, s) => n + nodes(s, 'PDFSelection').length, 0);
  if (pdfRegions > 0) {
    media.push(`${plural(pdfRegions, 'PDF region')} (marked on the page, not in the text)`);
    lostCodings += mediaCodings('PDFSource', 'PDFSelection');
  }
  if (media.length > 0) {
    notImported.push(`${media.join(', ')}: Fieldbook codes text only, so ${plural(lostCodings, 'coding')} on them were not imported.`);
  }
  const sourceValues = nodes(sourcesNode, 'TextSource').reduce((n, s) => n + nodes(s, 'VariableValue').length, 0);
  if (sourceValues > 0) {
    notImported.push(`${plural(sourceValues, 'variable value')} set on sources rather than cases: Fieldbook keeps attributes on participants (cases).`);
  }
  const sets = readSets(reader, child(project, 'Sets'));
  const setNotes = nodes(child(project, 'Sets'), 'Set').reduce((n, s) => n + nodes(s, 'MemberNote').length, 0);
  if (setNotes > 0) notImported.push(`${plural(setNotes, 'note')} as members of sets: Fieldbook keeps sets of codes and sources.`);
  const links = nodes(child(project, 'Links'), 'Link').length;
  if (links > 0) notImported.push(`${plural(links, 'link')} between items.`);
  const graphs = nodes(child(project, 'Graphs'), 'Graph').length;
  if (graphs > 0) notImported.push(`${plural(graphs, 'network diagram')}.`);

  const notes: RefiNote[] = nodes(child(project, 'Notes'), 'Note').map((n, i) => {
    const name = attr(n, 'name') ?? '';
    const what = `note "${name || i + 1}"`;
    const inline = 'PlainTextContent' in n ? text(n, 'PlainTextContent') : null;
    const textPath = attr(n, 'plainTextPath');
    const description = text(n, 'Description');
    const body = inline ?? (textPath ? resolve(textPath) : null) ?? '';
    return {
      guid: reader.guid(n, what),
      name,
      // Some tools put the note's text in Description only; keep both when both are there.
      text: description && body && description !== body ? `${description}\n\n${body}` : body || description,
      creatingUser: reader.optionalUser(n, 'creatingUser'),
      creationDateTime: dateTime(n),
    };
  });

  return {
    name: attr(project, 'name') ?? path.basename(file),
    origin: attr(project, 'origin') ?? '',
    creatingUser: reader.optionalUser(project, 'creatingUserGUID'),
    creationDateTime: dateTime(project),
    sets,
    spelling: reader.spelling,
    users,
    codes,
    variables,
    cases,
    sources,
    notes,
    projectNoteGuids: reader.noteRefs(project, 'the project'),
    notImported,
  };
}

/** Sets of codes and sources (members by GUID); note members are reported, not kept. */
function readSets(reader: Reader, parent: Node | undefined): RefiSet[] {
  return nodes(parent, 'Set').map((set, i) => {
    const name = attr(set, 'name') ?? `Set ${i + 1}`;
    const what = `set "${name}"`;
    return {
      guid: reader.guid(set, what),
      name,
      description: text(set, 'Description'),
      codeGuids: nodes(set, 'MemberCode').map((m) => reader.ref(m, what)),
      sourceGuids: nodes(set, 'MemberSource').map((m) => reader.ref(m, what)),
    };
  });
}

function readCodebookNode(codebook: Node, file: string): RefiProject {
  const reader: Reader = new Reader(file);
  const codes = nodes(child(codebook, 'Codes'), 'Code').map((c) => reader.code(c));
  const sets = readSets(reader, child(codebook, 'Sets'));
  return {
    name: path.basename(file, path.extname(file)),
    origin: attr(codebook, 'origin') ?? '',
    creatingUser: null,
    creationDateTime: null,
    sets,
    spelling: reader.spelling,
    users: [],
    codes,
    variables: [],
    cases: [],
    sources: [],
    notes: [],
    projectNoteGuids: [],
    notImported: [],
  };
}


/** Reads a .qdpx (zip), a .qde (project XML, with a Sources folder beside it if there is one) or a .qdc codebook. */
export function readRefiFile(file: string, limits: ZipLimits = QDPX_ZIP_LIMITS): RefiProject {
  if (!fs.existsSync(file)) throw new FieldbookError('NOT_FOUND', `There is no file at ${file}.`, { file });
  const extension = path.extname(file).toLowerCase();
  const data = fs.readFileSync(file);
  const isZip = data.length >= 4 && data.readUInt32LE(0) === 0x04034b50;
  if (extension === '.qdpx' || isZip) {
    if (!isZip) throw new FieldbookError('PARSE_ERROR', `${path.basename(file)} is not a .qdpx: a .qdpx is a zip file, and this one is not.`, { file });
    const entries = readZipDirectory(data, file, limits);
    // The standard says project.qde at the top; ATLAS.ti writes Project.qde, and a zipped folder
    // puts it one level down: take the shallowest .qde, and its Sources folder beside it.
    const depth = (name: string) => name.split('/').length;
    const qde = entries
      .filter((e) => !e.isDirectory && e.name.toLowerCase().endsWith('.qde'))
      .sort((a, b) => depth(a.name) - depth(b.name))[0];
    if (!qde) throw new FieldbookError('PARSE_ERROR', `${path.basename(file)} has no project.qde inside, so it is not a REFI-QDA project.`, { file });
    const folder = qde.name.includes('/') ? qde.name.slice(0, qde.name.lastIndexOf('/') + 1).toLowerCase() : '';
    const byName = new Map(entries.filter((e) => !e.isDirectory).map((e) => [e.name.toLowerCase(), e]));
    const xml = decodeText(readZipEntry(data, qde, file, limits), file, qde.name);
    return readProjectXml(xml, file, (textPath) => {
      const entry = byName.get(folder + sourceEntryName(textPath));
      return entry ? decodeText(readZipEntry(data, entry, file, limits), file, entry.name) : null;
    });
  }
  if (extension !== '.qde' && extension !== '.qdc' && extension !== '.xml') {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${path.basename(file)}: Fieldbook imports REFI-QDA projects (.qdpx, .qde) and codebooks (.qdc).`, { file });
  }
  const xml = decodeText(data, file, path.basename(file));
  const sourcesDir = path.join(path.dirname(file), 'Sources');
  return readProjectXml(xml, file, (textPath) => {
    const name = sourceEntryName(textPath);
    if (!name.startsWith('sources/')) return null;
    const candidate = path.join(sourcesDir, textPath.replace(/^internal:\/\//i, ''));
    // Only files directly inside the Sources folder beside the .qde, never elsewhere on disk.
    if (path.dirname(candidate) !== sourcesDir || !fs.existsSync(candidate)) return null;
    return decodeText(fs.readFileSync(candidate), file, path.basename(candidate));
  });
}

/** internal://ABC.txt lives at Sources/ABC.txt in the zip; compared lower-case. */
function sourceEntryName(textPath: string): string {
  const match = /^internal:\/\/(.+)$/i.exec(textPath.trim());
  if (!match) return `\0${textPath}`;
  return `sources/${match[1] as string}`.toLowerCase();
}
