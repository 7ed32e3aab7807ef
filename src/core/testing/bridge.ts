/**
 * A FieldbookBridge (the renderer's API) that calls a real core in this process (through the real dispatch, on a real
 * project file), for renderer tests under jsdom. Dialogs are answered by the test.
 */
import type { CallOptions, FieldbookBridge, MenuCommand } from '../../shared/api';
import type { Input, MethodName, Output } from '../../shared/contract/index';
import { createTestCore, type TestCore } from './index';

export interface CoreBridge extends FieldbookBridge {
  readonly test: TestCore;
  /** What the next open/save dialog answers (null: the user cancelled). */
  answerDialogs(open: string[] | null, save?: string | null): void;
  menu(command: MenuCommand): void;
}

export function createCoreBridge(): CoreBridge {
  const test = createTestCore();
  let openAnswer: string[] | null = null;
  let saveAnswer: string | null = null;
  const menuListeners = new Set<(command: MenuCommand) => void>();
  return {
    host: 'web',
    test,
    call<M extends MethodName>(method: M, input: Input<M>, options?: CallOptions): Promise<Output<M>> {
      return test.call(method, input, options?.jobId);
    },
    onEvent(listener) {
      return test.core.onEvent(listener);
    },
    openFiles: () => Promise.resolve(openAnswer),
    filesFromDrop: (files) => Promise.resolve(files.map((file) => file.name)),
    saveFile: () => Promise.resolve(saveAnswer),
    revealFile: () => Promise.resolve(),
    onMenu(listener) {
      menuListeners.add(listener);
      return () => menuListeners.delete(listener);
    },
    answerDialogs(open, save = null) {
      openAnswer = open;
      saveAnswer = save;
    },
    menu(command) {
      for (const listener of menuListeners) listener(command);
    },
  };
}
