import path from 'node:path';
import { contract, isMethodName } from '../shared/contract/index';
import { pathUses, type PathAccess, type PathUse } from '../shared/contract/paths';
import type { ErrorInfo } from '../shared/errors';

/**
 * Path capabilities: a renderer may only hand the core paths that its host handed out for that use
 * (the user picked them in a dialog, dropped them, uploaded them, or they are the host's own export
 * slots and project folder). A renderer bug or injected script then cannot name ~/.ssh/id_rsa for a
 * "survey preview" or write an "export" over a startup file: the host refuses the call before the
 * core sees it. The CLI has no gate: its user typed the paths.
 *
 * A capability is kept here, in the host (Electron's main process, the web bridge), never in the
 * renderer; the renderer only ever holds the path string, which is worth nothing without the entry.
 */
export class PathGate {
  private readonly files = new Map<string, Set<PathAccess>>();
  private readonly folders: { dir: string; access: Set<PathAccess> }[] = [];
  private readonly anywhere = new Set<PathAccess>();
  private readonly revealable = new Set<string>();

  private static key(file: string): string {
    const resolved = path.resolve(file);
    // Windows and macOS file systems are case-insensitive by default: one file, one key.
    return process.platform === 'win32' || process.platform === 'darwin' ? resolved.toLowerCase() : resolved;
  }

  /** The user chose this file for these uses (a dialog, a drop, an upload, an export slot). */
  grantFile(file: string, access: readonly PathAccess[]): void {
    const key = PathGate.key(file);
    const set = this.files.get(key) ?? new Set<PathAccess>();
    for (const a of access) set.add(a);
    this.files.set(key, set);
  }

  /** Any file inside this folder (the host's own project folder, say). */
  grantFolder(dir: string, access: readonly PathAccess[]): void {
    this.folders.push({ dir: PathGate.key(dir), access: new Set(access) });
  }

  /** Any path at all, for a use that cannot read or harm an arbitrary file (see the web bridge). */
  grantAnywhere(access: readonly PathAccess[]): void {
    for (const a of access) this.anywhere.add(a);
  }

  revoke(file: string): void {
    this.files.delete(PathGate.key(file));
  }

  allows(file: string, access: PathAccess): boolean {
    if (this.anywhere.has(access)) return true;
    const key = PathGate.key(file);
    if (this.files.get(key)?.has(access)) return true;
    return this.folders.some((f) => f.access.has(access) && key.startsWith(f.dir + path.sep));
  }

  /** Files the core wrote for this renderer (exports): the only ones "Show in folder" shows. */
  mayReveal(file: string): boolean {
    return this.revealable.has(PathGate.key(file));
  }

  /**
   * The refusal for a call that names a path this host never handed out for that use, or null.
   * Input the contract rejects passes: dispatch answers it with INVALID_INPUT without running it.
   */
  check(method: string, input: unknown): ErrorInfo | null {
    if (!isMethodName(method)) return null;
    const parsed = contract[method].input.safeParse(input ?? {});
    if (!parsed.success) return null;
    const refused = pathUses(method, parsed.data as never).find((use) => !this.allows(use.path, use.access));
    return refused ? notAllowed(refused) : null;
  }

  /**
   * Paths the core itself answered with become usable: the recent projects list, the open
   * project, and a new project's final name (".fieldbook" added), may be opened again; files an
   * export wrote may be shown in their folder.
   */
  learn(method: string, result: unknown): void {
    if (!result || typeof result !== 'object') return;
    if (method === 'app.recent' && Array.isArray(result)) {
      for (const entry of result as { path?: unknown }[]) if (typeof entry.path === 'string') this.grantFile(entry.path, ['project']);
      return;
    }
    if (method === 'app.info') {
      const open = (result as { openProject?: { path?: unknown } | null }).openProject;
      if (open && typeof open.path === 'string') this.grantFile(open.path, ['project']);
      return;
    }
    const file = (result as { path?: unknown }).path;
    if (typeof file !== 'string') return;
    if (method === 'project.open' || method === 'project.create' || method === 'project.openSample') this.grantFile(file, ['project']);
    else if (method.startsWith('export.')) this.revealable.add(PathGate.key(file));
  }
}

const ACCESS_WORDS: Record<PathAccess, string> = {
  read: 'read',
  write: 'write to',
  project: 'open',
  create: 'create a project at',
  replace: 'replace',
};

function notAllowed(use: PathUse): ErrorInfo {
  return {
    code: 'NOT_ALLOWED',
    message: `Fieldbook did not ${ACCESS_WORDS[use.access]} ${use.path}: choose the file in Fieldbook's own dialog (or drop it on the window) first.`,
    details: { file: use.path, access: use.access },
  };
}
