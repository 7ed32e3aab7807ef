import type { ComponentType } from 'react';
import DataPage from '../features/data/index';
import TranscriptsPage from '../features/transcripts/index';
import ParticipantsPage from '../features/participants/index';
import CodebookPage from '../features/codebook/index';
import SuggestPage from '../features/suggest/index';
import TablesPage from '../features/tables/index';
import ExportPage from '../features/export/index';
import FindingsPage from '../features/findings/index';

/** The project's sections, in the order of the work: bring data in, code it, count it, report it. */
export interface Route {
  id: string;
  /** Its name in the catalogs (shell.routes.<id>). */
  label: 'data' | 'transcripts' | 'participants' | 'codebook' | 'suggestions' | 'tables' | 'exports' | 'findings';
  /** Alt+key jumps here. */
  key: string;
  page: ComponentType;
}

export const routes: Route[] = [
  { id: 'data', label: 'data', key: '1', page: DataPage },
  { id: 'transcripts', label: 'transcripts', key: '2', page: TranscriptsPage },
  { id: 'participants', label: 'participants', key: '3', page: ParticipantsPage },
  { id: 'codebook', label: 'codebook', key: '4', page: CodebookPage },
  { id: 'suggestions', label: 'suggestions', key: '5', page: SuggestPage },
  { id: 'tables', label: 'tables', key: '6', page: TablesPage },
  { id: 'exports', label: 'exports', key: '7', page: ExportPage },
  { id: 'findings', label: 'findings', key: '8', page: FindingsPage },
];
