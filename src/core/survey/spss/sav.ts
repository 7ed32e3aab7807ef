import zlib from 'node:zlib';
import { FieldbookError } from '../../../shared/errors';
import type { MissingSpec } from '../model';
import fs from 'node:fs';
import { ByteReader, latin1, NeedMoreBytes } from './bytes';
import { BYTE_NO_ANSWER } from '../columns';
import { buildParsedSurvey, type SpssFileInfo, type SpssMrSet, type SpssParsedSurvey, type SpssVariable } from './dictionary';
import { codePageToEncoding, makeDecoder, normaliseEncodingName, trimEnd, type TextDecoderFn } from './encoding';
import { alignmentFromCode, isDateFormat, isTimeFormat, measureFromCode, unpackFormat, type SpssFormat } from './formats';
import { parseMrSets } from './mrsets';

/**
 * The SPSS system file (.sav, and .zsav whose data is zlib-compressed), read from the format as
 * PSPP documents it: a 176-byte header, dictionary records (2 variables, 3/4 value labels,
 * 6 documents, 7 extensions, 999 end), then the cases, raw or bytecode-compressed.
 */
export interface SavOptions {
  encoding?: string;
  signal?: AbortSignal;
}

/**
 * The rest of the file on disk when `bytes` holds only its start: bytecode-compressed cases are
 * then read through a window of `bytes`, so a large file never sits in memory whole.
 */
export interface SavSource {
  fd: number;
  size: number;
}

/** One variable record and its continuation records: a whole variable, or one segment of a very long string. */
interface RawVar {
  record: number;
  shortNameBytes: Uint8Array;
  /** 0 numeric, 1..255 string. */
  width: number;
  slotStart: number;
  slotCount: number;
  print: SpssFormat;
  write: SpssFormat;
  labelBytes?: Uint8Array;
  missingCode: number;
  missingRaw: Uint8Array[];
  valueLabels?: { raw: Uint8Array; label: Uint8Array }[];
  measure?: number;
  displayWidth?: number;
  alignment?: number;
}

interface Extension {
  record: number;
  subtype: number;
  size: number;
  count: number;
  data: Uint8Array;
  offset: number;
}

const SYSMIS_DEFAULT = -Number.MAX_VALUE;

function pad(n: number, to: number): number {
  return (to - (n % to)) % to;
}

function fail(file: string, message: string, place: { record?: number; offset?: number }): never {
  throw new FieldbookError('PARSE_ERROR', message, { file, ...place });
}

function checkCancel(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new FieldbookError('CANCELLED', `Reading ${file} was cancelled.`, { file });
}

