import type { MethodName, ParsedInput } from './index';

/**
 * What a method does with a file path it is given. A host that runs calls from a renderer (the
 * Electron main process, the web bridge) lets a call through only when it handed that path out
 * itself for that use (a dialog, a drop, an upload, an export slot): see src/host/paths.ts.
 *
 * - read:    reads the file (an import or its preview).
 * - write:   writes a new file there (an export).
 * - project: opens a project in place (reads it, writes it, may put a backup beside it).
 * - create:  creates a new project file there.
 * - replace: creates a project file in place of an existing file.
 */
export type PathAccess = 'read' | 'write' | 'project' | 'create' | 'replace';

export interface PathUse {
  path: string;
  access: PathAccess;
}

type PathsOf = { [M in MethodName]?: (input: ParsedInput<M>) => PathUse[] };

const read = (path: string): PathUse => ({ path, access: 'read' });
const write = (path: string): PathUse => ({ path, access: 'write' });

/**
 * Every method that takes a file path, and what it does with it. contract/paths.test.ts fails when
 * a method has a path-like field and is missing here, so a new method cannot slip past the hosts.
 */
export const methodPaths: PathsOf = {
  'project.create': (input) => [{ path: input.path, access: input.overwrite ? 'replace' : 'create' }],
  'project.open': (input) => [{ path: input.path, access: 'project' }],
  'project.openSample': (input) => (input.path ? [{ path: input.path, access: 'create' }] : []),
  'survey.preview': (input) => [read(input.path)],
  'survey.import': (input) => [read(input.path)],
  'transcripts.preview': (input) => input.files.map(read),
  'transcripts.import': (input) => input.files.map((file) => read(file.path)),
  'participants.previewSheet': (input) => [read(input.path)],
  'participants.importSheet': (input) => [read(input.path)],
  'codes.import': (input) => (input.path ? [read(input.path)] : []),
  'suggest.eval': (input) => (input.dataPath ? [read(input.dataPath)] : []),
  'import.qdpx': (input) => [read(input.path)],
  'export.qdpx': (input) => [write(input.path)],
  'export.quotePack': (input) => [write(input.path)],
  'export.codebook': (input) => [write(input.path)],
  'findings.export': (input) => [write(input.path)],
  'export.table': (input) => [write(input.path)],
  'export.tables': (input) => [write(input.path)],
  'export.chart': (input) => [write(input.path)],
};

/** Methods with a path-like field that touch no file: `app.forgetRecent` only edits the recent list. */
export const methodsWithoutFileAccess: readonly MethodName[] = ['app.forgetRecent'];

/** The paths a call with this (validated) input would use. */
export function pathUses<M extends MethodName>(method: M, input: ParsedInput<M>): PathUse[] {
  const of = methodPaths[method] as ((input: ParsedInput<M>) => PathUse[]) | undefined;
  return of ? of(input) : [];
}
