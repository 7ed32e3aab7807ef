import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Each layer rule must be able to fail: lint a forbidden import as if it stood in each place.
const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const importing = (source: string) => `import * as m from '${source}';\nexport const x = m;\n`;
const refused = (pattern: RegExp) => [expect.stringMatching(new RegExp(`layers/allowed-imports: .*${pattern.source}`))];

describe('layer boundaries (an allowlist per area)', () => {
  it('src/shared imports only zod and itself: no Node built-ins, with or without node:', async () => {
    expect(await messages('src/shared/zz-probe.ts', importing('node:fs'))).toEqual(refused(/Node built-ins/));
    expect(await messages('src/shared/zz-probe.ts', importing('fs'))).toEqual(refused(/Node built-ins/));
    expect(await messages('src/shared/zz-probe.ts', importing('papaparse'))).toEqual(refused(/no package but/));
    expect(await messages('src/shared/zz-probe.ts', importing('../core/core'))).toEqual(refused(/not src\/core/));
    expect(await messages('src/shared/zz-probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('src/core never imports a host, electron or react, even dynamically', async () => {
    expect(await messages('src/core/zz-probe.ts', importing('../host/web'))).toEqual(refused(/not src\/host/));
    expect(await messages('src/core/testing/zz-probe.ts', importing('../../host/web'))).toEqual(refused(/not src\/host/));
    expect(await messages('src/core/zz-probe.ts', importing('electron'))).toEqual(refused(/may not import electron/));
    expect(await messages('src/core/survey/zz-probe.ts', "export const e = () => import('electron');\n")).toEqual(refused(/may not import electron/));
    expect(await messages('src/core/zz-probe.ts', importing('react'))).toEqual(refused(/may not import react/));
  });

  it('refuses DOM globals in src/core', async () => {
    expect(await messages('src/core/zz-probe.ts', 'export const w = window.location;\n')).toEqual([expect.stringMatching(/no-restricted-globals/)]);
  });

  it('orders the domains of src/core, so no import cycle can form', async () => {
    expect(await messages('src/core/store/zz-probe.ts', importing('../survey/store'))).toEqual(refused(/core\/store may import only itself; not core\/survey/));
    expect(await messages('src/core/survey/zz-probe.ts', importing('../coding/codebook'))).toEqual(refused(/not core\/coding/));
    expect(await messages('src/core/workers/zz-probe.ts', importing('../survey/reader'))).toEqual(refused(/not core\/survey/));
    expect(await messages('src/core/coding/zz-probe.ts', importing('../transcripts/parse/decode'))).toEqual([]);
    expect(await messages('src/core/coding/zz-probe.ts', importing('../history/history'))).toEqual([]);
    expect(await messages('src/core/newdomain/zz-probe.ts', importing('../store/project'))).toEqual(refused(/not a known domain/));
    // Tests may reach up (they build a whole core); the composition root may use every domain.
    expect(await messages('src/core/store/zz-probe.test.ts', importing('../testing/index'))).toEqual([]);
    expect(await messages('src/core/zz-probe.ts', importing('./export/handlers'))).toEqual([]);
    // A test may exercise what lives beside src; shipped code may not reach it.
    expect(await messages('src/cli/zz-probe.test.ts', importing('../../bin/cli-entry.mjs'))).toEqual([]);
    expect(await messages('src/cli/zz-probe.ts', importing('../../bin/cli-entry.mjs'))).toEqual(refused(/outside src/));
  });

  it('src/renderer talks only to src/shared: no core, host, main, Node or electron', async () => {
    for (const target of ['../../core/core', '../../host/web', '../../main/index']) {
      expect(await messages('src/renderer/src/zz-probe.ts', importing(target))).toEqual(refused(/src\/renderer may import only src\/shared, src\/renderer/));
    }
    expect(await messages('src/renderer/src/zz-probe.ts', importing('../../../bench/harness'))).toEqual(refused(/outside src/));
    expect(await messages('src/renderer/src/zz-probe.ts', importing('fs'))).toEqual(refused(/Node built-ins/));
    expect(await messages('src/renderer/src/zz-probe.ts', importing('electron'))).toEqual(refused(/may not import electron/));
    expect(await messages('src/renderer/src/zz-probe.ts', importing('../../shared/api'))).toEqual([]);
    // Its tests render pages against a real core in the same process; the shipped renderer never can.
    expect(await messages('src/renderer/src/zz-probe.test.tsx', importing('../../core/testing/index'))).toEqual([]);
    expect(await messages('src/renderer/src/zz-probe.tsx', importing('../../core/testing/bridge'))).toEqual(refused(/src\/core\/testing is for tests only/));
  });

  it('hosts other than src/main run without electron; src/main stays thin (no core)', async () => {
    expect(await messages('src/host/zz-probe.ts', "export const e = () => import('electron');\n")).toEqual(refused(/may not import electron/));
    expect(await messages('src/cli/zz-probe.ts', importing('electron'))).toEqual(refused(/may not import electron/));
    expect(await messages('src/main/zz-probe.ts', importing('../core/core'))).toEqual(refused(/not src\/core/));
    expect(await messages('src/main/zz-probe.ts', importing('electron'))).toEqual([]);
  });

  it('refuses domain code in a migration, which stays frozen', async () => {
    expect(await messages('src/core/store/migrations/0999-probe.ts', "import { indexDocumentTurns } from '../search-index';\nexport const f = indexDocumentTurns;\n")).toEqual([
      expect.stringMatching(/no-restricted-imports: .*A migration imports nothing but \.\/types/),
    ]);
    expect(await messages('src/core/store/migrations/0999-probe.ts', "import { requestRebuild, type Migration } from './types';\nexport const m: Migration = { version: 999, name: 'p', up: (db) => requestRebuild(db, 'search-index') };\n")).toEqual([]);
  });
});
