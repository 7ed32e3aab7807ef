import type { Configuration } from 'electron-builder';

/**
 * electron-builder's configuration for `npm run dist` (scripts/dist.mjs). scripts/packaging.test.ts
 * checks it against the built files and computes what it packs with electron-builder's own matcher.
 */

/** The Electron-ABI build of better-sqlite3 that scripts/postinstall.mjs fetches; src/main/packaged.ts loads it from here. */
export const NATIVE_MODULE_GLOB = 'build/native/electron/better_sqlite3-electron-*.node';

const config: Configuration = {
  appId: 'org.fieldbook.app',
  productName: 'Fieldbook',
  copyright: 'Copyright © Fieldbook contributors',
  directories: { buildResources: 'build', output: 'dist' },
  // electron-vite's output, the sample study and the Electron build of better-sqlite3. The
  // production dependencies in node_modules are added by electron-builder itself.
  files: [
    'package.json',
    'out/main/**/*',
    'out/preload/**/*',
    'out/renderer/**/*',
    'resources/sample/**/*',
    NATIVE_MODULE_GLOB,
    // better-sqlite3's own build is for Node's ABI (tests, CLI) and cannot load in Electron; its
    // C sources are not needed at run time either. The app passes the Electron build as
    // `nativeBinding` (src/core/store/native.ts), so the package never loads this one.
    '!**/node_modules/better-sqlite3/{build,deps,src}{,/**/*}',
    // tsx and esbuild run the CLI from a checkout (bin/fieldbook.mjs); the app loads neither.
    '!**/node_modules/{tsx,esbuild,@esbuild}{,/**/*}',
    '!**/node_modules/**/*.map',
  ],
  // A native module cannot be loaded from inside app.asar, and the importers read the sample
  // (sometimes from worker threads) as plain files.
  asarUnpack: [NATIVE_MODULE_GLOB, 'resources/sample/**/*'],
  // Never rebuild node_modules: that would replace the Node build the tests and CLI use (see
  // scripts/postinstall.mjs for how the Electron build is fetched beside it instead).
  npmRebuild: false,
  buildDependenciesFromSource: false,
  fileAssociations: [
    {
      ext: 'fieldbook',
      name: 'Fieldbook project',
      description: 'Fieldbook project',
      mimeType: 'application/x-fieldbook',
      role: 'Editor',
      rank: 'Owner',
      // build/fieldbook.icns and build/fieldbook.ico: the document icon (scripts/icons.ts).
      icon: 'fieldbook',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Science',
    synopsis: 'Survey cross-tabs, interview coding and reports in one local project file',
    syncDesktopName: true,
  },
  deb: { packageCategory: 'science' },
  win: {
    target: ['nsis'],
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    // electron-builder registers file associations only in a per-machine install.
    perMachine: true,
    allowToChangeInstallationDirectory: true,
    installerIcon: 'build/icon.ico',
    uninstallerIcon: 'build/icon.ico',
    createDesktopShortcut: true,
    // Projects are the user's work: uninstalling never touches them or the app's settings.
    deleteAppDataOnUninstall: false,
  },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.icns',
    category: 'public.app-category.productivity',
  },
  dmg: { title: 'Fieldbook ${version}' },
};

export default config;
