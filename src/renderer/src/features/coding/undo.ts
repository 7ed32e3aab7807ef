import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { getBridge } from '../../api/bridge';
import { invalidateAfter } from '../../api/hooks';
import { useToast } from '../../ui/toast';

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
        const step = await bridge.call(method, {});
        await invalidateAfter(client, method);
        toast.show({ kind: 'info', text: step.label ? `${which === 'undo' ? 'Undone' : 'Redone'}: ${step.label}` : `Nothing to ${which}.` });
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
