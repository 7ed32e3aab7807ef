import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../project';

describe('migration 10: foundation', () => {
  it('creates the shared data model as STRICT tables with working foreign keys', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 0, 10);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    const tables = (db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema='main' AND type='table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; strict: number }[]);
    const names = tables.map((t) => t.name).sort();
    for (const expected of ['attribute', 'code', 'coder', 'coding', 'dataset', 'document', 'memo', 'meta', 'model_state', 'operation', 'participant', 'participant_attribute', 'saved_table', 'segment', 'speaker', 'suggestion', 'turn', 'value_label', 'variable', 'variable_data']) {
      expect(names).toContain(expected);
    }
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    expect(db.prepare('SELECT name FROM coder').all()).toEqual([{ name: 'me' }]);

    // Quotes go with their document; a segment cannot be empty; types are enforced.
    db.prepare("INSERT INTO document (id, kind, name, format, text) VALUES (1, 'transcript', 'a', 'txt', 'hello world')").run();
    db.prepare('INSERT INTO segment (id, document_id, start_char, end_char, text) VALUES (1, 1, 0, 5, ?)').run('hello');
    db.prepare("INSERT INTO code (id, name) VALUES (1, 'greeting')").run();
    db.prepare('INSERT INTO coding (segment_id, code_id, coder_id) VALUES (1, 1, 1)').run();
    expect(() => db.prepare('INSERT INTO segment (document_id, start_char, end_char, text) VALUES (1, 5, 5, ?)').run('')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO segment (document_id, start_char, end_char, text) VALUES (1, 'x', 5, 'a')").run()).toThrow(/cannot store TEXT/);
    expect(() => db.prepare("INSERT INTO variable (dataset_id, position, name, type) VALUES (99, 0, 'q', 'single')").run()).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM document WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM coding').get()).toEqual({ n: 0 });
  });
});