export function readSav(input: Uint8Array, file: string, options: SavOptions = {}, source?: SavSource): SpssParsedSurvey {
  checkCancel(options.signal, file);
  // A Buffer lets the string decoders slice without allocating a view per cell.
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < 4) fail(file, `${file} is empty or too short to be an SPSS data file.`, { record: 1, offset: 0 });
  const magic = latin1(bytes.subarray(0, 4));
  if (magic !== '$FL2' && magic !== '$FL3') {
    fail(file, `${file} is not an SPSS data file: it does not start with "$FL2" or "$FL3".`, { record: 1, offset: 0 });
  }
  if (bytes.length < 176) {
    fail(file, `${file} ends too early: it has ${bytes.length} bytes, fewer than the 176 of an SPSS file header. The file is probably truncated.`, { record: 1, offset: bytes.length });
  }
  // The layout code (2 or 3) says which byte order the writer used.
  const probe = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layoutLe = probe.getInt32(64, true);
  const layoutBe = probe.getInt32(64, false);
  let littleEndian: boolean;
  if (layoutLe === 2 || layoutLe === 3) littleEndian = true;
  else if (layoutBe === 2 || layoutBe === 3) littleEndian = false;
  else fail(file, `${file} has an SPSS header with an unknown layout code (${layoutLe}); the file is damaged or not an SPSS file.`, { record: 1, offset: 64 });

  const r: ByteReader = new ByteReader(bytes, littleEndian, file, 4);
  r.record = 1;
  r.partial = source !== undefined;
  const product = latin1(r.take(60)).trim();
  r.i32(); // layout code
  r.i32(); // nominal case size: some writers get it wrong; the variable records are what count
  const compression = r.i32();
  const weightIndex = r.i32();
  let ncases = r.i32();
  let bias = r.f64();
  const created = `${latin1(r.take(9)).trim()} ${latin1(r.take(8)).trim()}`.trim();
  const fileLabelBytes = r.take(64);
  r.skip(3);
  if (compression !== 0 && compression !== 1 && compression !== 2) {
    fail(file, `${file} uses an unknown compression (${compression}).`, { record: 1, offset: 72 });
  }
  if (magic === '$FL3' && compression !== 2) fail(file, `${file} says it is a .zsav file but its header does not say zlib compression.`, { record: 1, offset: 72 });
  if (compression === 2 && magic !== '$FL3') fail(file, `${file} says zlib compression but does not start with "$FL3".`, { record: 1, offset: 72 });

  // ---- dictionary ----
  const vars: RawVar[] = [];
  /** Slot (1-based dictionary index) → the RawVar it belongs to. */
  const slotOwner: RawVar[] = [];
  const extensions: Extension[] = [];
  const documents: Uint8Array[] = [];
  let slots = 0;
  for (;;) {
    r.record++;
    r.what = 'record type';
    const recStart = r.pos;
    const type = r.i32();
    if (type === 2) {
      r.what = 'variable record';
      const width = r.i32();
      const hasLabel = r.i32();
      const nMissing = r.i32();
      const print = unpackFormat(r.i32() >>> 0);
      const write = unpackFormat(r.i32() >>> 0);
      const shortNameBytes = r.take(8);
      let labelBytes: Uint8Array | undefined;
      if (hasLabel !== 0 && hasLabel !== 1) r.fail(`${file} has a damaged variable record (record ${r.record}): the label flag is ${hasLabel}.`, recStart);
      if (hasLabel === 1) {
        const len = r.i32();
        if (len < 0 || len > 65535) r.fail(`${file} has a damaged variable label (record ${r.record}): length ${len}.`, recStart);
        labelBytes = r.take(len);
        r.skip(pad(len, 4));
      }
      if (nMissing > 3 || nMissing < -3 || nMissing === -1) r.fail(`${file} has a damaged variable record (record ${r.record}): missing-value count ${nMissing}.`, recStart);
      const missingRaw: Uint8Array[] = [];
      for (let i = 0; i < Math.abs(nMissing); i++) missingRaw.push(r.take(8));
      slots++;
      if (width === -1) {
        const prev = vars[vars.length - 1];
        if (!prev || prev.width === 0) r.fail(`${file} has a continuation record (record ${r.record}) that follows no string variable.`, recStart);
        prev.slotCount++;
        slotOwner[slots] = prev;
      } else {
        if (width < 0 || width > 255) r.fail(`${file} has a variable (record ${r.record}) with an impossible width ${width}.`, recStart);
        const v: RawVar = { record: r.record, shortNameBytes, width, slotStart: slots - 1, slotCount: 1, print, write, missingCode: nMissing, missingRaw };
        if (labelBytes) v.labelBytes = labelBytes;
        vars.push(v);
        slotOwner[slots] = v;
      }
    } else if (type === 3) {
      r.what = 'value labels';
      const count = r.i32();
      if (count > r.remaining / 9) r.need(count * 9);
      if (count < 0) r.fail(`${file} has a damaged value-label record (record ${r.record}): ${count} labels.`, recStart);
      const labels: { raw: Uint8Array; label: Uint8Array }[] = [];
      for (let i = 0; i < count; i++) {
        const raw = r.take(8);
        const len = r.u8();
        const label = r.take(len);
        r.skip(pad(len + 1, 8));
        labels.push({ raw, label });
      }
      r.record++;
      r.what = 'value-label variables';
      const t4 = r.pos;
      if (r.i32() !== 4) r.fail(`${file} has value labels (record ${r.record - 1}) not followed by the list of variables they belong to.`, t4);
      const n = r.i32();
      if (n < 0 || n > slots) r.fail(`${file} has a damaged value-label variable list (record ${r.record}).`, t4);
      for (let i = 0; i < n; i++) {
        const idx = r.i32();
        const owner = slotOwner[idx];
        if (!owner || owner.slotStart !== idx - 1) r.fail(`${file} attaches value labels to variable number ${idx}, which does not exist (record ${r.record}).`, t4);
        owner.valueLabels = (owner.valueLabels ?? []).concat(labels);
      }
    } else if (type === 6) {
      r.what = 'document record';
      const n = r.i32();
      if (n > 0) r.need(n * 80);
      if (n < 0) r.fail(`${file} has a damaged document record (record ${r.record}).`, recStart);
      for (let i = 0; i < n; i++) documents.push(r.take(80));
    } else if (type === 7) {
      r.what = 'extension record';
      const subtype = r.i32();
      const size = r.i32();
      const count = r.i32();
      if (size < 0 || count < 0 || size * count > r.remaining) {
        r.need(size * count > 0 ? size * count : -1);
      }
      const offset = r.pos;
      extensions.push({ record: r.record, subtype, size, count, data: r.take(size * count), offset });
    } else if (type === 999) {
      r.what = 'dictionary end';
      r.i32();
      break;
    } else {
      r.fail(`${file} has a record of unknown type ${type} at byte ${recStart} (record ${r.record}); the file is damaged.`, recStart);
    }
  }
  if (vars.length === 0) fail(file, `${file} has no variables.`, { record: r.record });
  for (const v of vars) {
    if (v.width > 0 && v.slotCount !== Math.ceil(v.width / 8)) {
      fail(file, `${file}: string variable ${latin1(v.shortNameBytes).trim()} is ${v.width} bytes wide but has ${v.slotCount} data slots.`, { record: v.record });
    }
  }
  const dataStart = r.pos;

  // ---- extensions that need no text decoding ----
  const warnings: string[] = [];
  let sysmis = SYSMIS_DEFAULT;
  let codePage: number | undefined;
  let encodingName: string | undefined;
  for (const ext of extensions) {
    const er = new ByteReader(ext.data, littleEndian, file);
    er.record = ext.record;
    er.what = `extension record 7.${ext.subtype}`;
    if (ext.subtype === 3 && ext.size === 4 && ext.count >= 8) {
      er.skip(16);
      const fp = er.i32();
      if (fp !== 1) throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} stores numbers in a non-IEEE format (${fp === 2 ? 'IBM 370' : fp === 3 ? 'DEC VAX' : fp}), which Fieldbook cannot read.`, { file, record: ext.record });
      er.skip(8);
      codePage = er.i32();
    } else if (ext.subtype === 4 && ext.size === 8 && ext.count === 3) {
      sysmis = er.f64();
    } else if (ext.subtype === 16 && ext.size === 8 && ext.count === 2) {
      er.skip(8);
      const n = er.i64();
      if (ncases < 0 && n >= 0) ncases = n;
    } else if (ext.subtype === 20) {
      encodingName = latin1(ext.data).replace(/\0/g, '').trim();
    }
  }

  let encoding: string;
  if (options.encoding) {
    const n = normaliseEncodingName(options.encoding);
    if (!n) throw new FieldbookError('UNSUPPORTED_FORMAT', `The character encoding "${options.encoding}" is not one Fieldbook can read.`, { file, field: 'encoding' });
    encoding = n;
  } else if (encodingName && normaliseEncodingName(encodingName)) {
    encoding = normaliseEncodingName(encodingName)!;
  } else if (codePage !== undefined && codePageToEncoding(codePage)) {
    encoding = codePageToEncoding(codePage)!;
    if (encodingName) warnings.push(`The file names an unknown encoding "${encodingName}"; read as ${encoding} from its code page.`);
  } else {
    encoding = 'windows-1252';
    warnings.push(`The file does not say its character encoding${encodingName ? ` ("${encodingName}" is unknown)` : ''}; read as windows-1252.`);
  }
  const dec = makeDecoder(encoding, file);
  const text = (b: Uint8Array): string => dec.decode(b, 0, b.length);

  // ---- extensions that carry text ----
  const longNames = new Map<string, string>();
  const veryLong = new Map<string, number>();
  const mrsets: SpssMrSet[] = [];
  let display: Extension | undefined;
  for (const ext of extensions) {
    if (ext.subtype === 13) {
      for (const pair of dec.decode(ext.data, 0, ext.data.length).split('\t')) {
        const eq = pair.indexOf('=');
        if (eq > 0) longNames.set(pair.slice(0, eq).toUpperCase(), pair.slice(eq + 1).replace(/\0/g, ''));
      }
    } else if (ext.subtype === 14) {
      // Keys are short names, ASCII in practice, which latin1 keeps byte for byte.
      for (const pair of latin1(ext.data).split('\t')) {
        const clean = pair.replace(/\0/g, '');
        const eq = clean.indexOf('=');
        if (eq <= 0) continue;
        const key = clean.slice(0, eq);
        const width = Number(clean.slice(eq + 1));
        if (!Number.isInteger(width) || width < 1 || width > 32767) fail(file, `${file} has a damaged very-long-string record (record ${ext.record}): width "${clean.slice(eq + 1)}".`, { record: ext.record, offset: ext.offset });
        veryLong.set(key.toUpperCase(), width);
      }
    } else if (ext.subtype === 7 || ext.subtype === 19) {
      mrsets.push(...parseMrSets(ext.data, dec, file, ext.record));
    } else if (ext.subtype === 11) display = ext;
  }

  if (display) {
    const n = display.count;
    const per = n === vars.length * 3 ? 3 : n === vars.length * 2 ? 2 : 0;
    if (per === 0) warnings.push('The display settings record does not match the variables; measures were not read.');
    else {
      const dr = new ByteReader(display.data, littleEndian, file);
      dr.record = display.record;
      for (const v of vars) {
        v.measure = dr.i32();
        if (per === 3) v.displayWidth = dr.i32();
        v.alignment = dr.i32();
      }
    }
  }

  // ---- variables: join very long string segments, decode names, labels and missing values ----
  const out: SpssVariable[] = [];
  /** Per output variable, where its bytes sit in a case: [slot, bytes] pieces. */
  const layout: Layout[] = [];
  const byName = new Map<string, SpssVariable>();
  for (let i = 0; i < vars.length; i++) {
    const rv = vars[i]!;
    const shortName = latin1(rv.shortNameBytes).trim();
    const name = longNames.get(shortName.toUpperCase()) ?? shortName;
    let width = rv.width;
    const pieces: [number, number][] = [];
    const vlWidth = rv.width > 0 ? veryLong.get(shortName.toUpperCase()) : undefined;
    if (vlWidth !== undefined && vlWidth > 255) {
      const segments = Math.ceil(vlWidth / 252);
      if (i + segments > vars.length) fail(file, `${file}: very long string ${name} needs ${segments} segments but the file has too few variables.`, { record: rv.record });
      for (let s = 0; s < segments; s++) {
        const seg = vars[i + s]!;
        if (seg.width === 0) fail(file, `${file}: very long string ${name} has a numeric variable among its segments.`, { record: seg.record });
        // Every segment but the last carries 255 bytes; the last is narrower, and the joined
        // value is 3 bytes longer per segment than the width, which are padding.
        pieces.push([seg.slotStart, seg.width]);
      }
      width = vlWidth;
      i += segments - 1;
    } else if (rv.width > 0) {
      pieces.push([rv.slotStart, rv.width]);
    }
    const missing: MissingSpec = { values: [] };
    const dv = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, littleEndian);
    if (rv.missingCode !== 0) {
      const raw = rv.missingRaw;
      if (width === 0) {
        if (rv.missingCode < 0) {
          missing.range = { low: dv(raw[0]!), high: dv(raw[1]!) };
          if (rv.missingCode === -3) missing.values.push(dv(raw[2]!));
        } else for (const b of raw) missing.values.push(dv(b));
      } else {
        const strs = raw.map(text);
        if (rv.missingCode < 0) {
          // A string "range" is only meaningful as one value (lo = hi), as some writers store it.
          if (strs[0] === strs[1]) missing.values.push(strs[0]!);
          else warnings.push(`${name}: a missing-value range on a string variable ("${strs[0]}" to "${strs[1]}") cannot be kept.`);
          if (rv.missingCode === -3) missing.values.push(strs[2]!);
        } else missing.values.push(...strs);
      }
    }
    const valueLabels: { code: number | string; label: string }[] = [];
    for (const l of rv.valueLabels ?? []) {
      valueLabels.push({ code: width === 0 ? dv(l.raw) : text(l.raw), label: text(l.label) });
    }
    const v: SpssVariable = {
      shortName,
      name,
      label: rv.labelBytes ? text(rv.labelBytes) : '',
      width,
      print: rv.print,
      write: rv.write,
      missing,
      valueLabels,
      measure: measureFromCode(rv.measure ?? 0),
    };
    if (rv.displayWidth !== undefined) v.displayWidth = rv.displayWidth;
    const align = rv.alignment !== undefined ? alignmentFromCode(rv.alignment) : undefined;
    if (align) v.alignment = align;
    out.push(v);
    byName.set(name.toUpperCase(), v);
    // Labelled numerics (choice questions) may keep their bytecodes as answers; dates and times
    // are changed into other units afterwards, so they are always numbers.
    const codable = width === 0 && valueLabels.length > 0 && !isDateFormat(rv.print) && !isTimeFormat(rv.print);
    layout.push({ v, numericSlot: width === 0 ? rv.slotStart : -1, pieces, codable });
  }

  // 7.21: value labels of long strings, which the 8-byte type-3 records cannot hold.
  for (const ext of extensions.filter((e) => e.subtype === 21)) {
    const er = new ByteReader(ext.data, littleEndian, file);
    er.record = ext.record;
    er.what = 'long string value labels (7.21)';
    while (er.remaining > 0) {
      const varName = text(er.take(er.i32()));
      er.i32(); // width
      const n = er.i32();
      const labels: { code: string; label: string }[] = [];
      for (let k = 0; k < n; k++) {
        const value = text(er.take(er.i32()));
        const label = text(er.take(er.i32()));
        labels.push({ code: value, label });
      }
      const v = byName.get(varName.toUpperCase());
      if (v) v.valueLabels = labels;
      else warnings.push(`Value labels for "${varName}" name no variable in the file.`);
    }
  }
  // 7.22: missing values of long strings.
  for (const ext of extensions.filter((e) => e.subtype === 22)) {
    const er = new ByteReader(ext.data, littleEndian, file);
    er.record = ext.record;
    er.what = 'long string missing values (7.22)';
    while (er.remaining > 0) {
      const varName = text(er.take(er.i32()));
      const n = er.u8();
      const len = er.i32();
      const values: string[] = [];
      for (let k = 0; k < n; k++) values.push(text(er.take(len)));
      const v = byName.get(varName.toUpperCase());
      if (v) v.missing = { values };
    }
  }

  const weightOwner = weightIndex > 0 ? slotOwner[weightIndex] : undefined;
  const weightVar = weightOwner ? out[layout.findIndex((l) => l.numericSlot === weightOwner.slotStart)] : undefined;

  // ---- data ----
  // Everything that points into `bytes` is decoded before the cases may reuse it as a window.
  const info: SpssFileInfo = {
    format: compression === 2 ? 'zsav' : 'sav',
    encoding: dec.name,
    product,
    created,
    fileLabel: text(fileLabelBytes),
    documents: documents.map((d) => text(d)),
    compression: compression === 0 ? 'none' : compression === 1 ? 'bytecode' : 'zlib',
    bigEndian: !littleEndian,
  };
  if (weightVar) info.weightVariable = weightVar.name;

  if (source && compression !== 1) throw new NeedMoreBytes(true);
  if (compression !== 0 && !Number.isFinite(bias)) {
    // A NaN bias would turn every compressed answer into a blank; every writer uses 100.
    warnings.push(`The file's compression bias is ${bias} (not a number); its answers were read with the standard bias, 100. Check a few against the program that wrote it.`);
    bias = 100;
  }
  let data: Buffer;
  let dataOffset: number;
  if (compression === 2) {
    data = inflateZsav(bytes, dataStart, littleEndian, file, r.record + 1);
    dataOffset = 0;
    bias = bias || 100;
  } else {
    data = bytes;
    dataOffset = dataStart;
  }
  checkCancel(options.signal, file);
  const rows = decodeCases(data, dataOffset, compression !== 0, littleEndian, bias, sysmis, slots, ncases, layout, dec, file, options.signal, source);
  return buildParsedSurvey(info, out, rows, mrsets, warnings);
}

