import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { getBridge } from '../../api/bridge';
import { invalidateAfter } from '../../api/hooks';
import { inOrder } from '../../api/write-queue';
import { useToast } from '../../ui/toast';
import { i18n } from '../../i18n';

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/**
 * Ctrl/Cmd+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo the last codebook or coding change, and so do
 * the host's Edit menu commands. In a text field the keys keep their usual meaning (text undo).
 */
export function useUndoRedo(): void {
  const client = useQueryClient();
  const toast = useToast();
  useEffect(() => {
    const bridge = getBridge();
    const run = async (which: 'undo' | 'redo') => {
      try {
        const method = which === 'undo' ? 'history.undo' : 'history.redo';
        // After every decision already made: Ctrl+Z right after a key press undoes that decision.
        const step = await inOrder(() => bridge.call(method, {}));
        await invalidateAfter(client, method);
        const t = i18n.t;
        const text = step.label
          ? t(which === 'undo' ? 'undo.undone' : 'undo.redone', { label: step.label })
          : t(which === 'undo' ? 'undo.nothingUndo' : 'undo.nothingRedo');
        toast.show({ kind: 'info', text });
      } catch (error) {
        // A step that could not be replayed leaves the list: refresh what the buttons offer.
        await client.invalidateQueries();
        toast.error(error);
      }
    };
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || typingInField(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        void run('undo');
      } else if ((key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey)) {
        event.preventDefault();
        void run('redo');
      }
    };
    window.addEventListener('keydown', onKey);
    const offMenu = bridge.onMenu((command) => {
      if (command === 'edit.undo') void run('undo');
      if (command === 'edit.redo') void run('redo');
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu();
    };
  }, [client, toast]);
}
