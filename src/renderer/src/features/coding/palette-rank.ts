import type { Code } from '../../../../shared/contract/coding';

/**
 * How well a code answers what was typed, best first: its own name exactly, then its name
 * starting with it, a word of its name starting with it, its name containing it, a keyword, and
 * last its definition. A parent whose definition names its child ("Infrastructure: edge, GPU...")
 * so never outranks the child the user typed, and Enter applies the code whose name was typed.
 */
function rank(code: Code, q: string): number {
  const name = code.name.toLowerCase();
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.split(/[\s/\-_,.()]+/).some((w) => w.startsWith(q))) return 2;
  if (name.includes(q)) return 3;
  if (code.keywords.some((k) => k.toLowerCase().includes(q))) return 4;
  if (code.definition.toLowerCase().includes(q)) return 5;
  return -1;
}

/** The codes that match, best first; equal matches keep the codebook's order. */
export function rankCodes(codes: readonly Code[], query: string): Code[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...codes];
  return codes
    .map((code, i) => ({ code, i, r: rank(code, q) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.code);
}