/** The zlib blocks of a .zsav, found through its trailer, inflated into one bytecode stream. */
function inflateZsav(bytes: Uint8Array, at: number, le: boolean, file: string, record: number): Buffer {
  const r = new ByteReader(bytes, le, file, at);
  r.record = record;
  r.what = 'zlib header';
  const zheaderOfs = r.i64();
  const ztrailerOfs = r.i64();
  const ztrailerLen = r.i64();
  if (zheaderOfs !== at) r.fail(`${file} has a damaged zlib header: it says it is at byte ${zheaderOfs}, not ${at}.`, at);
  if (ztrailerOfs < at + 24 || ztrailerOfs + ztrailerLen > bytes.length || ztrailerLen < 24) {
    r.fail(`${file} ends too early or its zlib trailer is damaged: the trailer should be at bytes ${ztrailerOfs}-${ztrailerOfs + ztrailerLen} of ${bytes.length}. The file is probably truncated.`, at + 8);
  }
  const t = new ByteReader(bytes, le, file, ztrailerOfs);
  t.record = record + 1;
  t.what = 'zlib trailer';
  t.i64(); // bias, as an integer
  t.i64(); // zero
  t.i32(); // block size
  const nBlocks = t.i32();
  if (nBlocks < 0 || 24 + nBlocks * 24 > ztrailerLen) t.fail(`${file} has a damaged zlib trailer (${nBlocks} blocks).`, ztrailerOfs);
  const blocks: { cofs: number; usize: number; csize: number }[] = [];
  let total = 0;
  for (let i = 0; i < nBlocks; i++) {
    t.i64(); // uncompressed offset
    const cofs = t.i64();
    const usize = t.i32();
    const csize = t.i32();
    // zlib never expands more than about 1032:1, so a larger claim is damage, not data to allocate for.
    if (cofs < at + 24 || cofs + csize > ztrailerOfs || usize < 0 || csize < 0 || usize > csize * 1100 + 1024) t.fail(`${file} has a damaged zlib block table (block ${i + 1}).`, t.pos - 24);
    blocks.push({ cofs, usize, csize });
    total += usize;
  }
  const out = Buffer.alloc(total);
  let o = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    let chunk: Buffer;
    try {
      // The output limit stops a block that inflates past what its table says (a "zip bomb") at that size.
      chunk = zlib.inflateSync(bytes.subarray(b.cofs, b.cofs + b.csize), { maxOutputLength: Math.max(1, b.usize) });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new FieldbookError(
          'PARSE_ERROR',
          `${file} was refused: compressed block ${i + 1} of ${blocks.length} inflates to more than the ${b.usize} bytes its table says. The file is damaged or made to exhaust memory.`,
          { file, record: record + 2 + i, offset: b.cofs },
        );
      }
      throw new FieldbookError('PARSE_ERROR', `${file} has a damaged compressed block (block ${i + 1} of ${blocks.length}): ${(e as Error).message}.`, { file, record: record + 2 + i, offset: b.cofs });
    }
    if (chunk.length !== b.usize) throw new FieldbookError('PARSE_ERROR', `${file}: compressed block ${i + 1} inflates to ${chunk.length} bytes, not the ${b.usize} its table says.`, { file, record: record + 2 + i, offset: b.cofs });
    out.set(chunk, o);
    o += chunk.length;
  }
  return out;
}

