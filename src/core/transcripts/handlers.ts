import path from 'node:path';
import type { SpeakerPreview, TranscriptFilePreview, transcriptMethods } from '../../shared/contract/transcripts';
import { FieldbookError, type ErrorInfo } from '../../shared/errors';
import type { HandlerMap } from '../context';
import { countWords, likelyInterviewer } from './parse/model';
import { formatOf, parseTranscriptFile, type ParsedTranscript } from './parse/index';
import { participantFromFileName } from './parse/filename';
import {
  attributeEditLabel,
  attributeName,
  createAttribute,
  createParticipant,
  deleteAttribute,
  deleteParticipant,
  listAttributes,
  listParticipants,
  participantEditLabel,
  participantInfo,
  participantName,
  previewSheet,
  readSheet,
  updateAttribute,
  updateParticipant,
  writeSheet,
} from './participants';
import { runSearch } from './search';
import {
  documentEditLabel,
  documentSummaries,
  documentSummary,
  getDocument,
  deleteDocument,
  listDocuments,
  speakerEditLabel,
  speakerInfo,
  updateDocument,
  updateSpeaker,
  writeTranscripts,
} from './store';
import { recordOperation, runOperation } from '../history/history';

function errorInfo(error: unknown, filePath: string): ErrorInfo {
  if (error instanceof FieldbookError) return error.toInfo();
  return { code: 'INTERNAL', message: `${path.basename(filePath)} could not be read: ${(error as Error).message}`, details: { file: filePath } };
}

function previewOf(filePath: string, parsed: ParsedTranscript): TranscriptFilePreview {
  const speakers = new Map<string, SpeakerPreview>();
  for (const turn of parsed.turns) {
    const label = turn.speaker ?? '';
    let entry = speakers.get(label);
    if (!entry) speakers.set(label, (entry = { label, turns: 0, words: 0, likelyInterviewer: likelyInterviewer(label) }));
    entry.turns++;
    entry.words += countWords(parsed.text.slice(turn.start, turn.end));
  }
  // Only unlabelled turns: there are no speakers to show.
  const list = [...speakers.values()];
  return {
    path: filePath,
    fileName: path.basename(filePath),
    name: path.basename(filePath, path.extname(filePath)),
    format: parsed.format,
    encoding: parsed.encoding,
    speakers: list.length === 1 && list[0]?.label === '' ? [] : list,
    turns: parsed.turns.length,
    words: countWords(parsed.text),
    chars: parsed.text.length,
    hasTimestamps: parsed.turns.some((t) => t.startMs !== null),
    excerpt: parsed.text.slice(0, 400),
    suggestedParticipant: participantFromFileName(path.basename(filePath)),
    error: null,
  };
}

/** Files parsed ahead of the one being written (their texts wait in memory meanwhile). */
const PARSE_AHEAD = 8;

