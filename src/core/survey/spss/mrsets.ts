import { FieldbookError } from '../../../shared/errors';
import type { SpssMrSet } from './dictionary';
import type { TextDecoderFn } from './encoding';

/**
 * Multiple response sets (records 7.7 and 7.19), one set per line:
 *   $name=C <label-len> <label> <var> <var>...
 *   $name=D<value-len> <value> <label-len> <label> <var>...
 *   $name=E <1|11> <value-len> <value> <label-len> <label> <var>...
 * Lengths count bytes in the file's encoding, so the line is parsed as bytes and decoded piecewise.
 */
export function parseMrSets(data: Uint8Array, dec: TextDecoderFn, file: string, record: number): SpssMrSet[] {
  const sets: SpssMrSet[] = [];
  let p = 0;
  const bad = (why: string): never => {
    throw new FieldbookError('PARSE_ERROR', `${file} has a damaged multiple response set record (${why}).`, { file, record, offset: p });
  };
  const readInt = (): number => {
    const s = p;
    while (p < data.length && data[p]! >= 0x30 && data[p]! <= 0x39) p++;
    if (s === p) bad('a length is missing');
    return Number(Buffer.from(data.subarray(s, p)).toString('latin1'));
  };
  const expectSpace = (): void => {
    if (data[p] !== 0x20) bad('a space is missing');
    p++;
  };
  const counted = (): string => {
    const n = readInt();
    expectSpace();
    if (p + n > data.length) bad('a value runs past the end');
    const s = dec.decode(data, p, p + n);
    p += n;
    return s;
  };

  while (p < data.length) {
    // Blank lines and stray NUL padding between sets.
    if (data[p] === 0x0a || data[p] === 0x20 || data[p] === 0) {
      p++;
      continue;
    }
    const eq = data.indexOf(0x3d, p);
    if (eq < 0) bad('a set has no "="');
    let name = dec.decode(data, p, eq);
    if (name.startsWith('$')) name = name.slice(1);
    p = eq + 1;
    const kindByte = data[p++];
    let kind: SpssMrSet['kind'] = 'category';
    let countedValue: string | undefined;
    let labelSource: number | undefined;
    if (kindByte === 0x43 /* C */) {
      kind = 'category';
      expectSpace();
    } else if (kindByte === 0x44 /* D */) {
      kind = 'dichotomy';
      countedValue = counted();
      expectSpace();
    } else if (kindByte === 0x45 /* E */) {
      kind = 'dichotomy';
      expectSpace();
      // CATEGORYLABELS=COUNTEDVALUES: 1, or 11 when the set takes its label from its first variable's (LABELSOURCE=VARLABEL).
      labelSource = readInt();
      expectSpace();
      countedValue = counted();
      expectSpace();
    } else {
      bad(`unknown set type "${String.fromCharCode(kindByte ?? 32)}"`);
    }
    const labelLen = readInt();
    expectSpace();
    if (p + labelLen > data.length) bad('a label runs past the end');
    const label = dec.decode(data, p, p + labelLen);
    p += labelLen;
    let lineEnd = data.indexOf(0x0a, p);
    if (lineEnd < 0) lineEnd = data.length;
    const variables = dec
      .decode(data, p, lineEnd)
      .split(' ')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    p = lineEnd + 1;
    const set: SpssMrSet = { name, label, kind, variables };
    if (countedValue !== undefined) set.countedValue = countedValue;
    if (labelSource !== undefined) {
      set.optionLabelsFromCountedValue = true;
      if (labelSource === 11) set.labelFromFirstVariable = true;
    }
    sets.push(set);
  }
  return sets;
}