interface Layout {
  v: SpssVariable;
  numericSlot: number;
  pieces: [number, number][];
  /** A numeric whose compressed answers may be kept as their bytecodes (see ByteCodes). */
  codable: boolean;
}

/**
 * Decodes every case straight into one Float64Array per numeric variable; strings are gathered
 * into a case buffer and decoded once per cell. No per-cell objects on the numeric path.
 */
type Latin1Sliceable = Buffer & { latin1Slice?: (start: number, end: number) => string };
const hasLatin1Slice = typeof (Buffer.prototype as Latin1Sliceable).latin1Slice === 'function';

/** Buffer's own latin1Slice skips toString's argument handling: 40% faster per short string. */
function latin1Slice(src: Buffer, start: number, end: number): string {
  return hasLatin1Slice ? (src as Latin1Sliceable).latin1Slice!(start, end) : src.toString('latin1', start, end);
}

const INTERN_SLOTS = 1024;
/** Wider string variables are decoded answer by answer, not interned. */
const INTERN_MAX_WIDTH = 64;

/**
 * One short string variable's answers, interned. Survey strings repeat ("yes", "no", a handful of
 * countries): the last string seen per hash bucket is handed out again when the case's bytes
 * match it, instead of being decoded and allocated anew. The case buffer is read as 32-bit words
 * (a variable's slots start on 8-byte boundaries there), so a 40-byte answer is hashed and
 * compared in 10 steps, not 40. The words compared include the padding of the last slot: bytes
 * that differ only there cost a decode, never a wrong string.
 */
