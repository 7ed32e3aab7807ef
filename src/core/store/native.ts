import fs from 'node:fs';

/**
 * Inside Electron, better-sqlite3 must load a build for Electron's ABI, kept beside the Node build
 * (see scripts/postinstall.mjs). The Electron host passes its path in FIELDBOOK_SQLITE_BINDING.
 * Under plain Node (tests, CLI, web bridge) the default build is used.
 */
export function nativeBindingOption(): { nativeBinding?: string } {
  const binding = process.env.FIELDBOOK_SQLITE_BINDING;
  if (process.versions.electron && binding && fs.existsSync(binding)) return { nativeBinding: binding };
  return {};
}
