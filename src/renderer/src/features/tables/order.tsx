import type { DragEvent, KeyboardEvent } from 'react';

/** The list with item `from` moved by `delta` places (clamped to the ends). */
export function moved<T>(items: readonly T[], from: number, delta: number): T[] {
  const to = Math.max(0, Math.min(items.length - 1, from + delta));
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/** Where a move was asked from, so focus can return there after React re-orders the chips. */
export type MoveSource = 'keys' | 'back' | 'forward';

export type OnMove = (delta: number, source: MoveSource) => void;

/**
 * Alt+Arrow on a chip (or on one of its buttons) moves it. Up and Left both mean "earlier", so the
 * keys work whichever way the chips are laid out. Inside an input or a select the arrows belong
 * to the control (Alt+Down opens a select).
 */
export function onChipKeys(e: KeyboardEvent<HTMLElement>, onMove: OnMove): void {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const target = e.target as HTMLElement;
  if (target.closest('input, select, textarea, .chip-editor')) return;
  const delta = e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : 0;
  if (delta === 0) return;
  e.preventDefault();
  onMove(delta, 'keys');
}

export function MoveButtons({
  name,
  index,
  count,
  vertical,
  testId,
  onMove,
}: {
  name: string;
  index: number;
  count: number;
  /** Rows move up and down; banner columns left and right. */
  vertical: boolean;
  testId: string;
  onMove: OnMove;
}) {
  if (count < 2) return null;
  const [back, forward] = vertical ? ['up', 'down'] : ['left', 'right'];
  return (
    <span className="chip-move">
      <button type="button" aria-label={`Move ${name} ${back}`} data-testid={`${testId}-${back}`} data-move="back" disabled={index === 0} onClick={() => onMove(-1, 'back')}>
        {vertical ? '↑' : '←'}
      </button>
      <button
        type="button"
        aria-label={`Move ${name} ${forward}`}
        data-testid={`${testId}-${forward}`}
        data-move="forward"
        disabled={index === count - 1}
        onClick={() => onMove(1, 'forward')}
      >
        {vertical ? '↓' : '→'}
      </button>
    </span>
  );
}

const DRAG_TYPE = 'application/x-fieldbook-chip';

/**
 * Drag a chip onto another of the same list to put it there (the buttons and keys do the same;
 * dragging is for the mouse). The list name keeps a row from landing among the banner columns.
 */
export function dragProps(list: string, index: number, onDrop: (from: number, to: number) => void) {
  return {
    draggable: true,
    onDragStart: (e: DragEvent<HTMLElement>) => {
      e.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ list, index }));
      e.dataTransfer.effectAllowed = 'move';
    },
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (e.dataTransfer.types.includes(DRAG_TYPE)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      const raw = e.dataTransfer.getData(DRAG_TYPE);
      if (!raw) return;
      e.preventDefault();
      const from = parseDrag(raw, list);
      if (from !== null && from !== index) onDrop(from, index);
    },
  };
}

function parseDrag(raw: string, list: string): number | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { list: from, index } = value as { list?: unknown; index?: unknown };
    return from === list && typeof index === 'number' && Number.isInteger(index) ? index : null;
  } catch {
    return null;
  }
}
