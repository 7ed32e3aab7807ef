import type { Migration } from './types';
import { migration0010 } from './0010-foundation';
import { migration0030 } from './0030-transcripts';
import { migration0050 } from './0050-suggest';
import { migration0051 } from './0051-suggest-coder';
import { migration0060 } from './0060-tables';
import { migration0070 } from './0070-export';
import { migration0071 } from './0071-export-guid-cleanup';
import { migration0072 } from './0072-search-chunks';
import { migration0073 } from './0073-chunk-end';
import { migration0074 } from './0074-nonsubstantive';
import { migration0085 } from './0085-operation-stash';
import { migration0090 } from './0090-wave-order';
import { migration0095 } from './0095-exchange-records';
import { migration0105 } from './0105-findings';

/**
 * Every migration, in order. The first ones took domain numbers (30 transcripts, 50 suggest, 60
 * tables, 70 export); since projects exist at the latest version, a new migration always takes the
 * next number after the latest, whatever its domain: a project at 71 never runs a 31.
 */
export const migrations: readonly Migration[] = [migration0010, migration0030, migration0050, migration0051, migration0060, migration0070, migration0071, migration0072, migration0073, migration0074, migration0085, migration0090, migration0095, migration0105].sort((a, b) => a.version - b.version);

export const LATEST_SCHEMA_VERSION = migrations.reduce((max, m) => Math.max(max, m.version), 0);
