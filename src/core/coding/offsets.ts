/**
 * REFI-QDA counts positions in Unicode code points; Fieldbook counts JavaScript string indices
 * (UTF-16 code units). They differ only after a character outside the Basic Multilingual Plane
 * (emoji, some CJK extensions), which takes two code units but one code point. The map keeps the
 * UTF-16 index of every such pair, so both conversions are a binary search.
 */
export class OffsetMap {
  /** UTF-16 index of the first unit of each surrogate pair, ascending. */
  private readonly pairs: number[] = [];
  readonly utf16Length: number;
  readonly codePointLength: number;

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.pairs.push(i);
          i++;
        }
      }
    }
    this.utf16Length = text.length;
    this.codePointLength = text.length - this.pairs.length;
  }

  /** Number of pairs starting before UTF-16 index `index`. */
  private pairsBefore(index: number): number {
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.pairs[mid] as number) < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  toCodePoint(utf16: number): number {
    if (this.pairs.length === 0) return utf16;
    // An index inside a pair (never produced by the app) lands on the pair's code point.
    return utf16 - this.pairsBefore(utf16);
  }

  toUtf16(codePoint: number): number {
    if (this.pairs.length === 0) return codePoint;
    // The k-th pair sits at code point pairs[k] - k; count the pairs at code points below `codePoint`.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.pairs[mid] as number) - mid < codePoint) lo = mid + 1;
      else hi = mid;
    }
    return codePoint + lo;
  }
}
