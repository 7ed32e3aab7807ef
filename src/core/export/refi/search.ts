import type { Database } from 'better-sqlite3';
import { indexDocumentTurns } from '../../store/search-index';

/** Imported texts join the transcripts' search index, inside the import's transaction. */
export function indexImportedDocuments(db: Database, documentIds: number[]): void {
  for (const id of documentIds) indexDocumentTurns(db, id);
}
