/**
 * The reader renders a document as spans that each carry `data-offset` (where the span's text
 * starts in the document). A DOM selection maps back to document offsets through them; DOM text
 * offsets and our offsets are both UTF-16 code units, so no conversion is needed.
 */
function pointOffset(node: Node, offset: number): number | null {
  if (node.nodeType === Node.TEXT_NODE) {
    const span = node.parentElement?.closest<HTMLElement>('[data-offset]');
    return span ? Number(span.dataset.offset) + offset : null;
  }
  const el = node as Element;
  const own = el.closest<HTMLElement>('[data-offset]');
  if (own) return Number(own.dataset.offset) + (offset === 0 ? 0 : (own.textContent?.length ?? 0));
  const children = Array.from(el.childNodes);
  const after = children.slice(offset).map(firstSpan).find(Boolean);
  if (after) return Number(after.dataset.offset);
  const before = children.slice(0, offset).reverse().map(lastSpan).find(Boolean);
  if (before) return Number(before.dataset.offset) + (before.textContent?.length ?? 0);
  return null;
}

function firstSpan(node: Node): HTMLElement | null {
  if (node instanceof HTMLElement) return node.matches('[data-offset]') ? node : node.querySelector<HTMLElement>('[data-offset]');
  return null;
}

function lastSpan(node: Node): HTMLElement | null {
  if (node instanceof HTMLElement) {
    if (node.matches('[data-offset]')) return node;
    const all = node.querySelectorAll<HTMLElement>('[data-offset]');
    return all[all.length - 1] ?? null;
  }
  return null;
}

export interface TextSelection {
  start: number;
  end: number;
}

/** The current selection inside `root`, in document offsets; null when nothing is selected there. */
export function readSelection(root: HTMLElement | null): TextSelection | null {
  const selection = window.getSelection();
  if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer)) return null;
  const a = pointOffset(range.startContainer, range.startOffset);
  const b = pointOffset(range.endContainer, range.endOffset);
  if (a === null || b === null) return null;
  const start = Math.min(a, b);
  const end = Math.max(a, b);
  return end > start ? { start, end } : null;
}
