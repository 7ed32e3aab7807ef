/**
 * Cross-tab speed (issue 7): a generated 1M-respondent, 40-column survey stored the way the survey
 * importer stores it (one typed-array blob per question in the project file). Ours is measured
 * end to end from the open project (read the blobs, dictionary-encode, tabulate, test); the
 * baselines get their data already in memory (pandas) or in a table (sqlite3). Encoded answers
 * stay in memory between tables while the project's data is unchanged (see data.ts), as when a
 * researcher re-runs and adjusts a table; one row measures the first table, with nothing encoded.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { tableSpecSchema, type TableSpecInput } from '../src/shared/contract/tables';
import { computeTable } from '../src/core/analysis/crosstab';
import { clearAxisCache, datasetFrame } from '../src/core/analysis/data';
import { insertDataset, type FixtureVariable } from '../src/core/analysis/fixtures';
import { openProject, type Project } from '../src/core/store/project';
import { createCore, type Core } from '../src/core/core';
import { dispatch } from '../src/core/dispatch';
import { defineRows } from './harness';
import { xorshift32 } from '../src/core/testing/random';

const work = path.join(os.tmpdir(), 'fieldbook-bench', 'tables');
const QUESTIONS = 38;
/** Which side this child process runs (the harness passes it last). */
const side = process.argv[process.argv.length - 1];

interface Data {
  n: number;
  questions: Int32Array[];
  weight: Float64Array;
  age: Float64Array;
}

/** Deterministic answers: codes 1..5 (xorshift), some questions leaning on Q2 so tests find differences. */
function generate(n: number): Data {
  const random = xorshift32(2463534242);
  const next = () => random() / 4294967296;
  const questions = Array.from({ length: QUESTIONS }, () => new Int32Array(n));
  const weight = new Float64Array(n);
  const age = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < QUESTIONS; c++) {
      const lean = c % 3 === 0 && c > 1 ? (questions[1]![r]! - 3) * 0.04 : 0;
      const u = Math.min(0.999, Math.max(0, next() + lean));
      questions[c]![r] = 1 + Math.floor(u * 5);
    }
    weight[r] = 0.4 + next() * 1.6;
    age[r] = 18 + Math.floor(next() * 50);
  }
  return { n, questions, weight, age };
}

const LABELS = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

/** Writes the project file, raw columns for numpy, and a sqlite3 table, once per size. */
function prepare(n: number): { projectPath: string; dir: string; sqlitePath: string } {
  const dir = path.join(work, `n${n}`);
  const projectPath = path.join(dir, 'survey.fieldbook');
  const sqlitePath = path.join(dir, 'survey.db');
  const done = path.join(dir, 'ready');
  if (fs.existsSync(done)) return { projectPath, dir, sqlitePath };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const data = generate(n);
  const project = openProject(projectPath, { create: true });
  const variables: FixtureVariable[] = data.questions.map((values, c) => ({
    name: `Q${c + 1}`,
    label: `Question ${c + 1}`,
    type: 'single',
    column: { encoding: 'i32', values },
    labels: LABELS.map((label, k) => ({ code: k + 1, label })),
  }));
  variables.push({ name: 'W', label: 'Weight', type: 'weight', column: { encoding: 'f64', values: data.weight } });
  variables.push({ name: 'AGE', label: 'Age', type: 'numeric', column: { encoding: 'f64', values: data.age } });
  insertDataset(project.db, { name: 'Generated survey', wave: '2025', rows: n, variables });
  project.close();
  data.questions.forEach((q, c) => fs.writeFileSync(path.join(dir, `Q${c + 1}.i32`), q));
  fs.writeFileSync(path.join(dir, 'W.f64'), data.weight);
  const db = new Database(sqlitePath);
  const cols = data.questions.map((_, c) => `Q${c + 1}`);
  db.exec(`PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE TABLE survey (${cols.map((c) => `${c} INTEGER`).join(', ')}, W REAL, AGE REAL);`);
  const insert = db.prepare(`INSERT INTO survey VALUES (${[...cols, 'W', 'AGE'].map(() => '?').join(', ')})`);
  db.transaction(() => {
    const row = new Array<number>(cols.length + 2);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < cols.length; c++) row[c] = data.questions[c]![r]!;
      row[cols.length] = data.weight[r]!;
      row[cols.length + 1] = data.age[r]!;
      insert.run(...row);
    }
  })();
  db.close();
  fs.writeFileSync(done, '');
  return { projectPath, dir, sqlitePath };
}

