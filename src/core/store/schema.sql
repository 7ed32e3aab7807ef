-- The Fieldbook project file: the schema of a new project (written by `npm run schema`; checked by schema.test.ts).
-- PRAGMA application_id = 1178749745; -- "FBK1"
-- PRAGMA user_version = 105;
CREATE TABLE analysis_generation (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;

CREATE TABLE attribute (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL UNIQUE,
        type     TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('text','number')),
        position INTEGER NOT NULL DEFAULT 0
      ) STRICT;

CREATE VIRTUAL TABLE chunk_fts USING fts5(body, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'");

CREATE TABLE 'chunk_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE TABLE 'chunk_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'chunk_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

CREATE TABLE 'chunk_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

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

CREATE TABLE coder (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        color      TEXT NOT NULL DEFAULT '#4c6ef5',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

CREATE TABLE coding (
        id         INTEGER PRIMARY KEY,
        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
        coder_id   INTEGER NOT NULL REFERENCES coder(id) ON DELETE CASCADE,
        source     TEXT NOT NULL DEFAULT 'human' CHECK (source IN ('human','suggestion','import')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        UNIQUE (segment_id, code_id, coder_id)
      ) STRICT;

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
      , wave_order INTEGER CHECK (wave_order IS NULL OR wave_order >= 1)) STRICT;

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

CREATE TABLE "exchange_guid" (
        id       INTEGER PRIMARY KEY,
        kind     TEXT NOT NULL CHECK (kind IN
                   ('project','coder','code','document','segment','coding','participant','attribute','memo','set')),
        local_id INTEGER NOT NULL,
        guid     TEXT NOT NULL,
        extra    TEXT NOT NULL DEFAULT '{}',
        UNIQUE (kind, local_id)
      ) STRICT;

CREATE TABLE exchange_set (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        members     TEXT NOT NULL DEFAULT '[]'
      ) STRICT;

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

CREATE TABLE finding_quote (
        id         INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES finding(id),
        position   INTEGER NOT NULL,
        segment_id INTEGER,
        turn_id    INTEGER,
        CHECK ((segment_id IS NULL) != (turn_id IS NULL))
      ) STRICT;

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

CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

CREATE TABLE model_state (
        key        TEXT PRIMARY KEY,
        version    TEXT NOT NULL,
        data       BLOB NOT NULL,
        trained_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

CREATE TABLE operation (
        id         INTEGER PRIMARY KEY,
        label      TEXT NOT NULL,
        forward    TEXT NOT NULL,
        backward   TEXT NOT NULL,
        state      TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

CREATE TABLE operation_stash (
        operation_id INTEGER NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        table_name   TEXT NOT NULL,
        rows         TEXT NOT NULL,
        blob         BLOB,
        PRIMARY KEY (operation_id, seq)
      ) STRICT;

CREATE TABLE participant (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        dataset_id     INTEGER REFERENCES dataset(id) ON DELETE SET NULL,
        respondent_key TEXT,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

CREATE TABLE participant_attribute (
        participant_id INTEGER NOT NULL REFERENCES participant(id) ON DELETE CASCADE,
        attribute_id   INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
        value          ANY,
        PRIMARY KEY (participant_id, attribute_id)
      ) STRICT;

CREATE TABLE pseudonym (
        participant_id INTEGER PRIMARY KEY,
        alias          TEXT NOT NULL UNIQUE
      ) STRICT;

CREATE TABLE report (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        title    TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}'
      ) STRICT;

CREATE TABLE saved_table (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        spec       TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;

CREATE TABLE search_chunk (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        -- The chunk holds the turns of its document whose start_char lies in [start_char, last_start].
        start_char  INTEGER NOT NULL,
        last_start  INTEGER NOT NULL
      , end_char INTEGER NOT NULL DEFAULT 0, ascii INTEGER NOT NULL DEFAULT 0) STRICT;

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

CREATE TABLE speaker (
        id             INTEGER PRIMARY KEY,
        document_id    INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        label          TEXT NOT NULL,
        display_name   TEXT NOT NULL,
        is_interviewer INTEGER NOT NULL DEFAULT 0,
        participant_id INTEGER REFERENCES participant(id) ON DELETE SET NULL,
        UNIQUE (document_id, label)
      ) STRICT;

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
      , sentiment REAL, coder_id INTEGER REFERENCES coder(id) ON DELETE CASCADE) STRICT;

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

CREATE TABLE value_label (
        variable_id INTEGER NOT NULL REFERENCES variable(id) ON DELETE CASCADE,
        code        ANY NOT NULL,
        label       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        is_missing  INTEGER NOT NULL DEFAULT 0, nonsubstantive INTEGER NOT NULL DEFAULT 0 CHECK (nonsubstantive IN (0, 1)),
        PRIMARY KEY (variable_id, code)
      ) STRICT;

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

CREATE TABLE variable_data (
        variable_id INTEGER PRIMARY KEY REFERENCES variable(id) ON DELETE CASCADE,
        encoding    TEXT NOT NULL,
        data        BLOB NOT NULL
      ) STRICT;

CREATE INDEX code_parent ON code(parent_id);

CREATE INDEX coding_code ON coding(code_id);

CREATE INDEX document_participant ON document(participant_id);

CREATE UNIQUE INDEX exchange_guid_guid ON exchange_guid(kind, guid);

CREATE INDEX finding_position ON finding(position);

CREATE INDEX finding_quote_finding ON finding_quote(finding_id, position);

CREATE INDEX memo_target ON memo(target_kind, target_id);

CREATE INDEX participant_respondent ON participant(dataset_id, respondent_key);

CREATE INDEX search_chunk_document ON search_chunk(document_id);

CREATE INDEX segment_document ON segment(document_id, start_char);

CREATE INDEX speaker_participant ON speaker(participant_id);

CREATE INDEX suggestion_coder ON suggestion(coder_id, status);

CREATE INDEX suggestion_document ON suggestion(document_id, status);

CREATE INDEX suggestion_span ON suggestion(document_id, start_char, end_char, code_id);

CREATE INDEX suggestion_status ON suggestion(status, code_id);

CREATE INDEX turn_document ON turn(document_id, start_char);

CREATE INDEX variable_concept ON variable(concept);

CREATE TRIGGER analysis_generation_dataset_delete AFTER DELETE ON dataset BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_dataset_insert AFTER INSERT ON dataset BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_dataset_update AFTER UPDATE ON dataset BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_value_label_delete AFTER DELETE ON value_label BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_value_label_insert AFTER INSERT ON value_label BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_value_label_update AFTER UPDATE ON value_label BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_variable_data_delete AFTER DELETE ON variable_data BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_variable_data_insert AFTER INSERT ON variable_data BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_variable_data_update AFTER UPDATE ON variable_data BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_variable_delete AFTER DELETE ON variable BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_variable_insert AFTER INSERT ON variable BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER analysis_generation_variable_update AFTER UPDATE ON variable BEGIN UPDATE analysis_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER exchange_guid_forget_attribute AFTER DELETE ON attribute BEGIN
          DELETE FROM exchange_guid WHERE kind = 'attribute' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_code AFTER DELETE ON code BEGIN
          DELETE FROM exchange_guid WHERE kind = 'code' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_coder AFTER DELETE ON coder BEGIN
          DELETE FROM exchange_guid WHERE kind = 'coder' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_coding AFTER DELETE ON coding BEGIN
          DELETE FROM exchange_guid WHERE kind = 'coding' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_document AFTER DELETE ON document BEGIN
          DELETE FROM exchange_guid WHERE kind = 'document' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_exchange_set AFTER DELETE ON exchange_set BEGIN
          DELETE FROM exchange_guid WHERE kind = 'set' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_memo AFTER DELETE ON memo BEGIN
          DELETE FROM exchange_guid WHERE kind = 'memo' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_participant AFTER DELETE ON participant BEGIN
          DELETE FROM exchange_guid WHERE kind = 'participant' AND local_id = old.id;
        END;

CREATE TRIGGER exchange_guid_forget_segment AFTER DELETE ON segment BEGIN
          DELETE FROM exchange_guid WHERE kind = 'segment' AND local_id = old.id;
        END;

CREATE TRIGGER search_chunk_delete AFTER DELETE ON search_chunk BEGIN
        DELETE FROM chunk_fts WHERE rowid = old.id;
      END;
