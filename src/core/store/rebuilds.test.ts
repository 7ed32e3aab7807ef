import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDBOOK_APPLICATION_ID, migrate, openProject } from './project';
import { FTS_TOKENIZE } from './search-index';
import { tempDir } from '../testing/index';

describe('rebuilds requested by frozen migrations', () => {
  it('indexes the documents of a project left at 73 with its rebuild still pending, on the next open', () => {
    const temp = tempDir();
    const file = path.join(temp.dir, 'm.fieldbook');
    try {
      const db = new Database(file);
      migrate(db, 0, 73);
      db.prepare("INSERT INTO document (kind, name, format, text) VALUES ('transcript', 'old', 'txt', 'Edge clusters go offline every afternoon.')").run();
      db.prepare('INSERT INTO turn (document_id, position, start_char, end_char) VALUES (1, 0, 0, 41)').run();
      // 0073 asked for the rebuild; a migration to an intermediate version does not do it.
      expect(db.prepare("SELECT key FROM meta WHERE key LIKE 'rebuild:%'").pluck().all()).toEqual(['rebuild:search-index']);
      expect(db.prepare('SELECT count(*) FROM search_chunk').pluck().get()).toBe(0);
      db.pragma(`application_id = ${FIELDBOOK_APPLICATION_ID}`);
      db.close();

      const project = openProject(file);
      try {
        expect(project.db.prepare('SELECT c.document_id FROM chunk_fts f JOIN search_chunk c ON c.id = f.rowid WHERE chunk_fts MATCH ?').pluck().all('afternoon')).toEqual([1]);
        expect(project.db.prepare("SELECT count(*) FROM meta WHERE key LIKE 'rebuild:%'").pluck().get()).toBe(0);
      } finally {
        project.close();
      }
    } finally {
      temp.cleanup();
    }
  });

  it('builds the index with the tokenizer the JS search folds words by', () => {
    const temp = tempDir();
    try {
      const project = openProject(path.join(temp.dir, 'n.fieldbook'), { create: true });
      try {
        const sql = project.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'chunk_fts'").pluck().get() as string;
        expect(sql).toContain(FTS_TOKENIZE);
      } finally {
        project.close();
      }
    } finally {
      temp.cleanup();
    }
  });
});
