import type { Migration } from './types';

/**
 * A counter that moves whenever survey answers, labels or variables change. The table engine
 * keeps dictionary-encoded answers in memory between tables; while the counter stands still it
 * can use them without re-reading the stored columns (a million answers per question).
 */
export const migration0060: Migration = {
  version: 60,
  name: 'tables',
  up(db) {
    const bump = 'UPDATE analysis_generation SET value = value + 1 WHERE id = 1;';
    const triggers = ['variable_data', 'value_label', 'variable', 'dataset']
      .flatMap((table) =>
        ['INSERT', 'UPDATE', 'DELETE'].map(
          (event) => `CREATE TRIGGER analysis_generation_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN ${bump} END;`,
        ),
      )
      .join('\n');
    db.exec(`
      CREATE TABLE analysis_generation (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO analysis_generation (id, value) VALUES (1, 0);
      ${triggers}
    `);
  },
};
