import type { Migration } from './types';

/**
 * A value label can be an answer that takes no position on the question ("Don't know", "Not sure",
 * "Prefer not to say", "N/A"). Such an answer is kept and shown in tables and counts in the base,
 * but stays out of nets, top/bottom boxes and means unless the analyst includes it. This is not
 * `is_missing` (a user-missing code, out of the base altogether, as SPSS defines it).
 */
export const migration0074: Migration = {
  version: 74,
  name: 'nonsubstantive',
  up(db) {
    db.exec('ALTER TABLE value_label ADD COLUMN nonsubstantive INTEGER NOT NULL DEFAULT 0 CHECK (nonsubstantive IN (0, 1));');
  },
};