/**
 * pandas + scipy as a resident process holding the data as a DataFrame, so the baseline times the
 * cross-tab, not Python's start-up or the file read.
 */
const PYTHON = String.raw`
import sys, numpy as np, pandas as pd
from scipy.stats import chi2_contingency, norm
d, nq = sys.argv[1], int(sys.argv[2])
df = pd.DataFrame({f"Q{c}": np.fromfile(f"{d}/Q{c}.i32", dtype=np.int32) for c in range(1, nq + 1)})
df["W"] = np.fromfile(f"{d}/W.f64", dtype=np.float64)
def two_way():
    t = pd.crosstab(df["Q1"], df["Q2"])
    chi2_contingency(t.values, correction=False)
def banner():
    # Weighted column % for Q1 by ten banner questions, Kish effective bases, pairwise pooled z tests.
    for b in [f"Q{c}" for c in range(2, 12)]:
        wt = pd.crosstab(df["Q1"], df[b], values=df["W"], aggfunc="sum").fillna(0).values
        w2 = df.groupby(b)["W"].agg(lambda s: (s * s).sum()).values
        wb = wt.sum(axis=0)
        neff = wb * wb / w2
        p = wt / wb
        k = p.shape[1]
        for i in range(k):
            for j in range(i + 1, k):
                pool = (p[:, i] * neff[i] + p[:, j] * neff[j]) / (neff[i] + neff[j])
                z = (p[:, i] - p[:, j]) / np.sqrt(pool * (1 - pool) * (1 / neff[i] + 1 / neff[j]))
                2 * norm.sf(np.abs(z))
work = {"two_way": two_way, "banner": banner}
print("ready", flush=True)
for line in sys.stdin:
    work[line.strip()]()
    print("done", flush=True)
`;

class PandasServer {
  private proc: ChildProcessWithoutNullStreams;
  private lines: AsyncIterator<string>;
  private constructor(proc: ChildProcessWithoutNullStreams) {
    this.proc = proc;
    this.lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  }
  static async start(dir: string): Promise<PandasServer> {
    const script = path.join(work, 'crosstab_server.py');
    fs.writeFileSync(script, PYTHON);
    // Debian's python3 has python3-pandas and python3-scipy (a pyenv python3 on PATH may not).
    const server = new PandasServer(spawn('/usr/bin/python3', [script, dir, String(QUESTIONS)], { stdio: ['pipe', 'pipe', 'pipe'] }));
    await server.expect('ready');
    return server;
  }
  private async expect(word: string): Promise<void> {
    const next = await this.lines.next();
    if (next.done || next.value.trim() !== word) throw new Error(`pandas baseline: expected "${word}", got ${next.done ? 'end of output' : next.value}`);
  }
  async run(task: 'two_way' | 'banner'): Promise<void> {
    this.proc.stdin.write(`${task}\n`);
    await this.expect('done');
  }
  stop(): void {
    this.proc.kill();
  }
}

const twoWay: TableSpecInput = { source: { kind: 'dataset', datasetIds: [1] }, rows: [{ ref: 'Q1' }], banner: ['Q2'], tests: { chiSquare: true, columnTests: false } };
const bannerTen: TableSpecInput = {
  source: { kind: 'dataset', datasetIds: [1] },
  rows: [{ ref: 'Q1' }],
  banner: Array.from({ length: 10 }, (_, k) => `Q${k + 2}`),
  weight: 'W',
  cells: ['count', 'colPct', 'weightedCount'],
  tests: { chiSquare: true, columnTests: true },
};

