import type { Migration } from './types';
import { migration0010 } from './0010-foundation';
import { migration0030 } from './0030-transcripts';
import { migration0031 } from './0031-search-chunks';
import { migration0032 } from './0032-chunk-end';
import { migration0050 } from './0050-suggest';
import { migration0051 } from './0051-suggest-coder';
import { migration0060 } from './0060-tables';
import { migration0070 } from './0070-export';
import { migration0071 } from './0071-export-guid-cleanup';

/**
 * Every migration, in order. Domains own their numbers: 20 survey, 30 transcripts, 40 coding,
 * 50 suggest, 60 tables, 70 export (…1..9 within each for follow-ups).
 */
export const migrations: readonly Migration[] = [migration0010, migration0030, migration0031, migration0032, migration0050, migration0051, migration0060, migration0070, migration0071].sort((a, b) => a.version - b.version);

export const LATEST_SCHEMA_VERSION = migrations.reduce((max, m) => Math.max(max, m.version), 0);
