/**
 * The one gate untrusted files come in through (issue 19): every importer (survey CSV/TSV/XLSX/
 * SPSS, transcripts txt/vtt/srt/docx/odt, codebooks, participants sheets, REFI-QDA) reads its
 * file with these, so the limits and rules live in one place:
 * - files.ts: the size of a file read whole, per kind, checked before reading;
 * - text.ts: the encoding rules (BOM, UTF-16 without BOM, strict UTF-8, a confident guess, else refused);
 * - zip (src/core/zip/safe-zip.ts): entry count, sizes, ratio, escaping names, checked before inflating,
 *   with one set of limits per kind of archive;
 * - xml.ts: no DTD or entities, no nesting past the parser's depth, a message naming the file.
 * intake.test.ts runs a corpus of hostile files against every import method through the dispatch.
 */
export { checkFile, MAX_FILE_BYTES, readUntrustedFile, type IntakeKind } from './files';
export { bomOf, decodeText, placeOfByte, utf16WithoutBom, type DecodedText } from './text';
export { parseXml, type XmlSource } from './xml';
export {
  isZip,
  OFFICE_ZIP_LIMITS,
  QDPX_ZIP_LIMITS,
  readZipDirectory,
  readZipEntry,
  verifyZip,
  verifyZipForLibrary,
  zipEntryText,
  type ZipEntry,
  type ZipLimits,
} from '../zip/safe-zip';