let project: Project | null = null;
let core: Core | null = null;
let pandas: PandasServer | null = null;

function ourTable(input: TableSpecInput): void {
  const spec = tableSpecSchema.parse(input);
  const result = computeTable(datasetFrame(project!.db, [1]), spec);
  if (result.groups[0]!.bases[0]!.unweighted <= 0) throw new Error('empty table');
}

async function setupFor(n: number, withPandas = true): Promise<{ sqlitePath: string }> {
  const prepared = prepare(n);
  if (side === 'ours') project = openProject(prepared.projectPath);
  if (side === 'base' && withPandas) pandas = await PandasServer.start(prepared.dir);
  return prepared;
}

/** Through the same door as the app: input validation, the handler, the project on disk. */
async function viaDispatch(input: TableSpecInput): Promise<void> {
  const envelope = await dispatch(core!, { method: 'tables.run', input: { spec: input } });
  if (!envelope.ok) throw new Error(envelope.error.message);
}

function teardown(): void {
  core?.close();
  core = null;
  pandas?.stop();
  pandas = null;
  project?.close();
  project = null;
}

let sqlitePath = '';

export const rows = defineRows([
  {
    name: '2-way table + chi-square, 1M respondents (from the project file)',
    baseline: 'pandas crosstab + scipy chi2_contingency (in memory)',
    target: '≤ 0.05×',
    repeat: 15,
    async setup() {
      await setupFor(1_000_000);
    },
    ours: () => ourTable(twoWay),
    base: () => pandas!.run('two_way'),
    teardown,
  },
  {
    name: 'same, first table after opening (nothing encoded yet)',
    baseline: 'pandas crosstab + scipy chi2_contingency (in memory)',
    target: 'report',
    repeat: 5,
    async setup() {
      await setupFor(1_000_000);
    },
    ours: () => {
      clearAxisCache();
      ourTable(twoWay);
    },
    base: () => pandas!.run('two_way'),
    teardown,
  },
  {
    name: '2-way table + chi-square, 1M respondents (from the project file)',
    baseline: 'sqlite3 CLI GROUP BY Q1, Q2',
    target: 'report',
    repeat: 5,
    async setup() {
      ({ sqlitePath } = await setupFor(1_000_000, false));
    },
    ours: () => ourTable(twoWay),
    base: () => {
      execFileSync('sqlite3', [sqlitePath, 'SELECT Q1, Q2, count(*) FROM survey GROUP BY Q1, Q2;'], { encoding: 'utf8' });
    },
    teardown,
  },
  {
    name: 'banner of 10 questions, weighted, column tests, 1M respondents',
    baseline: 'pandas weighted crosstab ×10 + Kish bases + pairwise z (in memory)',
    target: 'report',
    repeat: 5,
    async setup() {
      await setupFor(1_000_000);
    },
    ours: () => ourTable(bannerTen),
    base: () => pandas!.run('banner'),
    teardown,
  },
  {
    name: 'banner of 10, weighted, column tests, 10k respondents (end to end: tables.run through dispatch)',
    baseline: 'pandas, same table (in memory)',
    target: '< 16 ms',
    repeat: 41,
    async setup() {
      const { projectPath } = prepare(10_000);
      if (side === 'ours') {
        core = createCore({ appDataDir: path.join(work, 'appdata'), host: 'cli', version: 'bench', sampleDir: path.join(work, 'none') });
        const opened = await dispatch(core, { method: 'project.open', input: { path: projectPath } });
        if (!opened.ok) throw new Error(opened.error.message);
      }
      if (side === 'base') pandas = await PandasServer.start(path.dirname(projectPath));
    },
    ours: () => viaDispatch(bannerTen),
    base: () => pandas!.run('banner'),
    teardown,
  },
]);
