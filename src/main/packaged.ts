import path from 'node:path';

/**
 * Where the app's own files are, the same in a checkout (`electron .`) and in a package, where
 * `appPath` is …/resources/app.asar. Plain functions of the app path, so
 * scripts/packaging.test.ts can check them against a real electron-builder output.
 */

/**
 * The real path of a file that electron-builder's `asarUnpack` keeps beside the archive: a native
 * module must be a file the OS can load, and the importers read the sample from worker threads.
 */
export function unpackedPath(file: string): string {
  const parts = file.split(path.sep);
  const archive = parts.findIndex((part) => part.endsWith('.asar'));
  if (archive < 0) return file;
  parts[archive] = `${parts[archive]}.unpacked`;
  return parts.join(path.sep);
}

/** better-sqlite3 built for this Electron's ABI (fetched by scripts/postinstall.mjs). */
export function sqliteBindingPath(appPath: string, electronVersion: string): string {
  return unpackedPath(path.join(appPath, 'build', 'native', 'electron', `better_sqlite3-electron-${electronVersion}.node`));
}

/** The sample study's source files (resources/sample). */
export function sampleDirPath(appPath: string): string {
  return unpackedPath(path.join(appPath, 'resources', 'sample'));
}
