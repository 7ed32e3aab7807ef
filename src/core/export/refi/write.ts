import type { RefiCode, RefiCoding, RefiProject, RefiSelection, RefiTextSource } from './model';
import { writeZip } from '../../zip/safe-zip';

// XML 1.0 cannot carry most control characters at all, even escaped; they are dropped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const NEEDS_ESCAPE = /[&<>"\r\n\t\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

export function xmlEscape(value: string): string {
  // Most names, GUIDs and numbers need nothing: skip the replace chain for them.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Element text keeps its line breaks as they are (only attributes need them as references). */
function textEscape(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function attrs(values: Record<string, string | number | boolean | null | undefined>): string {
  let out = '';
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    out += ` ${key}="${xmlEscape(String(value))}"`;
  }
  return out;
}

const RGB = /^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/;

/** xsd:decimal has no exponent: 1e21 must be written out. */
function decimal(value: number): string {
  const plain = String(value);
  if (!/e/i.test(plain)) return plain;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

class XmlOut {
  private readonly parts: string[] = [];
  private depth = 0;

  open(name: string, attributes: Record<string, string | number | boolean | null | undefined> = {}): void {
    this.parts.push(`${'  '.repeat(this.depth)}<${name}${attrs(attributes)}>\n`);
    this.depth++;
  }
  close(name: string): void {
    this.depth--;
    this.parts.push(`${'  '.repeat(this.depth)}</${name}>\n`);
  }
  empty(name: string, attributes: Record<string, string | number | boolean | null | undefined> = {}): void {
    this.parts.push(`${'  '.repeat(this.depth)}<${name}${attrs(attributes)}/>\n`);
  }
  text(name: string, value: string): void {
    this.parts.push(`${'  '.repeat(this.depth)}<${name}>${textEscape(value)}</${name}>\n`);
  }
  raw(value: string): void {
    this.parts.push(value);
  }
  toString(): string {
    return this.parts.join('');
  }
}

function writeCode(out: XmlOut, code: RefiCode): void {
  const attributes = { guid: code.guid, name: code.name, isCodable: code.isCodable, color: code.color && RGB.test(code.color) ? code.color : null };
  if (!code.description && code.noteGuids.length === 0 && code.children.length === 0) {
    out.empty('Code', attributes);
    return;
  }
  out.open('Code', attributes);
  if (code.description) out.text('Description', code.description);
  for (const note of code.noteGuids) out.empty('NoteRef', { targetGUID: note });
  for (const c of code.children) writeCode(out, c);
  out.close('Code');
}

function writeCodings(out: XmlOut, codings: RefiCoding[]): void {
  for (const coding of codings) {
    out.open('Coding', { guid: coding.guid, creatingUser: coding.creatingUser, creationDateTime: coding.creationDateTime });
    out.empty('CodeRef', { targetGUID: coding.codeGuid });
    out.close('Coding');
  }
}

function writeSelection(out: XmlOut, selection: RefiSelection): void {
  out.open('PlainTextSelection', {
    guid: selection.guid,
    name: selection.name,
    startPosition: selection.start,
    endPosition: selection.end,
    creatingUser: selection.creatingUser,
    creationDateTime: selection.creationDateTime,
  });
  if (selection.description) out.text('Description', selection.description);
  writeCodings(out, selection.codings);
  for (const note of selection.noteGuids) out.empty('NoteRef', { targetGUID: note });
  out.close('PlainTextSelection');
}

function sourcePath(source: RefiTextSource): string {
  return `${source.guid}.txt`;
}

/** The project.qde document. Element order follows Project.xsd (a sequence: order matters). */
export function projectXml(project: RefiProject, userGuid: string | null): string {
  const out = new XmlOut();
  out.raw('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n');
  out.open('Project', {
    xmlns: 'urn:QDA-XML:project:1.0',
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': 'urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd',
    name: project.name,
    origin: project.origin,
    creatingUserGUID: userGuid,
    creationDateTime: project.creationDateTime ?? new Date().toISOString(),
  });
  if (project.users.length > 0) {
    out.open('Users');
    for (const user of project.users) out.empty('User', { guid: user.guid, name: user.name });
    out.close('Users');
  }
  if (project.codes.length > 0) {
    out.open('CodeBook');
    out.open('Codes');
    for (const code of project.codes) writeCode(out, code);
    out.close('Codes');
    out.close('CodeBook');
  }
  if (project.variables.length > 0) {
    out.open('Variables');
    for (const variable of project.variables) {
      const attributes = { guid: variable.guid, name: variable.name, typeOfVariable: variable.type };
      if (variable.description) {
        out.open('Variable', attributes);
        out.text('Description', variable.description);
        out.close('Variable');
      } else out.empty('Variable', attributes);
    }
    out.close('Variables');
  }
  if (project.cases.length > 0) {
    out.open('Cases');
    for (const c of project.cases) {
      out.open('Case', { guid: c.guid, name: c.name });
      if (c.description) out.text('Description', c.description);
      const types = new Map(project.variables.map((v) => [v.guid, v.type]));
      for (const value of c.values) {
        out.open('VariableValue');
        out.empty('VariableRef', { targetGUID: value.variableGuid });
        const type = types.get(value.variableGuid) ?? 'Text';
        if (type === 'Float' && typeof value.value === 'number') out.text('FloatValue', decimal(value.value));
        else if (type === 'Integer' && typeof value.value === 'number') out.text('IntegerValue', String(Math.trunc(value.value)));
        else if (type === 'Boolean') out.text('BooleanValue', value.value === true ? 'true' : 'false');
        else out.text('TextValue', String(value.value));
        out.close('VariableValue');
      }
      for (const source of c.sourceGuids) out.empty('SourceRef', { targetGUID: source });
      out.close('Case');
    }
    out.close('Cases');
  }
  if (project.sources.length > 0) {
    out.open('Sources');
    for (const source of project.sources) {
      out.open('TextSource', {
        guid: source.guid,
        name: source.name,
        plainTextPath: `internal://${sourcePath(source)}`,
        creatingUser: source.creatingUser,
        creationDateTime: source.creationDateTime,
        modifyingUser: source.modifyingUser,
        modifiedDateTime: source.modifiedDateTime,
      });
      if (source.description) out.text('Description', source.description);
      for (const selection of source.selections) writeSelection(out, selection);
      writeCodings(out, source.codings);
      for (const note of source.noteGuids) out.empty('NoteRef', { targetGUID: note });
      out.close('TextSource');
    }
    out.close('Sources');
  }
  if (project.notes.length > 0) {
    out.open('Notes');
    for (const note of project.notes) {
      out.open('Note', { guid: note.guid, name: note.name, creatingUser: note.creatingUser, creationDateTime: note.creationDateTime });
      out.text('PlainTextContent', note.text);
      out.close('Note');
    }
    out.close('Notes');
  }
  writeSets(out, project);
  for (const note of project.projectNoteGuids) out.empty('NoteRef', { targetGUID: note });
  out.close('Project');
  return out.toString();
}

function writeSets(out: XmlOut, project: RefiProject): void {
  if (project.sets.length === 0) return;
  out.open('Sets');
  for (const set of project.sets) {
    out.open('Set', { guid: set.guid, name: set.name });
    if (set.description) out.text('Description', set.description);
    for (const code of set.codeGuids) out.empty('MemberCode', { targetGUID: code });
    for (const source of set.sourceGuids) out.empty('MemberSource', { targetGUID: source });
    out.close('Set');
  }
  out.close('Sets');
}

/** The .qdpx: project.qde plus one UTF-8 text file per source under Sources/. */
export function qdpxBytes(project: RefiProject, userGuid: string | null): Uint8Array {
  const encoder = new TextEncoder();
  const files: Record<string, Uint8Array> = { 'project.qde': encoder.encode(projectXml(project, userGuid)) };
  for (const source of project.sources) files[`Sources/${sourcePath(source)}`] = encoder.encode(source.text ?? '');
  return writeZip(files);
}

/** A .qdc codebook (urn:QDA-XML:codebook:1.0): the code tree only. */
export function codebookXml(project: RefiProject): string {
  const out = new XmlOut();
  out.raw('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n');
  out.open('CodeBook', { xmlns: 'urn:QDA-XML:codebook:1.0', origin: project.origin });
  out.open('Codes');
  for (const code of project.codes) writeCode(out, code);
  out.close('Codes');
  writeSets(out, project);
  out.close('CodeBook');
  return out.toString();
}