export const transcriptHandlers: HandlerMap<keyof typeof transcriptMethods> = {
  'transcripts.preview': async (input) => {
    const files: TranscriptFilePreview[] = [];
    for (const filePath of input.files) {
      try {
        files.push(previewOf(filePath, await parseTranscriptFile(filePath)));
      } catch (error) {
        files.push({
          path: filePath,
          fileName: path.basename(filePath),
          name: path.basename(filePath, path.extname(filePath)),
          format: formatOf(filePath),
          encoding: null,
          speakers: [],
          turns: 0,
          words: 0,
          chars: 0,
          hasTimestamps: false,
          excerpt: '',
          suggestedParticipant: null,
          error: errorInfo(error, filePath),
        });
      }
    }
    return { files };
  },

  'transcripts.import': async (input, ctx) => {
    const project = ctx.project();
    const total = input.files.length;
    // Files are parsed on worker threads, a few ahead, while this thread writes the ones already
    // parsed: all in one transaction, so a bad file or a cancel (checked after every file) rolls
    // back every row, and the project is exactly as before.
    const parses: Promise<{ parsed: ParsedTranscript; words: number }>[] = [];
    const parse = (index: number) => {
      const file = input.files[index];
      if (file && !parses[index]) {
        parses[index] = ctx.workers.run('parseTranscript', { path: file.path }, ctx.job.signal);
        // Failures are reported when their turn comes; a cancelled import never looks at the rest.
        parses[index].catch(() => {});
      }
      return parses[index];
    };
    for (let i = 0; i < PARSE_AHEAD; i++) parse(i);
    ctx.job.progress(0, total, `Reading ${total} file${total === 1 ? '' : 's'}`);
    // In WAL mode, never as a bulk write (a rollback journal): switching the journal mode rewrites
    // the file's header even when the import is then refused by a bad file halfway, and a refused
    // import leaves the file byte for byte as it was. Parsing the whole batch before writing would
    // keep that too, but loses the overlap of parsing and writing, which costs more than the bulk
    // write saved (1,000 transcripts: 1.29 s against 1.18 s when it was measured).
    const ids = await project.writeAsync(async () => {
      const written: number[] = [];
      const lastParticipant = (project.db.prepare('SELECT coalesce(max(id), 0) FROM participant').pluck().get() as number) ?? 0;
      let checked = performance.now();
      for (const [index, file] of input.files.entries()) {
        parse(index + PARSE_AHEAD);
        const { parsed, words } = await parse(index)!;
        // A checkpoint every ~20 ms of work, not every file: a thousand small files add up.
        if (performance.now() - checked > 20) {
          await ctx.job.checkpoint();
          checked = performance.now();
        } else ctx.job.throwIfCancelled();
        written.push(...writeTranscripts(project.db, [{ ...file, parsed, words }]));
        ctx.job.progress(index + 1, total, `Saving and indexing ${index + 1} of ${total}`);
      }
      await ctx.job.checkpoint();
      // Participants named by these files and new to the project are part of the import: undo takes them too.
      const participants = project.db.prepare('SELECT id FROM participant WHERE id > ? ORDER BY id').pluck().all(lastParticipant) as number[];
      const label = total === 1 ? `Import transcript ${path.basename(input.files[0]!.path)}` : `Import ${total} transcripts`;
      recordOperation(project.db, label, (rec) => rec.imported({ datasets: [], documents: written, participants }));
      return written;
    });
    ctx.job.progress(total, total, 'Done');
    return { documents: documentSummaries(project.db, ids) };
  },

  'documents.list': (input, ctx) => listDocuments(ctx.project().db, input.kind),
  'documents.get': (input, ctx) => getDocument(ctx.project().db, input),
  'documents.update': (input, ctx) => {
    const project = ctx.project();
    runOperation(project, documentEditLabel(project.db, input), (rec) => updateDocument(rec, input));
    return documentSummary(project.db, input.id);
  },
  'documents.delete': (input, ctx) => {
    const project = ctx.project();
    const doc = project.db.prepare('SELECT kind, name FROM document WHERE id = ?').get(input.id) as { kind: string; name: string } | undefined;
    if (doc === undefined) return { deleted: false };
    if (doc.kind === 'survey_text') {
      throw new FieldbookError('CONFLICT', 'Survey answers belong to their dataset: remove the dataset instead.', { record: input.id });
    }
    const label = `Delete ${doc.kind === 'transcript' ? 'transcript' : 'document'} ${doc.name}`;
    const deleted = runOperation(project, label, (rec) => deleteDocument(rec, input.id));
    return { deleted };
  },
  'speakers.update': (input, ctx) => {
    const project = ctx.project();
    runOperation(project, speakerEditLabel(project.db, input), (rec) => updateSpeaker(rec, input));
    return speakerInfo(project.db, input.id);
  },

  'participants.list': (_input, ctx) => listParticipants(ctx.project().db),
  'participants.create': (input, ctx) => {
    const project = ctx.project();
    const id = runOperation(project, `Add participant ${input.name}`, (rec) => createParticipant(rec, input.name, input.values ?? {}));
    return participantInfo(project.db, id);
  },
  'participants.update': (input, ctx) => {
    const project = ctx.project();
    runOperation(project, participantEditLabel(project.db, input), (rec) => updateParticipant(rec, input));
    return participantInfo(project.db, input.id);
  },
  'participants.delete': (input, ctx) => {
    const project = ctx.project();
    const name = participantName(project.db, input.id);
    if (name === undefined) return { deleted: false };
    const deleted = runOperation(project, `Delete participant ${name}`, (rec) => deleteParticipant(rec, input.id));
    return { deleted };
  },
  'participants.previewSheet': (input) => previewSheet(input.path),
  'participants.importSheet': async (input, ctx) => {
    const project = ctx.project();
    ctx.job.progress(0, null, `Reading ${path.basename(input.path)}`);
    const sheet = await readSheet(input.path);
    await ctx.job.checkpoint();
    const file = path.basename(input.path);
    const result = runOperation(project, `Import participants from ${file}`, (rec) =>
      writeSheet(rec, sheet, { file, keyColumn: input.keyColumn, respondentColumn: input.respondentColumn, datasetId: input.datasetId }),
    );
    return result;
  },

  'attributes.create': (input, ctx) => {
    const project = ctx.project();
    const id = runOperation(project, `Add attribute ${input.name}`, (rec) => createAttribute(rec, input.name, input.type));
    const created = listAttributes(project.db).find((a) => a.id === id);
    if (!created) throw new FieldbookError('INTERNAL', 'The new attribute vanished.');
    return created;
  },
  'attributes.update': (input, ctx) => {
    const project = ctx.project();
    runOperation(project, attributeEditLabel(project.db, input), (rec) => updateAttribute(rec, input));
    const found = listAttributes(project.db).find((a) => a.id === input.id);
    if (!found) throw new FieldbookError('NOT_FOUND', `There is no attribute ${input.id}.`, { record: input.id });
    return found;
  },
  'attributes.delete': (input, ctx) => {
    const project = ctx.project();
    const name = attributeName(project.db, input.id);
    if (name === undefined) return { deleted: false };
    const deleted = runOperation(project, `Delete attribute ${name}`, (rec) => deleteAttribute(rec, input.id));
    return { deleted };
  },

  'search.run': (input, ctx) => runSearch(ctx.project().db, input),
};
