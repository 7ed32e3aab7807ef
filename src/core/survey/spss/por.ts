import { FieldbookError } from '../../../shared/errors';
import { buildParsedSurvey, type SpssFileInfo, type SpssParsedSurvey, type SpssVariable } from './dictionary';
import { makeDecoder, normaliseEncodingName } from './encoding';
import { formatTypeName, type SpssFormat } from './formats';
import type { MissingSpec } from '../model';

/**
 * The SPSS portable file (.por): 80-column text lines, a 200-byte splash, a 256-entry character
 * table, "SPSSPORT", then tagged records whose numbers are written in base 30 ("1.3/" = 1.1) and
 * whose strings carry their length ("6/MYCHAR"). Values end with "/", system-missing is "*.".
 */
export interface PorOptions {
  encoding?: string;
  signal?: AbortSignal;
}

/** Portable character positions 64-188 in the standard order, as the characters they stand for. */
const PORTABLE_CHARS: [number, string][] = [
  [64, '0123456789'],
  [74, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  [100, 'abcdefghijklmnopqrstuvwxyz'],
  [126, ' .<(+|&[]!$*);^-/|,%_>?`:£@\'="≤□±■°†~–└┌≥⁰¹²³⁴⁵⁶⁷⁸⁹┘┐≠—⁽⁾⸸{}\\¢·'],
];

/** Only the ASCII positions are translated: other bytes reach the string decoder untouched. */
function standardTable(): string[] {
  const t = new Array<string>(256).fill('');
  for (const [start, chars] of PORTABLE_CHARS) Array.from(chars).forEach((ch, i) => (t[start + i] = ch.charCodeAt(0) < 0x80 ? ch : ''));
  return t;
}

class PorReader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new FieldbookError('PARSE_ERROR', message, { file: this.file, line: Math.floor(at / 80) + 1, column: (at % 80) + 1 });
  }

  eof(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  char(): string {
    if (this.eof()) this.fail(`${this.file} ends too early: it stops in the middle of a record. The file is probably truncated.`);
    return this.text[this.pos++]!;
  }

  /** A base-30 number ending in "/", or "*." for system-missing (NaN). No closures: it runs per cell. */
  number(): number {
    const text = this.text;
    const len = text.length;
    let pos = this.pos;
    while (text.charCodeAt(pos) === 0x20) pos++;
    const start = pos;
    if (text.charCodeAt(pos) === 0x2a /* * */) {
      if (pos + 2 > len) this.cutShort(pos);
      this.pos = pos + 2;
      return NaN;
    }
    let negative = false;
    if (text.charCodeAt(pos) === 0x2d /* - */) {
      negative = true;
      pos++;
    }
    let mantissa = 0;
    let fraction = 0;
    let seenDot = false;
    let digits = 0;
    for (;;) {
      if (pos >= len) this.cutShort(pos);
      const c = text.charCodeAt(pos++);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 84 ? c - 55 : -1;
      if (d >= 0) {
        mantissa = mantissa * 30 + d;
        if (seenDot) fraction++;
        digits++;
      } else if (c === 0x2e && !seenDot) seenDot = true;
      else if (c === 0x2f || c === 0x2b || c === 0x2d) {
        if (digits === 0) this.badNumber(start, '');
        let exponent = 0;
        if (c !== 0x2f) {
          let e = 0;
          let eDigits = 0;
          for (;;) {
            if (pos >= len) this.cutShort(pos);
            const x = text.charCodeAt(pos++);
            if (x === 0x2f) break;
            const ed = x >= 48 && x <= 57 ? x - 48 : x >= 65 && x <= 84 ? x - 55 : -1;
            if (ed < 0) this.badNumber(start, ' (exponent)');
            e = e * 30 + ed;
            eDigits++;
          }
          if (eDigits === 0) this.badNumber(start, ' (exponent)');
          exponent = c === 0x2d ? -e : e;
        }
        this.pos = pos;
        const scale = exponent - fraction;
        // Dividing by an exact power of 30 keeps "1.3/" at exactly 1.1, which 30^-1 would not.
        const value = scale === 0 ? mantissa : scale > 0 ? mantissa * Math.pow(30, scale) : mantissa / Math.pow(30, -scale);
        return negative ? -value : value;
      } else {
        this.badNumber(start, `: unexpected "${String.fromCharCode(c)}"`);
      }
    }
  }

  private cutShort(at: number): never {
    this.fail(`${this.file} ends too early: it stops in the middle of a record. The file is probably truncated.`, at);
  }

  private badNumber(start: number, why: string): never {
    this.fail(`${this.file} has a damaged number at line ${Math.floor(start / 80) + 1}${why}.`, start);
  }

  integer(): number {
    const at = this.pos;
    const n = this.number();
    if (!Number.isInteger(n)) this.fail(`${this.file} has a damaged record at line ${Math.floor(at / 80) + 1}: expected a whole number.`, at);
    return n;
  }

  /** Raw string bytes as one char per byte (latin1); decoded later with the file's encoding. */
  string(): string {
    const at = this.pos;
    const n = this.integer();
    if (n < 0 || n > 32767) this.fail(`${this.file} has a damaged string length (${n}) at line ${Math.floor(at / 80) + 1}.`, at);
    if (this.pos + n > this.text.length) this.fail(`${this.file} ends too early: it stops inside a string. The file is probably truncated.`, this.text.length);
    const s = this.text.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

/**
 * IBM SPSS 25 writes the date and time formats of .por files as 82 + the system-file code (EDATE
 * as 120, DATETIME as 104, TIME as 103); PSPP warns on them and falls back to F. Map them back so
 * dates stay dates, as pyreadstat reads them.
 */
function porFormatCode(code: number): number {
  return code >= 102 && code <= 123 ? code - 82 : code;
}

/** Joins the 80-column lines (short lines are padded with spaces, as the format says). */
function unwrap(input: Uint8Array): Buffer {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let lines = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) lines++;
  // Padding can at most fill each line to 80 columns.
  const out = Buffer.alloc(bytes.length + lines * 80, 0x20);
  let o = 0;
  let from = 0;
  while (from < bytes.length) {
    let nl = bytes.indexOf(0x0a, from);
    if (nl < 0) nl = bytes.length;
    const stop = nl > from && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
    bytes.copy(out, o, from, stop);
    const len = stop - from;
    o += len;
    // A short line stands for a full one; spaces are already there.
    if (nl < bytes.length && len % 80 !== 0) o += 80 - (len % 80);
    from = nl + 1;
  }
  return out.subarray(0, o);
}

export function readPor(bytes: Uint8Array, file: string, options: PorOptions = {}): SpssParsedSurvey {
  if (options.signal?.aborted) throw new FieldbookError('CANCELLED', `Reading ${file} was cancelled.`, { file });
  const flat = unwrap(bytes);
  if (flat.length < 464) {
    throw new FieldbookError('PARSE_ERROR', `${file} ends too early: it is shorter than the header of an SPSS portable file. The file is probably truncated.`, { file, line: 1 });
  }
  // The file's own character table: position i holds the byte the writer used for portable char i.
  const toPortable = new Int16Array(256).fill(-1);
  for (let i = 64; i < 256; i++) {
    const b = flat[200 + i]!;
    if (toPortable[b] === -1) toPortable[b] = i;
  }
  const standard = standardTable();
  // Bytes outside the table pass through unchanged, as PSPP does; the rest become plain ASCII.
  const map = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    const p = toPortable[b]!;
    map[b] = p >= 0 && standard[p] ? standard[p]!.charCodeAt(0) : b;
  }
  let identity = true;
  for (let b = 0; b < 256; b++) if (map[b] !== b) identity = false;
  if (!identity) for (let i = 0; i < flat.length; i++) flat[i] = map[flat[i]!]!;
  const text = flat.toString('latin1');
  if (text.slice(456, 464) !== 'SPSSPORT') {
    throw new FieldbookError('PARSE_ERROR', `${file} is not an SPSS portable file: the "SPSSPORT" signature is missing.`, { file, line: 6 });
  }

  const r: PorReader = new PorReader(text, file);
  r.pos = 464;
  if (r.char() !== 'A') r.fail(`${file} has no version record after its signature.`);
  const date = r.string();
  const time = r.string();
  // Portable files name no encoding, and writers differ: SPSS writes the code page's bytes, PSPP
  // writes labels in UTF-8 and data in the dictionary's code page. Unless the user chose one, each
  // non-ASCII string is read as UTF-8 when it is valid UTF-8, and as windows-1252 otherwise.
  let chosen: string | undefined;
  if (options.encoding) {
    chosen = normaliseEncodingName(options.encoding);
    if (!chosen) throw new FieldbookError('UNSUPPORTED_FORMAT', `The character encoding "${options.encoding}" is not one Fieldbook can read.`, { file, field: 'encoding' });
  }
  const dec = makeDecoder(chosen ?? 'windows-1252', file);
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  const seen = { utf8: false, cp1252: false };
  const decode = (s: string): string => {
    if (!/[^\x00-\x7f]/.test(s)) {
      // ASCII reads the same in every encoding: only the padding goes.
      let end = s.length;
      while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0)) end--;
      return end === s.length ? s : s.slice(0, end);
    }
    const b = Buffer.from(s, 'latin1');
    if (chosen) return dec.decode(b, 0, b.length);
    try {
      const u = strictUtf8.decode(b).replace(/[ \0]+$/, '');
      seen.utf8 = true;
      return u;
    } catch {
      seen.cp1252 = true;
      return dec.decode(b, 0, b.length);
    }
  };

  let product = '';
  let weightName: string | undefined;
  const vars: (SpssVariable & { raw: string })[] = [];
  const documents: string[] = [];
  const warnings: string[] = [];
  for (;;) {
    const at = r.pos;
    const tag = r.char();
    if (tag === 'F') break;
    const last = vars[vars.length - 1];
    const valueFor = (v: SpssVariable | undefined): number | string => (v && v.width > 0 ? decode(r.string()) : r.number());
    switch (tag) {
      case '1':
        product = decode(r.string());
        break;
      case '2':
      case '3':
        r.string();
        break;
      case '4':
      case '5':
        r.integer();
        break;
      case '6':
        weightName = decode(r.string());
        break;
      case '7': {
        const width = r.integer();
        const name = decode(r.string());
        const fmt = (): SpssFormat => ({ type: formatTypeName(porFormatCode(r.integer())), width: r.integer(), decimals: r.integer() });
        const print = fmt();
        const write = fmt();
        vars.push({ raw: name, shortName: name, name, label: '', width, print, write, missing: { values: [] }, valueLabels: [], measure: 'unknown' });
        break;
      }
      case '8':
      case '9':
      case 'A':
      case 'B': {
        if (!last) r.fail(`${file} has a missing-value record before any variable.`, at);
        const m: MissingSpec = last.missing;
        if (tag === '8') m.values.push(valueFor(last));
        else if (last.width > 0) {
          // String ranges cannot be kept; read and drop them.
          valueFor(last);
          if (tag === 'B') valueFor(last);
          warnings.push(`${last.name}: a missing-value range on a string variable cannot be kept.`);
        } else if (tag === '9') m.range = { low: -Number.MAX_VALUE, high: r.number() };
        else if (tag === 'A') m.range = { low: r.number(), high: Number.MAX_VALUE };
        else m.range = { low: r.number(), high: r.number() };
        break;
      }
      case 'C':
        if (!last) r.fail(`${file} has a variable label before any variable.`, at);
        last.label = decode(r.string());
        break;
      case 'D': {
        const n = r.integer();
        const targets: SpssVariable[] = [];
        for (let i = 0; i < n; i++) {
          const name = decode(r.string());
          const v = vars.find((x) => x.name === name);
          if (!v) r.fail(`${file} has value labels for "${name}", which is not a variable in the file.`, at);
          targets.push(v);
        }
        const count = r.integer();
        const labels: { code: number | string; label: string }[] = [];
        for (let i = 0; i < count; i++) {
          const code = valueFor(targets[0]);
          labels.push({ code, label: decode(r.string()) });
        }
        for (const v of targets) v.valueLabels = labels.map((l) => ({ ...l }));
        break;
      }
      case 'E': {
        const n = r.integer();
        for (let i = 0; i < n; i++) documents.push(decode(r.string()));
        break;
      }
      default:
        r.fail(`${file} has a record of unknown type "${tag}" at line ${Math.floor(at / 80) + 1}.`, at);
    }
  }
  if (vars.length === 0) r.fail(`${file} has no variables.`);

  // ---- data ----
  let capacity = 1024;
  let numbers = vars.map((v) => (v.width === 0 ? new Float64Array(capacity) : null));
  const strings = vars.map((v) => (v.width > 0 ? [] as (string | null)[] : null));
  let rows = 0;
  for (;;) {
    while (r.peek() === ' ' && r.pos < text.length && /^ *$/.test(text.slice(r.pos, r.pos + 80))) r.pos = Math.min(text.length, r.pos + 80);
    if (r.eof()) r.fail(`${file} ends too early: the data have no end mark. The file is probably truncated.`, text.length);
    if (r.peek() === 'Z') break;
    if (rows === capacity) {
      capacity *= 2;
      numbers = numbers.map((a) => {
        if (!a) return null;
        const b = new Float64Array(capacity);
        b.set(a);
        return b;
      });
    }
    for (let k = 0; k < vars.length; k++) {
      if (k > 0 && r.eof()) r.fail(`${file} ends too early: it stops inside case ${rows + 1}. The file is probably truncated.`, text.length);
      if (vars[k]!.width === 0) numbers[k]![rows] = r.number();
      else {
        const s = decode(r.string());
        strings[k]!.push(s === '' ? null : s);
      }
    }
    rows++;
    if ((rows & 0xfff) === 0 && options.signal?.aborted) throw new FieldbookError('CANCELLED', `Reading ${file} was cancelled.`, { file });
  }
  vars.forEach((v, k) => {
    if (v.width === 0) v.numbers = numbers[k]!.slice(0, rows);
    else v.strings = strings[k]!;
  });

  const info: SpssFileInfo = {
    format: 'por',
    encoding: chosen ?? (seen.utf8 && seen.cp1252 ? 'UTF-8 and windows-1252 (per string)' : seen.utf8 ? 'UTF-8' : 'windows-1252'),
    product,
    created: `${date} ${time}`.trim(),
    fileLabel: '',
    documents,
    compression: 'none',
    bigEndian: false,
  };
  if (weightName) info.weightVariable = weightName;
  return buildParsedSurvey(info, vars, rows, [], warnings);
}