class StringInterner {
  private readonly hashes = new Int32Array(INTERN_SLOTS);
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
  private readonly stored: Int32Array;

  constructor(
    /** Where the variable starts in the case buffer, in words. */
    private readonly firstWord: number,
    /** Its slots, in words (2 per slot). */
    private readonly words: number,
    /** Its width in bytes: what is decoded. */
    private readonly width: number,
    private readonly dec: TextDecoderFn,
  ) {
    this.stored = new Int32Array(INTERN_SLOTS * words);
  }

  /** The answer in the case that starts at word `caseWord` of the buffer ('' when blank). */
  get(caseWords: Int32Array, caseBytes: Buffer, caseWord: number): string {
    const first = this.firstWord + caseWord;
    const n = this.words;
    let h = 0;
    let high = 0;
    for (let i = 0; i < n; i++) {
      const w = caseWords[first + i]!;
      h = (Math.imul(h, 0x9e3779b1) + w) | 0;
      high |= w;
    }
    h ^= h >>> 16;
    const slot = h & (INTERN_SLOTS - 1);
    const base = slot * n;
    const hit = this.strings[slot];
    if (hit !== undefined && this.hashes[slot] === h) {
      let i = 0;
      while (i < n && this.stored[base + i] === caseWords[first + i]) i++;
      if (i === n) return hit;
    }
    const start = first * 4;
    const end = trimEnd(caseBytes, start, start + this.width);
    // Every encoding SPSS files use is a superset of ASCII, so ASCII bytes need no decoder.
    const s = end === start ? '' : (high & 0x80808080) === 0 ? latin1Slice(caseBytes, start, end) : this.dec.decode(caseBytes, start, end);
    this.hashes[slot] = h;
    this.strings[slot] = s;
    for (let i = 0; i < n; i++) this.stored[base + i] = caseWords[first + i]!;
    return s;
  }
}

