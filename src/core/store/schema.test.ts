import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProject } from './project';
import { LATEST_SCHEMA_VERSION } from './migrations/index';
import { tempDir } from '../testing/index';

/**
 * schema.sql is the project file format, written out: the schema of a new project. Any change to
 * it must come from a new migration (shipped migrations are frozen: migrations.test.ts), and is
 * then written here with `npm run schema`, so a review sees the file format change.
 */
const SNAPSHOT = path.join(import.meta.dirname, 'schema.sql');

function currentSchema(): string {
  const temp = tempDir();
  try {
    const project = openProject(path.join(temp.dir, 'schema.fieldbook'), { create: true });
    try {
      const rows = project.db
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, name")
        .all() as { type: string; name: string; sql: string }[];
      const header = [
        '-- The Fieldbook project file: the schema of a new project (written by `npm run schema`; checked by schema.test.ts).',
        `-- PRAGMA application_id = ${project.db.pragma('application_id', { simple: true })}; -- "FBK1"`,
        `-- PRAGMA user_version = ${project.db.pragma('user_version', { simple: true })};`,
        '',
      ];
      return `${header.join('\n')}${rows.map((r) => `${r.sql.trim()};\n`).join('\n')}`;
    } finally {
      project.close();
    }
  } finally {
    temp.cleanup();
  }
}

describe('the project file format', () => {
  it('is the committed schema.sql (a schema change needs a migration, then `npm run schema`)', () => {
    const schema = currentSchema();
    if (process.env.FIELDBOOK_UPDATE_SCHEMA === '1') fs.writeFileSync(SNAPSHOT, schema);
    const committed = fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, 'utf8') : '';
    expect(schema, 'The schema of a new project differs from src/core/store/schema.sql').toBe(committed);
    expect(committed).toContain(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION};`);
  });
});
