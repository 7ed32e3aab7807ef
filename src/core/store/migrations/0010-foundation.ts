import type { Migration } from './types';

/**
 * The shared data model every domain builds on. Domain-specific tables (FTS indexes, models,
 * saved tables' extras...) arrive in later numbered migrations owned by each domain.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE coder (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        color      TEXT NOT NULL DEFAULT '#4c6ef5',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      -- A survey wave: one imported file.
      CREATE TABLE dataset (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        wave        TEXT NOT NULL DEFAULT '',
        source_file TEXT NOT NULL,
        format      TEXT NOT NULL,
        encoding    TEXT NOT NULL DEFAULT 'utf-8',
        row_count   INTEGER NOT NULL DEFAULT 0,
        options     TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      -- A column of a dataset. Multi-select options are one 0/1 variable each, grouped by question_group.
      CREATE TABLE variable (
        id             INTEGER PRIMARY KEY,
        dataset_id     INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
        position       INTEGER NOT NULL,
        name           TEXT NOT NULL,
        label          TEXT NOT NULL DEFAULT '',
        type           TEXT NOT NULL CHECK (type IN
                         ('single','multi','numeric','ordinal','text','date','id','weight','metadata')),
        question_group TEXT,
        group_label    TEXT,
        option_label   TEXT,
        missing        TEXT NOT NULL DEFAULT '[]',
        concept        TEXT,
        concept_confirmed INTEGER NOT NULL DEFAULT 0,
        meta           TEXT NOT NULL DEFAULT '{}',
        UNIQUE (dataset_id, name)
      ) STRICT;
      CREATE INDEX variable_concept ON variable(concept);

      CREATE TABLE value_label (
        variable_id INTEGER NOT NULL REFERENCES variable(id) ON DELETE CASCADE,
        code        ANY NOT NULL,
        label       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        is_missing  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (variable_id, code)
      ) STRICT;

      -- Answers, column-wise: one encoded blob per variable (see src/core/survey/columns.ts).
      CREATE TABLE variable_data (
        variable_id INTEGER PRIMARY KEY REFERENCES variable(id) ON DELETE CASCADE,
        encoding    TEXT NOT NULL,
        data        BLOB NOT NULL
      ) STRICT;

      CREATE TABLE participant (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        dataset_id     INTEGER REFERENCES dataset(id) ON DELETE SET NULL,
        respondent_key TEXT,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      CREATE TABLE attribute (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL UNIQUE,
        type     TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('text','number')),
        position INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE participant_attribute (
        participant_id INTEGER NOT NULL REFERENCES participant(id) ON DELETE CASCADE,
        attribute_id   INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
        value          ANY,
        PRIMARY KEY (participant_id, attribute_id)
      ) STRICT;

      -- A text to read and code: a transcript, or all answers to one open-ended survey question
      -- (one turn per respondent). The text never changes after import: quotes point into it.
      CREATE TABLE document (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('transcript','survey_text','text')),
        name           TEXT NOT NULL,
        source_file    TEXT,
        format         TEXT NOT NULL,
        text           TEXT NOT NULL,
        participant_id INTEGER REFERENCES participant(id) ON DELETE SET NULL,
        dataset_id     INTEGER REFERENCES dataset(id) ON DELETE CASCADE,
        variable_id    INTEGER REFERENCES variable(id) ON DELETE CASCADE,
        meta           TEXT NOT NULL DEFAULT '{}',
        imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      CREATE TABLE speaker (
        id             INTEGER PRIMARY KEY,
        document_id    INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        label          TEXT NOT NULL,
        display_name   TEXT NOT NULL,
        is_interviewer INTEGER NOT NULL DEFAULT 0,
        participant_id INTEGER REFERENCES participant(id) ON DELETE SET NULL,
        UNIQUE (document_id, label)
      ) STRICT;

      -- A speaker turn (or one respondent's answer in a survey_text document): [start_char, end_char).
      CREATE TABLE turn (
        id             INTEGER PRIMARY KEY,
        document_id    INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        position       INTEGER NOT NULL,
        speaker_id     INTEGER REFERENCES speaker(id) ON DELETE SET NULL,
        respondent_row INTEGER,
        start_char     INTEGER NOT NULL,
        end_char       INTEGER NOT NULL,
        start_ms       INTEGER,
        end_ms         INTEGER,
        CHECK (start_char <= end_char)
      ) STRICT;
      CREATE INDEX turn_document ON turn(document_id, start_char);

      CREATE TABLE code (
        id          INTEGER PRIMARY KEY,
        parent_id   INTEGER REFERENCES code(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        color       TEXT NOT NULL DEFAULT '#868e96',
        definition  TEXT NOT NULL DEFAULT '',
        inclusion   TEXT NOT NULL DEFAULT '',
        exclusion   TEXT NOT NULL DEFAULT '',
        keywords    TEXT NOT NULL DEFAULT '[]',
        shortcut    TEXT,
        position    INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX code_parent ON code(parent_id);

      -- A quote: a span of a document's text, [start_char, end_char), with a snapshot of the text.
      CREATE TABLE segment (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        start_char  INTEGER NOT NULL,
        end_char    INTEGER NOT NULL,
        text        TEXT NOT NULL,
        starred     INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        CHECK (start_char < end_char)
      ) STRICT;
      CREATE INDEX segment_document ON segment(document_id, start_char);

      CREATE TABLE coding (
        id         INTEGER PRIMARY KEY,
        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
        coder_id   INTEGER NOT NULL REFERENCES coder(id) ON DELETE CASCADE,
        source     TEXT NOT NULL DEFAULT 'human' CHECK (source IN ('human','suggestion','import')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        UNIQUE (segment_id, code_id, coder_id)
      ) STRICT;
      CREATE INDEX coding_code ON coding(code_id);

      CREATE TABLE memo (
        id          INTEGER PRIMARY KEY,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('project','code','document','segment','participant')),
        target_id   INTEGER,
        coder_id    INTEGER REFERENCES coder(id) ON DELETE SET NULL,
        title       TEXT NOT NULL DEFAULT '',
        body        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX memo_target ON memo(target_kind, target_id);

      CREATE TABLE suggestion (
        id            INTEGER PRIMARY KEY,
        document_id   INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        start_char    INTEGER NOT NULL,
        end_char      INTEGER NOT NULL,
        code_id       INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
        score         REAL NOT NULL,
        evidence      TEXT NOT NULL DEFAULT '{}',
        status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','rejected')),
        model_version TEXT NOT NULL DEFAULT '',
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX suggestion_status ON suggestion(status, code_id);

      CREATE TABLE model_state (
        key        TEXT PRIMARY KEY,
        version    TEXT NOT NULL,
        data       BLOB NOT NULL,
        trained_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      CREATE TABLE saved_table (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        spec       TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      -- The undo/redo log: each operation knows how to do and undo itself (JSON payloads).
      CREATE TABLE operation (
        id         INTEGER PRIMARY KEY,
        label      TEXT NOT NULL,
        forward    TEXT NOT NULL,
        backward   TEXT NOT NULL,
        state      TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

      INSERT INTO coder (name) VALUES ('me');
    `);
  },
};