/**
 * Walks the bytecode stream: blocks of 8 command bytes, each followed by the raw 8-byte values
 * its 253 codes announce. A case may end mid-block; the next one carries on from there. Kept
 * small and free of closures so the optimiser compiles it early and well; it decodes a block of
 * cases per call, so the state lives in locals across hundreds of cases.
 */
class BytecodeCursor {
  p: number;
  cmd = 0;
  cmdEnd = 0;
  end: number;
  /** The end-of-data mark (252) was met. */
  done = false;
  /**
   * Answers of byte-coded columns that are not a bytecode (a raw number after code 253): slot,
   * row, value, three entries each. Rare: such a column is made numbers after the read.
   */
  readonly exceptions: number[] = [];
  /** File offset of data[0]; moves on as the window slides. */
  fileBase = 0;
  private readonly view: DataView;
  private readonly caseView: DataView;

  constructor(
    private readonly data: Buffer,
    start: number,
    private readonly le: boolean,
    private readonly bias: number,
    private readonly sysmis: number,
    private readonly slots: number,
    public slotBase: Int32Array,
    caseBuf: Buffer,
    private readonly file: string,
    private readonly source: SavSource | undefined,
    private readonly fileEnd: number,
  ) {
    this.p = start;
    this.end = data.length;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.caseView = new DataView(caseBuf.buffer, caseBuf.byteOffset, caseBuf.byteLength);
  }

  private truncated(row: number): never {
    fail(this.file, `${this.file} ends too early: the data stop inside case ${row + 1} (byte ${this.fileEnd}). The file is probably truncated.`, { record: row + 1, offset: this.fileEnd });
  }

  /** More bytes from disk when the window runs low: a command block and its values take at most 72. */
  private slide(): void {
    const { data, source } = this;
    if (!source || this.p + 72 <= this.end || this.fileBase + this.end >= this.fileEnd) return;
    const keep = this.end - this.p;
    data.copy(data, 0, this.p, this.end);
    this.fileBase += this.p;
    this.end = keep + fs.readSync(source.fd, data, keep, data.length - keep, this.fileBase + keep);
    this.p = 0;
  }

  /**
   * Decodes up to `count` cases from case `row` on: numbers into `out`, the string slots of the
   * i-th case into the case buffer at i × slots × 8. Returns how many were decoded: fewer only
   * at the end of the data.
   */
  decode(out: Float64Array, codes: Uint8Array, row: number, count: number): number {
    const { data, view, caseView, le, bias, sysmis, slots, slotBase } = this;
    let { p, cmd, cmdEnd, end } = this;
    const caseBytes = slots * 8;
    let i = 0;
    cases: for (; i < count; i++) {
      const r = row + i;
      const at = i * caseBytes;
      for (let slot = 0; slot < slots; ) {
        if (cmd === cmdEnd) {
          // Within 72 bytes of the window's end a block's values may not all be there yet.
          if (p + 72 > end) {
            this.p = p;
            this.slide();
            p = this.p;
            end = this.end;
            if (p + 8 > end) {
              if (slot === 0) break cases;
              this.truncated(r);
            }
          }
          cmd = p;
          cmdEnd = p + 8;
          p += 8;
        }
        const c = data[cmd++]!;
        if (c === 0) continue;
        // col ≥ 0: a number column at out[col]; -1: a string slot; ≤ -2: a byte column at codes[-2 - col].
        const col = slotBase[slot]!;
        if (c <= 251) {
          if (col >= 0) out[col + r] = c - bias;
          else if (col === -1) spaces(caseView, at + slot * 8);
          else codes[r - 2 - col] = c;
        } else if (c === 253) {
          if (p + 8 > end) this.truncated(r);
          if (col >= 0) {
            const v = view.getFloat64(p, le);
            out[col + r] = v === sysmis ? NaN : v;
          } else if (col === -1) {
            // Two 32-bit moves: a subarray per chunk would be a million short-lived objects,
            // and a byte loop costs as much as all the numeric cells together.
            caseView.setInt32(at + slot * 8, view.getInt32(p, true), true);
            caseView.setInt32(at + slot * 8 + 4, view.getInt32(p + 4, true), true);
          } else {
            const v = view.getFloat64(p, le);
            this.exceptions.push(slot, r, v === sysmis ? NaN : v);
            codes[r - 2 - col] = BYTE_NO_ANSWER;
          }
          p += 8;
        } else if (c === 254 || c === 255) {
          if (col >= 0) out[col + r] = NaN;
          else if (col === -1) spaces(caseView, at + slot * 8);
          else codes[r - 2 - col] = BYTE_NO_ANSWER;
        } else {
          // 252: the writer's end-of-data mark.
          if (slot !== 0) fail(this.file, `${this.file} ends inside case ${r + 1}: the end-of-data mark comes before the case is complete.`, { record: r + 1, offset: this.fileBase + cmd - 1 });
          this.done = true;
          break cases;
        }
        slot++;
      }
    }
    this.p = p;
    this.cmd = cmd;
    this.cmdEnd = cmdEnd;
    if (i < count) this.done = true;
    return i;
  }
}

