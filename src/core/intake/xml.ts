import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { FieldbookError } from '../../shared/errors';

/**
 * XML from an untrusted file (a .qde, .qdc, an OpenDocument content.xml). Refused, naming the file
 * (and the entry inside an archive): a DTD or entity declarations (the "billion laughs" attack;
 * none of these formats uses them), XML that is not well-formed, and nesting deeper than the
 * parser follows (a real file is a few dozen levels deep; a crafted one thousands).
 */
export interface XmlSource {
  /** The file's short name, used in messages. */
  file: string;
  /** Details' file (the full path, when the caller has it). */
  path?: string;
  /** The entry of an archive the XML came from (project.qde, content.xml). */
  entry?: string;
  /** Check well-formedness first, for a message with line and column (costs a second pass). */
  validate?: boolean;
}

function where(source: XmlSource): string {
  return source.entry ? `${source.file} (${source.entry})` : source.file;
}

function details(source: XmlSource, extra: { line?: number; column?: number } = {}) {
  return { file: source.path ?? source.file, ...(source.entry ? { entry: source.entry } : {}), ...extra };
}

export function parseXml<T>(xml: string, options: X2jOptions, source: XmlSource): T {
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096)) || /<!ENTITY/i.test(xml)) {
    throw new FieldbookError('PARSE_ERROR', `${where(source)} was refused: it declares a DTD or entities, which these files never do.`, details(source));
  }
  if (source.validate) {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      throw new FieldbookError('PARSE_ERROR', `${where(source)} is not well-formed XML: ${valid.err.msg}`, details(source, { line: valid.err.line, column: valid.err.col }));
    }
  }
  try {
    return new XMLParser(options).parse(xml) as T;
  } catch (error) {
    const message = (error as Error).message;
    if (/nested/i.test(message) || error instanceof RangeError) {
      throw new FieldbookError('PARSE_ERROR', `${where(source)} was refused: its XML elements are nested deeper than any real file's (${message}).`, details(source));
    }
    throw new FieldbookError('PARSE_ERROR', `${where(source)} is not readable XML: ${message}`, details(source));
  }
}
