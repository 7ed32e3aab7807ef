/**
 * SPSS print/write formats: a packed int32 (type << 16 | width << 8 | decimals). The format is
 * what tells a date (seconds since 1582-10-14) apart from a plain number.
 */
export interface SpssFormat {
  type: string;
  width: number;
  decimals: number;
}

const FORMAT_TYPES: Record<number, string> = {
  1: 'A',
  2: 'AHEX',
  3: 'COMMA',
  4: 'DOLLAR',
  5: 'F',
  6: 'IB',
  7: 'PIBHEX',
  8: 'P',
  9: 'PIB',
  10: 'PK',
  11: 'RB',
  12: 'RBHEX',
  15: 'Z',
  16: 'N',
  17: 'E',
  20: 'DATE',
  21: 'TIME',
  22: 'DATETIME',
  23: 'ADATE',
  24: 'JDATE',
  25: 'DTIME',
  26: 'WKDAY',
  27: 'MONTH',
  28: 'MOYR',
  29: 'QYR',
  30: 'WKYR',
  31: 'PCT',
  32: 'DOT',
  33: 'CCA',
  34: 'CCB',
  35: 'CCC',
  36: 'CCD',
  37: 'CCE',
  38: 'EDATE',
  39: 'SDATE',
  // PSPP numbers these 40 and 41; IBM's I/O module uses 85 and 86. Both occur in the wild.
  40: 'MTIME',
  41: 'YMDHMS',
  85: 'MTIME',
  86: 'YMDHMS',
};

export function unpackFormat(packed: number): SpssFormat {
  const code = (packed >>> 16) & 0xff;
  return {
    type: FORMAT_TYPES[code] ?? `UNKNOWN${code}`,
    width: (packed >>> 8) & 0xff,
    decimals: packed & 0xff,
  };
}

/** Looks a format up by name (portable files spell the type as a number too, same table). */
export function formatTypeName(code: number): string {
  return FORMAT_TYPES[code] ?? `UNKNOWN${code}`;
}

export function formatToString(f: SpssFormat): string {
  return f.decimals > 0 ? `${f.type}${f.width}.${f.decimals}` : `${f.type}${f.width}`;
}

/** Formats whose values are points in time: seconds since the Gregorian calendar began. */
const DATE_FORMATS = new Set(['DATE', 'ADATE', 'EDATE', 'SDATE', 'JDATE', 'DATETIME', 'YMDHMS', 'MOYR', 'QYR', 'WKYR']);
/** Formats whose values are durations in seconds. */
const TIME_FORMATS = new Set(['TIME', 'DTIME', 'MTIME']);

export function isDateFormat(f: SpssFormat): boolean {
  return DATE_FORMATS.has(f.type);
}

export function isTimeFormat(f: SpssFormat): boolean {
  return TIME_FORMATS.has(f.type);
}

/** 1582-10-14 00:00:00 to 1970-01-01 00:00:00, in seconds. */
export const SPSS_EPOCH_OFFSET_SECONDS = 12_219_379_200;

/** SPSS seconds since 1582-10-14 to JavaScript ms since 1970 UTC; NaN stays NaN. */
export function spssSecondsToMs(seconds: number): number {
  return (seconds - SPSS_EPOCH_OFFSET_SECONDS) * 1000;
}

export type Measure = 'nominal' | 'ordinal' | 'scale' | 'unknown';

export function measureFromCode(code: number): Measure {
  return code === 1 ? 'nominal' : code === 2 ? 'ordinal' : code === 3 ? 'scale' : 'unknown';
}

export type Alignment = 'left' | 'right' | 'center';

export function alignmentFromCode(code: number): Alignment | undefined {
  return code === 0 ? 'left' : code === 1 ? 'right' : code === 2 ? 'center' : undefined;
}