function spaces(view: DataView, at: number): void {
  view.setInt32(at, 0x20202020, true);
  view.setInt32(at + 4, 0x20202020, true);
}

function decodeCases(
  data: Buffer,
  start: number,
  compressed: boolean,
  le: boolean,
  bias: number,
  sysmis: number,
  slots: number,
  ncases: number,
  layout: Layout[],
  dec: TextDecoderFn,
  file: string,
  signal: AbortSignal | undefined,
  source?: SavSource,
): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const caseBytes = slots * 8;
  const end = data.length;
  const fileEnd = source ? source.size : data.length;
  let capacity: number;
  if (ncases >= 0) capacity = ncases;
  else if (!compressed) capacity = Math.floor((end - start) / caseBytes);
  else capacity = Math.max(16, Math.floor((fileEnd - start) / Math.max(1, slots)));
  // A corrupt case count must not make us allocate gigabytes before noticing the file is short:
  // every slot of a compressed case costs at least one command byte.
  const most = Math.floor((fileEnd - start) / Math.max(1, slots)) + 1;
  if (compressed && capacity > most) capacity = most;
  if (!compressed && ncases >= 0 && ncases * caseBytes > end - start) {
    const whole = Math.floor((end - start) / caseBytes);
    fail(file, `${file} ends too early: its header promises ${ncases} cases but the data stop inside case ${whole + 1} (byte ${end}). The file is probably truncated.`, { record: whole + 1, offset: end });
  }

  const numeric: Layout[] = [];
  /** Labelled numerics of a compressed file: their bytecodes are kept, a byte per answer. */
  const coded: Layout[] = [];
  const strings: Layout[] = [];
  for (const l of layout) {
    if (l.numericSlot >= 0) (compressed && l.codable ? coded : numeric).push(l);
    else strings.push(l);
  }
  // All numeric columns live in one array, column after column: one typed-array store per cell
  // instead of a lookup of the column's own array, which the hot loop below feels.
  if (numeric.length * capacity > 0x7fffffff) {
    throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is too large to read at once (${numeric.length} numeric variables × ${capacity} cases).`, { file });
  }
  let flat = new Float64Array(numeric.length * capacity);
  let codes = new Uint8Array(coded.length * capacity);
  /** slot → where its column starts in `flat` (≥ 0), -1 for the slots of strings, -2 - start in `codes`. */
  const slotBase = new Int32Array(slots).fill(-1);
  const setBases = (): void => {
    for (let k = 0; k < numeric.length; k++) slotBase[numeric[k]!.numericSlot] = k * capacity;
    for (let k = 0; k < coded.length; k++) slotBase[coded[k]!.numericSlot] = -2 - k * capacity;
  };
  setBases();
  // Sized for the cases the header promises (a guess from the file size is only a bound, so capped).
  const strCols = strings.map(() => new Array<string | null>(ncases >= 0 ? capacity : Math.min(capacity, 1 << 16)));
  const maxPieces = strings.reduce((m, l) => Math.max(m, l.pieces.reduce((t, [, n]) => t + n, 0)), 0);
  const scratch = Buffer.alloc(Math.max(8, maxPieces));
  // Cases are decoded a block at a time; the block's string slots wait in `blockBuf` (also seen
  // as words, which the interners read) until the block's strings are decoded column by column.
  const block = Math.max(1, Math.min(256, Math.floor((1 << 20) / caseBytes)));
  const blockWords = new Int32Array(block * slots * 2);
  const blockBuf = Buffer.from(blockWords.buffer, 0, block * caseBytes);

  const ensure = (rows: number): void => {
    while (rows > capacity) {
      const old = capacity;
      capacity = Math.min(capacity * 2 + 16, Math.floor(0x7fffffff / Math.max(1, numeric.length)));
      if (capacity <= old) throw new FieldbookError('UNSUPPORTED_FORMAT', `${file} is too large to read at once (more than ${old} cases).`, { file });
      const next = new Float64Array(numeric.length * capacity);
      for (let k = 0; k < numeric.length; k++) next.set(flat.subarray(k * old, k * old + old), k * capacity);
      flat = next;
      const nextCodes = new Uint8Array(coded.length * capacity);
      for (let k = 0; k < coded.length; k++) nextCodes.set(codes.subarray(k * old, k * old + old), k * capacity);
      codes = nextCodes;
      setBases();
    }
  };
  // A string of up to 64 bytes is interned; a wider one (its segments joined in `scratch` when it
  // is a very long string) is decoded as it comes: long answers rarely repeat, and hashing and
  // keeping 32 words an answer would cost more than it saves.
  const interners = strings.map((l) =>
    l.pieces.length === 1 && l.pieces[0]![1] <= INTERN_MAX_WIDTH ? new StringInterner(l.pieces[0]![0] * 2, Math.ceil(l.pieces[0]![1] / 8) * 2, l.pieces[0]![1], dec) : null,
  );
  const readStrings = (row: number, count: number): void => {
    for (let k = 0; k < strings.length; k++) {
      const interner = interners[k];
      const col = strCols[k]!;
      if (interner) {
        for (let i = 0; i < count; i++) {
          const s = interner.get(blockWords, blockBuf, i * slots * 2);
          col[row + i] = s === '' ? null : s;
        }
        continue;
      }
      const { pieces, v } = strings[k]!;
      for (let i = 0; i < count; i++) {
        let o = 0;
        for (const [slot, n] of pieces) {
          blockBuf.copy(scratch, o, i * caseBytes + slot * 8, i * caseBytes + slot * 8 + n);
          o += n;
        }
        const s = dec.decode(scratch, 0, trimEnd(scratch, 0, Math.min(o, v.width)));
        col[row + i] = s === '' ? null : s;
      }
    }
  };

  let row = 0;
  let cursor: BytecodeCursor | undefined;
  if (!compressed) {
    const total = ncases >= 0 ? ncases : capacity;
    if (ncases < 0 && (end - start) % caseBytes !== 0) {
      fail(file, `${file} ends too early: the data stop inside case ${total + 1} (byte ${end}). The file is probably truncated.`, { record: total + 1, offset: end });
    }
    for (; row < total; row++) {
      const base = start + row * caseBytes;
      for (let k = 0; k < numeric.length; k++) {
        const v = view.getFloat64(base + numeric[k]!.numericSlot * 8, le);
        flat[k * capacity + row] = v === sysmis ? NaN : v;
      }
      if ((row & 0x3fff) === 0x3fff) checkCancel(signal, file);
    }
    if (strings.length > 0) {
      for (let first = 0; first < total; first += block) {
        const count = Math.min(block, total - first);
        data.copy(blockBuf, 0, start + first * caseBytes, start + (first + count) * caseBytes);
        readStrings(first, count);
      }
    }
  } else {
    const cur = new BytecodeCursor(data, start, le, bias, sysmis, slots, slotBase, blockBuf, file, source, fileEnd);
    cursor = cur;
    let sinceCheck = 0;
    while (!cur.done) {
      const want = ncases >= 0 ? Math.min(block, ncases - row) : block;
      if (want <= 0) break;
      ensure(row + want);
      cur.slotBase = slotBase;
      const got = cur.decode(flat, codes, row, want);
      if (strings.length > 0 && got > 0) readStrings(row, got);
      row += got;
      sinceCheck += got;
      if (sinceCheck >= 0x4000) {
        sinceCheck = 0;
        checkCancel(signal, file);
      }
    }
    if (ncases >= 0 && row < ncases) {
      fail(file, `${file} ends too early: its header promises ${ncases} cases but the data hold only ${row}. The file is probably truncated.`, { record: row + 1, offset: cur.fileBase + cur.p });
    }
  }

  if (coded.length > 0) {
    const exceptions = cursor?.exceptions ?? [];
    const bySlot = new Map<number, number[]>();
    for (let i = 0; i < exceptions.length; i += 3) {
      const list = bySlot.get(exceptions[i]!) ?? [];
      list.push(exceptions[i + 1]!, exceptions[i + 2]!);
      bySlot.set(exceptions[i]!, list);
    }
    for (let k = 0; k < coded.length; k++) {
      const bytes = codes.subarray(k * capacity, k * capacity + row);
      const odd = bySlot.get(coded[k]!.numericSlot);
      if (!odd) {
        coded[k]!.v.byteCodes = { bytes, bias };
        continue;
      }
      // Some answer is not a bytecode (a fraction, a code beyond the bias's range): numbers after all.
      const numbers = new Float64Array(row);
      for (let r = 0; r < row; r++) numbers[r] = bytes[r] === BYTE_NO_ANSWER ? NaN : bytes[r]! - bias;
      for (let i = 0; i < odd.length; i += 2) numbers[odd[i]!] = odd[i + 1]!;
      coded[k]!.v.numbers = numbers;
    }
  }
  for (let k = 0; k < numeric.length; k++) {
    // Views into one buffer when the count was exact (the usual case): no copy of the data.
    numeric[k]!.v.numbers = row === capacity ? flat.subarray(k * capacity, k * capacity + row) : flat.slice(k * capacity, k * capacity + row);
  }
  for (let k = 0; k < strings.length; k++) {
    const col = strCols[k]!;
    if (col.length !== row) col.length = row;
    strings[k]!.v.strings = col;
  }
  return row;
}
