import type { Database } from 'better-sqlite3';
import path from 'node:path';
import type { RefiMergeReport, RefiPositionReading } from '../../../shared/contract/exports';
import { FieldbookError } from '../../../shared/errors';
import { runOperation } from '../../history/history';
import type { Project } from '../../store/project';
import { OffsetMap } from '../../coding/offsets';
import type { RefiProject } from './model';
import { RefiImporter, type RefiImportCounts } from './importer';
import { decidePositions, lengthIn } from './positions';

export { paragraphSpans, type RefiImportCounts } from './importer';

export interface RefiImportOutcome {
  counts: RefiImportCounts;
  documentIds: number[];
  notImported: string[];
  positions: RefiPositionReading;
  merge: RefiMergeReport;
}

/**
 * Checks a REFI project against the texts it carries before anything is written: every quote
 * must lie inside its text, in the unit its positions are read in.
 */
function checkSelections(refi: RefiProject, file: string, unit: RefiPositionReading['unit']): void {
  for (const source of refi.sources) {
    if (source.text === null) continue;
    const length = lengthIn(new OffsetMap(source.text), unit);
    for (const [index, s] of source.selections.entries()) {
      if (s.start > s.end || s.end > length) {
        throw new FieldbookError(
          'PARSE_ERROR',
          `${path.basename(file)}: quote ${index + 1} of "${source.name}" runs from position ${s.start} to ${s.end}, but the text has only ${length} characters. The file is damaged or its text does not match its quotes; nothing was imported.`,
          { file, record: index + 1, field: source.name },
        );
      }
    }
  }
}

/**
 * Writes a REFI project into the open project as one undoable operation (see importer.ts for
 * what is matched and merged). Parsing and checking happen first, so a bad file writes nothing.
 */
export function applyRefi(
  project: Project,
  refi: RefiProject,
  file: string,
  /** Runs inside the transaction once the documents exist (e.g. to index them for search). */
  afterDocuments: (db: Database, documentIds: number[]) => void = () => undefined,
): RefiImportOutcome {
  const positions = decidePositions(refi);
  checkSelections(refi, file, positions.unit);
  const merging = refi.sources.length > 0 && (project.db.prepare('SELECT count(*) FROM document').pluck().get() as number) > 0;
  const label = `${merging ? 'Import and merge' : 'Import'} ${path.basename(file)}`;
  return runOperation(project, label, (rec) => {
    const importer = new RefiImporter(rec, refi, file, positions);
    importer.run();
    afterDocuments(rec.db, importer.documentIds);
    return { counts: importer.counts, documentIds: importer.documentIds, notImported: importer.notImported, positions, merge: importer.merge };
  });
}
