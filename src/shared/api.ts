import type { Input, MethodName, Output } from './contract';
import type { CoreEvent } from './events';
import type { ErrorInfo } from './errors';

/** What crosses every host boundary (IPC, the web bridge, the CLI's dispatch): a result or an error value. */
export type Envelope = { ok: true; result: unknown } | { ok: false; error: ErrorInfo };

export interface CallOptions {
  /** Chosen by the caller so it can follow progress events and cancel with `jobs.cancel`. */
  jobId?: string;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

/**
 * What the renderer sees, whatever the host: Electron's preload or the loopback web bridge.
 * Rejections carry an ErrorInfo-shaped FieldbookError.
 */
export interface FieldbookBridge {
  readonly host: 'electron' | 'web';
  call<M extends MethodName>(method: M, input: Input<M>, options?: CallOptions): Promise<Output<M>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** Native "open" dialog (Electron) or a browser file picker whose files the bridge stores (web). */
  openFiles(options: { title: string; filters?: FileFilter[]; multiple?: boolean }): Promise<string[] | null>;
  /** Files dropped on the window, as paths the core can read. */
  filesFromDrop(files: File[]): Promise<string[]>;
  /** Where to write an export: a native "save" dialog, or a file in the bridge's outbox (web). */
  saveFile(options: { title: string; defaultName: string; filters?: FileFilter[] }): Promise<string | null>;
  /** After an export: reveal it in the file manager (Electron) or download it (web). */
  revealFile(path: string): Promise<void>;
  /** Host menu commands (File > New, Edit > Undo...) forwarded to the renderer. */
  onMenu(listener: (command: MenuCommand) => void): () => void;
}

export type MenuCommand =
  | 'project.new'
  | 'project.open'
  | 'project.close'
  | 'import.survey'
  | 'import.transcripts'
  | 'export.open'
  | 'edit.undo'
  | 'edit.redo';
