import type { Migration } from './types';

/**
 * The Findings report (issue 17): one report per project, an ordered list of findings, each with
 * number slots (a pointer into a saved table or the codings, with the value last accepted, so a
 * moved number can be flagged), and quotes (a coded segment or an open-ended answer's turn).
 * Slots and quotes point at segments, turns and saved tables without foreign keys on purpose: a
 * cascade would delete rows behind the undo log's back, and a finding whose source went away is
 * shown as such rather than silently losing a quote. Pseudonyms are the project's, one per
 * participant for good, so P03 is the same person in every pack and report.
 */
export const migration0105: Migration = {
  version: 105,
  name: 'findings',
  up(db) {
    db.exec(`
      CREATE TABLE report (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        title    TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      INSERT INTO report (id) VALUES (1);

      CREATE TABLE finding (
        id             INTEGER PRIMARY KEY,
        position       INTEGER NOT NULL,
        headline       TEXT NOT NULL DEFAULT '',
        body           TEXT NOT NULL DEFAULT '',
        chart_table_id INTEGER,
        chart          TEXT NOT NULL DEFAULT '{}',
        memo_id        INTEGER,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX finding_position ON finding(position);

      CREATE TABLE finding_slot (
        id          INTEGER PRIMARY KEY,
        finding_id  INTEGER NOT NULL REFERENCES finding(id),
        key         TEXT NOT NULL,
        source      TEXT NOT NULL,
        format      TEXT NOT NULL,
        value       REAL,
        text        TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        accepted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        UNIQUE (finding_id, key)
      ) STRICT;

      CREATE TABLE finding_quote (
        id         INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES finding(id),
        position   INTEGER NOT NULL,
        segment_id INTEGER,
        turn_id    INTEGER,
        CHECK ((segment_id IS NULL) != (turn_id IS NULL))
      ) STRICT;
      CREATE INDEX finding_quote_finding ON finding_quote(finding_id, position);

      CREATE TABLE pseudonym (
        participant_id INTEGER PRIMARY KEY,
        alias          TEXT NOT NULL UNIQUE
      ) STRICT;
    `);
  },
};
