/** A participant attribute's value as the grid holds it. */
export type AttributeValue = string | number | null | undefined;

/**
 * Orders attribute values the way a reader expects: a number attribute by value (6, 7, 10, 16, not
 * 10, 16, 6, 7), text by the interface language's collation with digit runs read as numbers
 * ("P2" before "P10"). Empty values go last either way.
 */
export function compareAttributeValues(a: AttributeValue, b: AttributeValue, type: 'text' | 'number', lang: string): number {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (type === 'number') {
    const x = Number(a);
    const y = Number(b);
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
    if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
  }
  return String(a).localeCompare(String(b), lang, { numeric: true, sensitivity: 'base' });
}
