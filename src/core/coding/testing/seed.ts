import type { Project } from '../../store/project';

export interface SeedTurn {
  speaker: string;
  text: string;
  interviewer?: boolean;
  respondentRow?: number;
}

/**
 * Puts a transcript into a project the way the importers do (document, speakers, participant,
 * turns with offsets into the text), so coding tests do not depend on another area's parser.
 */
export function seedDocument(
  project: Project,
  options: {
    name: string;
    turns: SeedTurn[];
    participant?: string;
    attributes?: Record<string, string | number>;
    wave?: string;
    kind?: 'transcript' | 'survey_text';
  },
): { documentId: number; text: string; turns: { start: number; end: number }[] } {
  const db = project.db;
  return project.transaction(() => {
    let datasetId: number | null = null;
    if (options.wave) {
      datasetId = Number(
        db.prepare(`INSERT INTO dataset (name, wave, source_file, format) VALUES (?, ?, 'seed.csv', 'csv')`).run(options.wave, options.wave)
          .lastInsertRowid,
      );
    }
    let participantId: number | null = null;
    if (options.participant) {
      participantId = Number(
        db.prepare('INSERT INTO participant (name, dataset_id) VALUES (?, ?)').run(options.participant, datasetId).lastInsertRowid,
      );
      let position = 0;
      for (const [name, value] of Object.entries(options.attributes ?? {})) {
        db.prepare(`INSERT OR IGNORE INTO attribute (name, type, position) VALUES (?, ?, ?)`).run(
          name,
          typeof value === 'number' ? 'number' : 'text',
          position++,
        );
        const attr = db.prepare('SELECT id FROM attribute WHERE name = ?').get(name) as { id: number };
        db.prepare('INSERT INTO participant_attribute (participant_id, attribute_id, value) VALUES (?, ?, ?)').run(participantId, attr.id, value);
      }
    }
    const pieces: string[] = [];
    const spans: { start: number; end: number }[] = [];
    let at = 0;
    for (const turn of options.turns) {
      // As the importers store it: what was said, turns joined by blank lines, no "Speaker:" prefix.
      const line = turn.text;
      spans.push({ start: at, end: at + line.length });
      pieces.push(line);
      at += line.length + 2;
    }
    const text = pieces.join('\n\n');
    const documentId = Number(
      db
        .prepare('INSERT INTO document (kind, name, format, text, participant_id, dataset_id) VALUES (?, ?, ?, ?, ?, ?)')
        .run(options.kind ?? 'transcript', options.name, 'txt', text, participantId, options.kind === 'survey_text' ? datasetId : null)
        .lastInsertRowid,
    );
    const speakers = new Map<string, number>();
    options.turns.forEach((turn, position) => {
      let speakerId = speakers.get(turn.speaker) ?? null;
      if (speakerId === null && options.kind !== 'survey_text') {
        speakerId = Number(
          db
            .prepare('INSERT INTO speaker (document_id, label, display_name, is_interviewer, participant_id) VALUES (?, ?, ?, ?, ?)')
            .run(documentId, turn.speaker, turn.speaker, turn.interviewer ? 1 : 0, turn.interviewer ? null : participantId).lastInsertRowid,
        );
        speakers.set(turn.speaker, speakerId);
      }
      const span = spans[position]!;
      db.prepare('INSERT INTO turn (document_id, position, speaker_id, respondent_row, start_char, end_char) VALUES (?, ?, ?, ?, ?, ?)').run(
        documentId,
        position,
        speakerId,
        turn.respondentRow ?? null,
        span.start,
        span.end,
      );
    });
    return { documentId, text, turns: spans };
  });
}

/** Every row of the coding tables, to compare a project before and after something. */
export function dumpCoding(project: Project): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['code', 'segment', 'coding', 'memo', 'suggestion']) {
    out[table] = project.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  }
  return out;
}
