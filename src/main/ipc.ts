import type { z } from 'zod';
import { PathGate } from '../host/paths';
import type { Envelope } from '../shared/api';
import type { PathAccess } from '../shared/contract/paths';
import { callRequestSchema, droppedPathsSchema, openFilesOptionsSchema, revealFileSchema, saveFileOptionsSchema } from '../shared/contract/host';
import type { ErrorInfo } from '../shared/errors';
import type { SenderEvent } from './security';

/** What the IPC handlers need from Electron and the core process, so they run without Electron in tests. */
export interface IpcDeps {
  /** Is this IPC event from our own window's main frame (security.isTrustedSender)? */
  trusted(event: SenderEvent): boolean;
  callCore(request: { method: string; input: unknown; jobId: string | undefined }): Promise<Envelope>;
  showOpenDialog(options: z.output<typeof openFilesOptionsSchema>): Promise<string[] | null>;
  showSaveDialog(options: z.output<typeof saveFileOptionsSchema>): Promise<string | null>;
  showItemInFolder(file: string): void;
  isFile(file: string): boolean;
}

/** A file the user picked in an open dialog: read (an import) or open in place (a project). */
const OPENED: PathAccess[] = ['read', 'project'];
/** A file the user named in a save dialog (which asked before replacing one). */
const SAVED: PathAccess[] = ['write', 'create', 'replace'];

function refusal(message: string): Error {
  return new Error(`Fieldbook refused: ${message}`);
}

function invalid(what: string, error: z.ZodError): Error {
  const first = error.issues[0];
  return refusal(`${what}: ${first ? `${first.path.join('.') || 'value'}: ${first.message}` : 'invalid'}`);
}

/**
 * The main process's IPC handlers. Each refuses a sender that is not our own page, validates its
 * input, and keeps the path capabilities: files chosen in a dialog or dropped on the window are
 * the only ones a renderer's call may name (PathGate), files an export wrote the only ones "Show
 * in folder" shows. Calls the main process makes itself (the Open Recent menu) skip the gate.
 */
export function createIpcHandlers(deps: IpcDeps, gate = new PathGate()) {
  const guard = (event: SenderEvent) => {
    if (!deps.trusted(event)) throw refusal('this message did not come from the Fieldbook window.');
  };
  return {
    gate,
    async call(event: SenderEvent, raw: unknown): Promise<Envelope> {
      guard(event);
      const parsed = callRequestSchema.safeParse(raw);
      if (!parsed.success) {
        const error: ErrorInfo = { code: 'INVALID_INPUT', message: 'The call was not in the expected form.' };
        return { ok: false, error };
      }
      const { method, input, jobId } = parsed.data;
      const refused = gate.check(method, input);
      if (refused) return { ok: false, error: refused };
      const envelope = await deps.callCore({ method, input, jobId });
      if (envelope.ok) gate.learn(method, envelope.result);
      return envelope;
    },
    async openFiles(event: SenderEvent, raw: unknown): Promise<string[] | null> {
      guard(event);
      const options = openFilesOptionsSchema.safeParse(raw);
      if (!options.success) throw invalid('the open dialog options', options.error);
      const chosen = await deps.showOpenDialog(options.data);
      for (const file of chosen ?? []) gate.grantFile(file, OPENED);
      return chosen;
    },
    async saveFile(event: SenderEvent, raw: unknown): Promise<string | null> {
      guard(event);
      const options = saveFileOptionsSchema.safeParse(raw);
      if (!options.success) throw invalid('the save dialog options', options.error);
      const chosen = await deps.showSaveDialog(options.data);
      if (chosen) gate.grantFile(chosen, SAVED);
      return chosen;
    },
    revealFile(event: SenderEvent, raw: unknown): void {
      guard(event);
      const file = revealFileSchema.safeParse(raw);
      if (!file.success) throw invalid('the file to show', file.error);
      if (!gate.mayReveal(file.data)) throw refusal(`${file.data} is not a file Fieldbook exported.`);
      deps.showItemInFolder(file.data);
    },
    /** Files dropped on the window: the existing files among them become readable, and are returned. */
    dropped(event: SenderEvent, raw: unknown): string[] {
      guard(event);
      const paths = droppedPathsSchema.safeParse(raw);
      if (!paths.success) throw invalid('the dropped files', paths.error);
      const files = paths.data.filter((file) => deps.isFile(file));
      for (const file of files) gate.grantFile(file, ['read']);
      return files;
    },
  };
}
