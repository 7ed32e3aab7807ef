import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rule must be able to fail: lint a forbidden import as if it stood in each layer.
const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer boundaries', () => {
  it('refuses electron and react in src/core', async () => {
    expect(await messages('src/core/zz-probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringMatching(/no-restricted-imports: .*src\/core runs on plain Node/),
    ]);
    expect(await messages('src/core/zz-probe.ts', "import React from 'react';\nexport const r = React;\n")).toHaveLength(1);
  });

  it('refuses DOM globals in src/core', async () => {
    expect(await messages('src/core/zz-probe.ts', 'export const w = window.location;\n')).toEqual([
      expect.stringMatching(/no-restricted-globals/),
    ]);
  });

  it('refuses anything but zod in src/shared', async () => {
    expect(await messages('src/shared/zz-probe.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toHaveLength(1);
    expect(await messages('src/shared/zz-probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('refuses core, host and main in src/renderer', async () => {
    for (const target of ['../../../core/core', '../../../host/dispatch', '../../../main/index']) {
      expect(await messages('src/renderer/src/zz-probe.ts', `import * as m from '${target}';\nexport const x = m;\n`)).toEqual([
        expect.stringMatching(/src\/renderer talks only to the FieldbookBridge/),
      ]);
    }
  });

  it('refuses domain code in a migration, which stays frozen', async () => {
    expect(await messages('src/core/store/migrations/0999-probe.ts', "import { indexDocumentTurns } from '../search-index';\nexport const f = indexDocumentTurns;\n")).toEqual([
      expect.stringMatching(/no-restricted-imports: .*A migration imports nothing but \.\/types/),
    ]);
    expect(await messages('src/core/store/migrations/0999-probe.ts', "import { requestRebuild, type Migration } from './types';\nexport const m: Migration = { version: 999, name: 'p', up: (db) => requestRebuild(db, 'search-index') };\n")).toEqual([]);
  });
});
