import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Input, MethodName, Output } from '../src/shared/contract/index';
import { FieldbookError } from '../src/shared/errors';
import { createCore, type Core } from '../src/core/core';
import { dispatch } from '../src/core/dispatch';
import { LATEST_SCHEMA_VERSION } from '../src/core/store/migrations/index';
import { defineRows } from './harness';
import { xorshift32 } from '../src/core/testing/random';

const work = path.join(os.tmpdir(), 'fieldbook-bench', 'transcripts');
const corpus = path.join(work, 'corpus');
const DOCS = 1000;
const WORDS = 8000;
const PHRASE = 'model registry approval';
const searchProject = path.join(work, 'search.fieldbook');

/** Deterministic text (xorshift): a skewed vocabulary, so common words are common, like speech. */
function generate(): void {
  if (fs.existsSync(path.join(corpus, `t${String(DOCS - 1).padStart(4, '0')}.txt`))) return;
  fs.mkdirSync(corpus, { recursive: true });
  const random = xorshift32(88172645);
  const next = () => random() / 4294967296;
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'da', 'pe', 'qu', 'or', 'an', 'el', 'is', 'um'];
  const common = 'the a and to of I we it that is in you so like they our was for but have with on do be this just not what team data cloud cost model'.split(' ');
  const vocabulary = [...common];
  while (vocabulary.length < 6000) {
    const n = 2 + Math.floor(next() * 2);
    let word = '';
    for (let i = 0; i < n; i++) word += syllables[Math.floor(next() * syllables.length)];
    vocabulary.push(word);
  }
  for (let d = 0; d < DOCS; d++) {
    const lines: string[] = [];
    let words = 0;
    let interviewer = true;
    while (words < WORDS) {
      const length = interviewer ? 8 + Math.floor(next() * 25) : 30 + Math.floor(next() * 220);
      const turn: string[] = [];
      for (let i = 0; i < length; i++) turn.push(vocabulary[Math.floor(next() * next() * vocabulary.length)] ?? 'the');
      // About one document in six mentions the phrase, a few times.
      if (!interviewer && d % 6 === 0 && next() < 0.08) turn.splice(Math.floor(turn.length / 2), 0, ...PHRASE.split(' '));
      lines.push(`${interviewer ? 'Interviewer' : 'Respondent'}: ${turn.join(' ')}.`);
      words += turn.length;
      interviewer = !interviewer;
    }
    fs.writeFileSync(path.join(corpus, `t${String(d).padStart(4, '0')}.txt`), lines.join('\n\n') + '\n');
  }
}

function files(): string[] {
  return fs
    .readdirSync(corpus)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => path.join(corpus, f));
}

function newCore(): { core: Core; call: <M extends MethodName>(m: M, i: Input<M>, jobId?: string) => Promise<Output<M>> } {
  const core = createCore({ appDataDir: path.join(work, 'appdata'), host: 'cli', version: 'bench', sampleDir: path.join(work, 'none') });
  const call = async <M extends MethodName>(method: M, input: Input<M>, jobId?: string): Promise<Output<M>> => {
    const envelope = await dispatch(core, { method, input, jobId });
    if (!envelope.ok) throw FieldbookError.fromInfo(envelope.error);
    return envelope.result as Output<M>;
  };
  return { core, call };
}

let counter = 0;
function fresh(name: string): string {
  counter += 1;
  const file = path.join(work, `${name}-${process.pid}-${counter}.fieldbook`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

let open: ReturnType<typeof newCore> | null = null;

export const rows = defineRows([
  {
    name: `import ${DOCS} transcripts × ${WORDS} words (~45 MB) and build the search index`,
    baseline: 'sqlite3 CLI: FTS5 index of the same files (readfile)',
    target: '≤ 1.5×',
    repeat: 3,
    setup: generate,
    async ours() {
      const { core, call } = newCore();
      try {
        await call('project.create', { path: fresh('import') });
        const result = await call('transcripts.import', { files: files().map((p) => ({ path: p })) }, 'bench-import');
        if (result.documents.length !== DOCS) throw new Error(`imported ${result.documents.length} documents`);
      } finally {
        core.close();
      }
    },
    base() {
      const file = fresh('sqlite3');
      execFileSync('sqlite3', [
        file,
        `PRAGMA journal_mode=WAL; CREATE TABLE doc(name TEXT, body TEXT); CREATE VIRTUAL TABLE f USING fts5(body, content='doc');
         BEGIN; INSERT INTO doc(rowid, name, body) SELECT rowid, name, readfile(name) FROM fsdir('${corpus}') WHERE name LIKE '%.txt';
         INSERT INTO f(rowid, body) SELECT rowid, body FROM doc; COMMIT;`,
      ]);
    },
    teardown() {
      for (const f of fs.readdirSync(work)) if (/^(import|sqlite3)-/.test(f)) fs.rmSync(path.join(work, f), { force: true });
    },
  },
  {
    name: `phrase query over ${DOCS} transcripts: first 50 KWIC hits with speaker and participant`,
    baseline: 'rg -F over the same files',
    target: '≤ 0.3×',
    repeat: 15,
    async setup() {
      generate();
      // Built once per schema version (a newer schema indexes differently).
      const built = path.join(work, 'search.done');
      if (!fs.existsSync(built) || fs.readFileSync(built, 'utf8') !== String(LATEST_SCHEMA_VERSION)) {
        const { core, call } = newCore();
        try {
          await call('project.create', { path: searchProject, overwrite: true });
          await call('transcripts.import', { files: files().map((p) => ({ path: p })) });
        } finally {
          core.close();
        }
        fs.writeFileSync(built, String(LATEST_SCHEMA_VERSION));
      }
    },
    async ours() {
      if (!open) {
        // Opening the project is not part of a query (the app has it open already).
        open = newCore();
        await open.call('project.open', { path: searchProject });
      }
      // The first page of hits, as the row asks; the total is counted separately (countTotal).
      const result = await open.call('search.run', { query: `"${PHRASE}"`, limit: 50, countTotal: false });
      if (result.hits.length !== 50 || result.hits[0]?.match !== PHRASE) throw new Error(`unexpected result: ${result.hits.length} hits`);
    },
    base() {
      const out = execFileSync('rg', ['-F', '--no-heading', '-n', PHRASE, corpus], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (out.length === 0) throw new Error('rg found nothing');
    },
    teardown() {
      open?.core.close();
      open = null;
    },
  },
]);
