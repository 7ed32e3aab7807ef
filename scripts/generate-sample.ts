/**
 * Writes the sample study's source files (resources/sample): an annual industry survey on
 * Kubernetes and AI in two waves, ten interviews in mixed formats, a participant sheet, a starter
 * codebook and a few starter codings.
 *
 *   npx tsx scripts/generate-sample.ts [outDir]      (default: resources/sample)
 *
 * Deterministic on purpose: the files are committed and the sample project is built from them, so a
 * rerun must give identical bytes. Every random choice comes from seeded PRNG streams (one per part,
 * so editing one part does not reshuffle the others), no clock is read, only + - * / arithmetic is
 * used on random numbers (Math.log/exp may differ in the last bit between engines), and the .docx
 * files are re-zipped with fixed timestamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

// ---------------------------------------------------------------------------------------------
// Randomness

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and the same on every platform. */
export class Rng {
  private state: number;
  constructor(seed: string) {
    this.state = hashSeed(seed);
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** Index chosen with the given (non-negative, not all zero) weights. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
  /** Roughly normal (Irwin-Hall of 4 uniforms), mean 0, sd 1: no transcendental functions. */
  normalish(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508075688772;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The questionnaire (same question text in both waves, so the waves can be matched)

export const QUESTIONS = {
  role: 'Which of the following best describes your role?',
  industry: 'Which industry does your organization primarily operate in?',
  country: 'In which country are you based?',
  size: 'How many employees does your organization have?',
  aiChange: 'Over the next 12 months, how do you expect the AI/ML workloads running on your Kubernetes clusters to change?',
  edge: 'Does your organization run Kubernetes clusters at the edge in production?',
  edgeChallenges: 'What are your biggest challenges running Kubernetes at the edge? (Select all that apply)',
  cloudBill: 'Over the past 12 months, how has your cloud bill changed?',
  lever: 'Which lever has done the most to improve the efficiency of your Kubernetes environment?',
  openText: 'What is your biggest challenge running AI on Kubernetes?',
} as const;

export const ROLES = [
  'Platform engineer',
  'Site reliability engineer (SRE)',
  'DevOps engineer',
  'Software developer',
  'ML / MLOps engineer',
  'Data scientist',
  'Architect',
  'Engineering manager',
  'IT executive (CIO, CTO, VP)',
  'Security engineer',
] as const;
const ROLE_WEIGHTS = [18, 12, 14, 14, 9, 5, 9, 8, 6, 5];

export const INDUSTRIES = [
  'Technology / software',
  'Financial services',
  'Telecommunications',
  'Retail and e-commerce',
  'Manufacturing',
  'Healthcare and life sciences',
  'Public sector',
  'Media and entertainment',
  'Energy and utilities',
  'Other',
] as const;
const INDUSTRY_WEIGHTS = [30, 14, 8, 9, 9, 7, 6, 6, 5, 6];
/** Who runs edge clusters (added to the wave's base rate). */
const INDUSTRY_EDGE = [-0.08, -0.12, 0.3, 0.18, 0.22, 0.02, -0.1, -0.04, 0.16, -0.02];
/** Who expects AI workloads to grow fast (multiplies the "Increase significantly" weight). */
const INDUSTRY_AI = [1.35, 1.1, 0.95, 0.95, 0.85, 1.0, 0.6, 1.05, 0.75, 0.8];

export const COUNTRIES = [
  'United States',
  'United Kingdom',
  'Germany',
  'India',
  'Canada',
  'France',
  'Netherlands',
  'Japan',
  'Brazil',
  'Australia',
  'China',
  'Other',
] as const;
const COUNTRY_WEIGHTS = [30, 10, 9, 9, 6, 5, 4, 5, 4, 4, 6, 8];

export const SIZES = [
  '1-99 employees',
  '100-999 employees',
  '1,000-4,999 employees',
  '5,000-19,999 employees',
  '20,000 or more employees',
] as const;
/** Large organizations answer more often than the population of Kubernetes users would suggest. */
const SIZE_TARGET = [22, 28, 22, 15, 13];

export const AI_CHANGE = [
  'Decrease significantly',
  'Decrease slightly',
  'Stay about the same',
  'Increase slightly',
  'Increase significantly',
] as const;

export const EDGE = ['Yes', 'No', 'Not sure'] as const;

export const EDGE_CHALLENGES = [
  'Limited connectivity and bandwidth',
  'Managing many clusters at scale',
  'Security of remote sites',
  'Hardware constraints (CPU, GPU, power)',
  'Deploying and updating AI models at the edge',
  'Observability and troubleshooting',
  'Lack of skills',
] as const;
const EDGE_CHALLENGE_P = [0.52, 0.47, 0.38, 0.34, 0.3, 0.33, 0.2];

export const CLOUD_BILL = [
  'Decreased significantly',
  'Decreased slightly',
  'Stayed about the same',
  'Increased slightly',
  'Increased significantly',
] as const;

export const LEVERS = [
  'Rightsizing requests and limits',
  'Cluster and workload autoscaling',
  'Spot or preemptible capacity',
  'GPU sharing and scheduling',
  'Consolidating clusters',
  'Cost visibility and chargeback (FinOps)',
  'Other',
] as const;

// ---------------------------------------------------------------------------------------------
// Respondents

export interface Respondent {
  role: number;
  industry: number;
  country: number;
  size: number;
  /** Answered through the end of the questionnaire. */
  finished: boolean;
  aiChange: number | null;
  edge: number | null;
  edgeChallenges: boolean[] | null;
  cloudBill: number | null;
  lever: number | null;
  openText: string | null;
  weight: number;
}

interface WaveSettings {
  year: 2024 | 2025;
  count: number;
  edgeBase: number;
  aiWeights: number[];
  sizeWeights: number[];
  /** GPU sharing becomes the lever people name as AI grows. */
  gpuLever: number;
  answerRate: number;
}

const WAVE_2024: WaveSettings = {
  year: 2024,
  count: 402,
  edgeBase: 0.44,
  aiWeights: [2, 3, 9, 42, 44],
  sizeWeights: [14, 26, 24, 18, 18],
  gpuLever: 10,
  answerRate: 0.55,
};
const WAVE_2025: WaveSettings = {
  year: 2025,
  count: 455,
  edgeBase: 0.53,
  aiWeights: [1, 2, 7, 36, 54],
  sizeWeights: [12, 24, 25, 20, 19],
  gpuLever: 22,
  answerRate: 0.6,
};

function makeRespondent(rng: Rng, wave: WaveSettings): Respondent {
  const role = rng.weightedIndex(ROLE_WEIGHTS);
  const industry = rng.weightedIndex(INDUSTRY_WEIGHTS);
  const country = rng.weightedIndex(COUNTRY_WEIGHTS);
  const size = rng.weightedIndex(wave.sizeWeights);
  const finished = !rng.chance(0.03);

  const ai = [...wave.aiWeights];
  ai[4] = (ai[4] ?? 0) * (INDUSTRY_AI[industry] ?? 1) * (0.8 + size * 0.1);
  if (role === 4 || role === 5) ai[4] = (ai[4] ?? 0) * 1.4; // the people building AI expect more of it
  const aiChange = rng.weightedIndex(ai);

  let pEdge = wave.edgeBase + (INDUSTRY_EDGE[industry] ?? 0) + (size - 2) * 0.04;
  pEdge = Math.min(0.92, Math.max(0.05, pEdge));
  const edge = rng.chance(0.07) ? 2 : rng.chance(pEdge) ? 0 : 1;

  if (!finished) {
    return { role, industry, country, size, finished, aiChange, edge, edgeChallenges: null, cloudBill: null, lever: null, openText: null, weight: 0 };
  }

  let edgeChallenges: boolean[] | null = null;
  if (edge === 0) {
    edgeChallenges = EDGE_CHALLENGE_P.map((p, i) => {
      let q = p;
      if (i === 1) q += (size - 2) * 0.08; // many clusters: a big-company problem
      if (i === 4 && wave.year === 2025) q += 0.12;
      if (i === 0 && (industry === 3 || industry === 4 || industry === 8)) q += 0.15;
      return rng.chance(q);
    });
    if (!edgeChallenges.some(Boolean)) edgeChallenges[rng.weightedIndex(EDGE_CHALLENGE_P)] = true;
  }

  // The bill follows the AI growth people already see.
  const bill = [3, 9, 24, 40, 24];
  if (aiChange === 4) {
    bill[4] = (bill[4] ?? 0) * 1.8;
    bill[2] = (bill[2] ?? 0) * 0.7;
  } else if (aiChange <= 2) {
    bill[4] = (bill[4] ?? 0) * 0.4;
    bill[1] = (bill[1] ?? 0) * 1.6;
  }
  const cloudBill = rng.weightedIndex(bill);

  const lever = [26, 22, 14, wave.gpuLever, 9, 16, 3];
  if (aiChange === 4) lever[3] = (lever[3] ?? 0) * 1.6;
  if (size >= 3) lever[5] = (lever[5] ?? 0) * 1.5; // FinOps teams exist in big organizations
  if (size <= 1) lever[2] = (lever[2] ?? 0) * 1.4;
  const leverIndex = rng.weightedIndex(lever);

  const openText = rng.chance(wave.answerRate) ? openAnswer(rng, { aiChange, edge, size, year: wave.year }) : null;
  return { role, industry, country, size, finished, aiChange, edge, edgeChallenges, cloudBill, lever: leverIndex, openText, weight: 0 };
}

/** Post-stratification on company size, with a little jitter as raking on other margins would add. */
function assignWeights(rng: Rng, people: Respondent[]): void {
  const counts = SIZES.map((_, i) => people.filter((p) => p.size === i).length);
  const targetTotal = SIZE_TARGET.reduce((a, b) => a + b, 0);
  for (const person of people) {
    const share = (counts[person.size] ?? 1) / people.length;
    const target = (SIZE_TARGET[person.size] ?? 0) / targetTotal;
    person.weight = (target / share) * (0.92 + rng.next() * 0.16);
  }
  const mean = people.reduce((sum, p) => sum + p.weight, 0) / people.length;
  for (const person of people) person.weight = person.weight / mean;
}

// ---------------------------------------------------------------------------------------------
// Open-ended answers: built from themes so that codes and suggestions have something to find

const OPEN_THEMES: { weight: number; lines: string[] }[] = [
  {
    weight: 20,
    lines: [
      'GPU scheduling. The default scheduler treats a GPU as a whole unit, so small jobs block big cards.',
      'Getting GPU capacity at all, especially in our main cloud region.',
      'Sharing GPUs between teams fairly without someone hogging the queue for a week.',
      'GPU utilisation is low and nobody can tell us which team is wasting it.',
      'Scheduling training jobs that need many GPUs at once (gang scheduling).',
      'Time-slicing and MIG are confusing and the tooling around them is immature.',
    ],
  },
  {
    weight: 18,
    lines: [
      'Cost. GPU instances are eating our cloud budget.',
      'Our cloud bill grew much faster than the value we get from the models.',
      'Explaining the spend to finance when the costs are shared across teams.',
      'Idle GPUs that are reserved but not used are very expensive.',
      'Keeping inference costs under control as traffic grows.',
      'No chargeback, so nobody feels responsible for the bill.',
    ],
  },
  {
    weight: 15,
    lines: [
      'Model management: knowing which model version is running where.',
      'Moving models from notebooks into production in a repeatable way.',
      'We have no proper model registry yet, models are just files in buckets.',
      'Rolling out new model versions safely and rolling back when accuracy drops.',
      'Large models take minutes to start, so autoscaling inference is slow.',
      'Serving many small models efficiently on shared nodes.',
    ],
  },
  {
    weight: 14,
    lines: [
      'Skills. Very few people understand both Kubernetes and machine learning.',
      'The data scientists should not need to learn Kubernetes internals to ship a model.',
      'Hiring platform engineers with ML experience is slow and expensive.',
      'Too much cognitive load on a small platform team.',
      'Training our developers fast enough to keep up with the tooling.',
    ],
  },
  {
    weight: 12,
    lines: [
      'Security of the AI supply chain: huge images, unknown dependencies and model weights from the internet.',
      'Compliance and audit requirements for training data.',
      'Secrets management for notebooks and pipelines.',
      'Multi-tenancy: isolating teams that share the same GPU nodes.',
      'Proving to auditors which model version made a decision.',
    ],
  },
  {
    weight: 9,
    lines: [
      'Running models at the edge with limited hardware and bad connectivity.',
      'Updating models across hundreds of edge sites.',
      'Observability for edge clusters that go offline.',
    ],
  },
  {
    weight: 9,
    lines: [
      'Data pipelines. Getting training data to the cluster is harder than running the training.',
      'Storage performance for large datasets.',
      'Observability: we cannot see what the AI workloads are doing.',
      'Upgrading clusters without breaking the GPU drivers and operators.',
      'Too many tools, every team picks a different MLOps stack.',
    ],
  },
];
const OPEN_OPENERS = ['', '', '', '', 'Honestly, ', 'Mostly ', 'For us: ', 'Definitely ', 'Right now, '];
const OPEN_TAILS = [
  '',
  '',
  '',
  '',
  ' It gets worse every quarter.',
  ' Leadership wants results faster than the platform can deliver.',
  ' We are working on it but it is slow.',
  ' Still no good answer.',
  ' This was not a problem a year ago.',
];

function openAnswer(rng: Rng, who: { aiChange: number; edge: number; size: number; year: number }): string {
  const weights = OPEN_THEMES.map((theme, i) => {
    if (i === 5) return who.edge === 0 ? theme.weight * 3 : theme.weight * 0.3;
    if (i === 1 && who.aiChange === 4) return theme.weight * 1.4;
    if (i === 3 && who.size <= 1) return theme.weight * 1.5;
    if (i === 2 && who.year === 2025) return theme.weight * 1.3;
    return theme.weight;
  });
  const theme = OPEN_THEMES[rng.weightedIndex(weights)] ?? OPEN_THEMES[0];
  let text = rng.pick(theme?.lines ?? ['Cost.']);
  const opener = rng.pick(OPEN_OPENERS);
  if (opener) text = opener + lowerFirst(text);
  if (rng.chance(0.25)) {
    const other = OPEN_THEMES[rng.weightedIndex(weights)];
    const second = rng.pick(other?.lines ?? ['']);
    if (second && !text.includes(second)) text += ` Also ${lowerFirst(second)}`;
  }
  text += rng.pick(OPEN_TAILS);
  // Real free text: some people skip the capital letter or the final full stop.
  if (rng.chance(0.12)) text = lowerFirst(text);
  if (rng.chance(0.15) && text.endsWith('.')) text = text.slice(0, -1);
  return text;
}

// ---------------------------------------------------------------------------------------------
// CSV

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csv(rows: readonly (readonly string[])[], eol = '\r\n'): string {
  return rows.map((row) => row.map(csvField).join(',')).join(eol) + eol;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Fieldwork dates without a clock: day offsets from a fixed start, month lengths by table. */
function fieldDate(year: number, startMonth: number, dayOffset: number): { y: number; m: number; d: number } {
  const days = [31, year % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let m = startMonth;
  let d = 1 + dayOffset;
  while (d > (days[m - 1] ?? 31)) {
    d -= days[m - 1] ?? 31;
    m += 1;
  }
  return { y: year, m, d };
}

interface Stamp {
  y: number;
  m: number;
  d: number;
  seconds: number;
}

function fieldStamp(rng: Rng, year: number, index: number, count: number): { start: Stamp; end: Stamp; duration: number } {
  // Responses arrive over six weeks, most in the first days after each reminder.
  const progress = index / count;
  const day = Math.floor(progress * progress * 42);
  const start = { ...fieldDate(year, 3, day), seconds: rng.int(7 * 3600, 22 * 3600) };
  const duration = rng.int(190, 900) + (rng.chance(0.05) ? rng.int(1000, 6000) : 0);
  const endSeconds = start.seconds + duration;
  const end =
    endSeconds < 86400
      ? { ...start, seconds: endSeconds }
      : { ...fieldDate(year, 3, day + 1), seconds: endSeconds - 86400 };
  return { start, end, duration };
}

function clock(seconds: number): [number, number, number] {
  return [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
}

function surveyMonkeyDate(s: Stamp): string {
  const [h, mi, se] = clock(s.seconds);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${pad(s.m)}/${pad(s.d)}/${s.y} ${pad(h12)}:${pad(mi)}:${pad(se)} ${h < 12 ? 'AM' : 'PM'}`;
}

function qualtricsDate(s: Stamp): string {
  const [h, mi, se] = clock(s.seconds);
  return `${s.y}-${pad(s.m)}-${pad(s.d)} ${pad(h)}:${pad(mi)}:${pad(se)}`;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function responseId(rng: Rng): string {
  let id = 'R_';
  for (let i = 0; i < 15; i++) id += ID_CHARS[rng.int(0, ID_CHARS.length - 1)];
  return id;
}

function label<T extends readonly string[]>(options: T, index: number | null): string {
  return index === null ? '' : (options[index] ?? '');
}

function surveyMonkeyCsv(people: Respondent[], rng: Rng): string {
  const head1 = ['Respondent ID', 'Collector ID', 'Start Date', 'End Date', QUESTIONS.role, QUESTIONS.industry, QUESTIONS.country, QUESTIONS.size, QUESTIONS.aiChange, QUESTIONS.edge];
  const head2 = ['', '', '', '', 'Response', 'Response', 'Response', 'Response', 'Response', 'Response'];
  EDGE_CHALLENGES.forEach((option, i) => {
    head1.push(i === 0 ? QUESTIONS.edgeChallenges : '');
    head2.push(option);
  });
  head1.push(QUESTIONS.cloudBill, QUESTIONS.lever, QUESTIONS.openText, 'weight');
  head2.push('Response', 'Response', 'Open-Ended Response', '');
  const rows: string[][] = [head1, head2];
  let id = 114_402_558_310;
  people.forEach((p, index) => {
    id += rng.int(3_000, 90_000);
    const stamp = fieldStamp(rng, 2024, index, people.length);
    const collector = rng.chance(0.7) ? '431188702' : '431190215'; // the web link and the newsletter link
    const row = [String(id), collector, surveyMonkeyDate(stamp.start), surveyMonkeyDate(stamp.end)];
    row.push(label(ROLES, p.role), label(INDUSTRIES, p.industry), label(COUNTRIES, p.country), label(SIZES, p.size));
    row.push(label(AI_CHANGE, p.aiChange), label(EDGE, p.edge));
    EDGE_CHALLENGES.forEach((option, i) => row.push(p.edgeChallenges?.[i] ? option : ''));
    row.push(label(CLOUD_BILL, p.cloudBill), label(LEVERS, p.lever), p.openText ?? '', p.finished ? p.weight.toFixed(4) : '');
    rows.push(row);
  });
  return csv(rows);
}

export interface QualtricsRow {
  responseId: string;
  respondent: Respondent;
}

function qualtricsCsv(rows: QualtricsRow[], rng: Rng): string {
  const names = ['StartDate', 'EndDate', 'Duration (in seconds)', 'Finished', 'ResponseId', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6'];
  const texts = ['Start Date', 'End Date', 'Duration (in seconds)', 'Finished', 'Response ID', QUESTIONS.role, QUESTIONS.industry, QUESTIONS.country, QUESTIONS.size, QUESTIONS.aiChange, QUESTIONS.edge];
  const ids = [
    '{"ImportId":"startDate","timeZone":"America/Denver"}',
    '{"ImportId":"endDate","timeZone":"America/Denver"}',
    '{"ImportId":"duration"}',
    '{"ImportId":"finished"}',
    '{"ImportId":"_recordId"}',
    '{"ImportId":"QID1"}',
    '{"ImportId":"QID2"}',
    '{"ImportId":"QID3"}',
    '{"ImportId":"QID4"}',
    '{"ImportId":"QID5"}',
    '{"ImportId":"QID6"}',
  ];
  EDGE_CHALLENGES.forEach((option, i) => {
    names.push(`Q7_${i + 1}`);
    texts.push(`${QUESTIONS.edgeChallenges} - ${option}`);
    ids.push(`{"ImportId":"QID7_${i + 1}"}`);
  });
  names.push('Q8', 'Q9', 'Q10', 'weight');
  texts.push(QUESTIONS.cloudBill, QUESTIONS.lever, QUESTIONS.openText, 'weight');
  ids.push('{"ImportId":"QID8"}', '{"ImportId":"QID9"}', '{"ImportId":"QID10_TEXT"}', '{"ImportId":"weight"}');
  const out: string[][] = [names, texts, ids];
  rows.forEach(({ responseId: rid, respondent: p }, index) => {
    const stamp = fieldStamp(rng, 2025, index, rows.length);
    const row = [qualtricsDate(stamp.start), qualtricsDate(stamp.end), String(stamp.duration), p.finished ? 'True' : 'False', rid];
    row.push(label(ROLES, p.role), label(INDUSTRIES, p.industry), label(COUNTRIES, p.country), label(SIZES, p.size));
    row.push(label(AI_CHANGE, p.aiChange), label(EDGE, p.edge));
    EDGE_CHALLENGES.forEach((option, i) => row.push(p.edgeChallenges?.[i] ? option : ''));
    row.push(label(CLOUD_BILL, p.cloudBill), label(LEVERS, p.lever), p.openText ?? '', p.finished ? p.weight.toFixed(4) : '');
    out.push(row);
  });
  // Qualtrics writes a UTF-8 byte order mark; importers must cope with it.
  return '\uFEFF' + csv(out);
}

// ---------------------------------------------------------------------------------------------
// Interviews

export type InterviewFormat = 'vtt' | 'srt' | 'docx' | 'txt';
type Topic = 'gpu' | 'platform' | 'cost' | 'edge' | 'models' | 'security' | 'skills';

export interface Participant {
  id: string;
  role: string;
  industry: string;
  country: string;
  size: string;
  years: number;
  format: InterviewFormat;
  language: 'en' | 'zh';
  file: string;
  date: string;
  topics: Topic[];
  org: string;
  sites: string;
  site: string;
  /** Row in the 2025 wave (0-based) this participant answered, if they did. */
  surveyRow: number | null;
  /** How they introduce their job ("the platform engineering lead"). */
  title: string;
}

const PARTICIPANTS: Participant[] = [
  { id: 'P01', role: 'Platform engineer', industry: 'Financial services', country: 'United Kingdom', size: '5,000-19,999 employees', years: 11, format: 'vtt', language: 'en', file: 'P01-platform-lead-bank.vtt', date: '2025-04-08', topics: ['platform', 'security', 'gpu', 'cost', 'skills'], org: 'a retail bank', sites: 'branches', site: 'branch', surveyRow: null, title: 'the platform engineering lead' },
  { id: 'P02', role: 'ML / MLOps engineer', industry: 'Technology / software', country: 'United States', size: '1,000-4,999 employees', years: 7, format: 'vtt', language: 'en', file: 'P02-mlops-saas.vtt', date: '2025-04-10', topics: ['gpu', 'models', 'platform', 'cost', 'skills'], org: 'a software company', sites: 'offices', site: 'office', surveyRow: 41, title: 'a senior MLOps engineer' },
  { id: 'P03', role: 'Site reliability engineer (SRE)', industry: 'Telecommunications', country: 'Germany', size: '20,000 or more employees', years: 14, format: 'vtt', language: 'en', file: 'P03-sre-telco-edge.vtt', date: '2025-04-15', topics: ['edge', 'models', 'security', 'platform', 'skills'], org: 'a telecoms operator', sites: 'cell sites', site: 'cell site', surveyRow: null, title: 'a site reliability engineer on the network cloud team' },
  { id: 'P04', role: 'Engineering manager', industry: 'Retail and e-commerce', country: 'Netherlands', size: '1,000-4,999 employees', years: 16, format: 'srt', language: 'en', file: 'P04-infra-head-retail.srt', date: '2025-04-17', topics: ['edge', 'cost', 'models', 'skills', 'gpu'], org: 'a grocery chain', sites: 'stores', site: 'store', surveyRow: null, title: 'the head of infrastructure' },
  { id: 'P05', role: 'Architect', industry: 'Media and entertainment', country: 'United States', size: '5,000-19,999 employees', years: 12, format: 'srt', language: 'en', file: 'P05-finops-media.srt', date: '2025-04-22', topics: ['cost', 'gpu', 'platform', 'models', 'security'], org: 'a streaming company', sites: 'studios', site: 'studio', surveyRow: 137, title: 'a cloud architect, and I also run our FinOps practice' },
  { id: 'P06', role: 'Data scientist', industry: 'Healthcare and life sciences', country: 'Canada', size: '1,000-4,999 employees', years: 6, format: 'docx', language: 'en', file: 'P06-data-scientist-health.docx', date: '2025-04-24', topics: ['models', 'security', 'skills', 'gpu', 'cost'], org: 'a hospital network', sites: 'hospitals', site: 'hospital', surveyRow: null, title: 'a data scientist who ended up owning our model platform' },
  { id: 'P07', role: 'IT executive (CIO, CTO, VP)', industry: 'Technology / software', country: 'India', size: '100-999 employees', years: 15, format: 'docx', language: 'en', file: 'P07-cto-startup.docx', date: '2025-05-06', topics: ['cost', 'gpu', 'skills', 'models', 'platform'], org: 'a fast-growing startup', sites: 'regions', site: 'region', surveyRow: null, title: 'the CTO' },
  { id: 'P08', role: 'Security engineer', industry: 'Public sector', country: 'France', size: '20,000 or more employees', years: 10, format: 'txt', language: 'en', file: 'P08-security-public-sector.txt', date: '2025-05-13', topics: ['security', 'platform', 'models', 'skills', 'edge'], org: 'a government agency', sites: 'regional offices', site: 'regional office', surveyRow: 260, title: 'a security architect' },
  { id: 'P09', role: 'DevOps engineer', industry: 'Manufacturing', country: 'Japan', size: '5,000-19,999 employees', years: 9, format: 'txt', language: 'en', file: 'P09-devops-manufacturing.txt', date: '2025-05-20', topics: ['edge', 'models', 'security', 'cost', 'platform'], org: 'an industrial manufacturer', sites: 'factories', site: 'factory', surveyRow: null, title: 'a DevOps engineer in the factory systems group' },
  { id: 'P10', role: 'Engineering manager', industry: 'Technology / software', country: 'China', size: '5,000-19,999 employees', years: 13, format: 'txt', language: 'zh', file: 'P10-platform-manager-zh.txt', date: '2025-05-27', topics: ['models', 'gpu', 'cost'], org: '一家互联网公司', sites: '', site: '', surveyRow: null, title: '平台工程负责人' },
];

interface TopicBank {
  questions: string[];
  answers: string[];
  followQuestions: string[];
  followAnswers: string[];
  focus: string;
  wish: string;
}

const BANK: Record<Topic, TopicBank> = {
  gpu: {
    questions: ['How do you schedule GPU workloads today?', "Let's talk about GPUs. How are they shared between teams?"],
    answers: [
      "Right now we have about {gpus} GPUs across {clusters} clusters, and honestly the scheduling is the hardest part. The default Kubernetes scheduler treats a GPU as a whole unit, so a notebook that uses five percent of a card still blocks the whole card. We started with time-slicing for the interactive workloads and MIG partitions for inference, and that roughly doubled our utilisation. Training jobs are a different story, because they need gang scheduling, so we put a job queue in front of them with a quota per team. The politics are harder than the technology, to be honest. Everyone thinks their job is the urgent one.",
      "We learned the hard way that GPU utilisation was terrible. When we measured it, the average across the fleet was around {pct} percent, which is embarrassing given what those cards cost. Most of the waste came from idle notebooks and from inference services that reserved a full GPU for a model that fits in a quarter of the memory. We now have a policy that interactive sessions get reclaimed after two hours of idle time. It was unpopular for about a week and then people stopped noticing.",
      "We don't own many GPUs, we rent them, so for us scheduling is mostly about getting capacity at all. There were weeks last year when we simply could not get the instance types we needed in our main region. So the scheduler has to be able to place a job in whichever region has capacity, and the data has to follow it. That is where Kubernetes helps, because the job spec is the same everywhere. The networking and the storage are not.",
      "The thing people underestimate is fairness. With {gpus} GPUs and a dozen teams you need quotas, preemption and some notion of priority, otherwise the first team to submit a big training run wins the week. We built a small admission controller that checks the team's GPU quota before a job is admitted. It is not elegant, but it made the conversations with the research leads much calmer.",
    ],
    followQuestions: ['Did you look at dedicated GPU schedulers?', 'What would you change about that setup?'],
    followAnswers: [
      'We evaluated a couple of them. The features were good, but every extra scheduler is another thing to upgrade and debug at three in the morning. We decided to stay close to upstream and accept some inefficiency.',
      'I would invest earlier in measurement. We argued for months about whether the GPUs were busy, and nobody had the data. Once we exported GPU utilisation per namespace to the same dashboards as everything else, the arguments mostly stopped.',
    ],
    focus: 'making sure the GPU capacity we pay for is actually used',
    wish: 'Proper GPU sharing out of the box, so that nobody has to reserve a whole card for a small model.',
  },
  platform: {
    questions: ['How is the platform team organised?', 'Who owns the Kubernetes platform in your organisation?'],
    answers: [
      'We have a platform team of about {team} engineers, and our job is to make the right thing the easy thing. Application teams get a golden path: a template repository, a pipeline and a namespace with sensible defaults. They can self-service most of what they need without opening a ticket. The AI teams were the first ones to break the golden path, because they needed GPUs, big volumes and long-running jobs, and none of that was in the template.',
      "Platform engineering for us started as a rebranding of the ops team, if I'm honest. What changed was treating the internal developer platform as a product, with a roadmap and actual users we talk to. We run a survey every quarter, and the number one request last time was a paved road for model serving. So that is what we are building now.",
      'It is a central platform team with embedded people in the bigger business units. The central team owns the clusters, the ingress, the policies and the upgrade cadence. The embedded engineers translate between that and what the data scientists actually do all day. Without them the two sides would talk past each other constantly.',
      'The platform team is really {team} people and a lot of automation. Everything is in Git and we use GitOps to roll out changes to the {clusters} clusters. The rule is that nobody touches a cluster by hand. It slows us down a little on good days and saves us on bad days.',
    ],
    followQuestions: ['What does self-service look like for a data scientist?', 'How do you know whether the platform is working for people?'],
    followAnswers: [
      'Ideally they fill in a short form, and five minutes later they have a namespace with a GPU quota, a notebook and access to the right buckets. We are not fully there yet. Access to data is still the slow part, because it goes through a separate approval.',
      'We track lead time from idea to first deployment, and we track tickets. When the number of tickets asking for the same thing goes up, that is the signal that the golden path is missing something.',
    ],
    focus: 'building the internal platform that the other teams deploy on',
    wish: 'A golden path for AI workloads that is as boring as the one we have for web services.',
  },
  cost: {
    questions: ['How has your cloud bill changed since the AI work started?', 'How do you think about cost for these workloads?'],
    answers: [
      'The cloud bill went up by roughly {pct} percent in a year, and almost all of the growth was GPU instances and storage for training data. Finance noticed before engineering did, which is never a good sign. We now have a weekly cost review where each team sees its own spend. The first meeting was awkward, but it changed behaviour faster than any policy.',
      'For the classic workloads, rightsizing was the big win. Most requests and limits were set years ago by someone guessing, and when we compared them with actual usage we were paying for a lot of idle capacity. For AI workloads it is harder, because the expensive part is the GPU and you cannot rightsize half a card without sharing. So the second wave of savings came from spot capacity for training and from autoscaling the inference services down at night.',
      'Cost is owned by a FinOps function that sits between finance and engineering. Their best decision was chargeback per namespace, so the budget conversation happens with the team that creates the spend. Before that, the platform team was the one explaining an invoice we did not control.',
      'Honestly, the budget is the main reason we are looking at running some inference on our own hardware. The cloud is great for experiments and bursts. For a steady inference load that runs all day, the numbers started to favour owning the machines after about eighteen months.',
    ],
    followQuestions: ['Which lever made the biggest difference?', 'Was there any pushback on the cost controls?'],
    followAnswers: [
      'Autoscaling, by far. Scaling inference to zero outside business hours and consolidating a few half-empty clusters saved more than all the clever optimisations together.',
      'Some. Researchers worry that cost controls will slow them down, and they are not wrong. We agreed on an exception process with a one-day turnaround, and in practice it is used maybe twice a month.',
    ],
    focus: 'keeping the cloud bill under control while the AI work grows',
    wish: 'Cost visibility per model, not just per cluster, so we can see what each prediction costs.',
  },
  edge: {
    questions: ['You mentioned sites outside the data centre. What runs there?', 'Do you run clusters at the edge?'],
    answers: [
      'We have small clusters in about {sites} {sitesWord}, two or three nodes each. They run the local integrations and, more and more, computer vision models. Connectivity is the constant problem. Some sites have a decent line, some go offline every afternoon, so everything has to keep working without the central control plane.',
      "At the edge the hardware is the constraint. You don't get a rack of GPUs in a {siteWord}, you get a small box with one accelerator and a fan that fills with dust. So the models we deploy there are smaller, quantised versions of what we run centrally. Updating them is a staged rollout across the fleet, ten sites first, then the rest.",
      'Managing one cluster is easy. Managing {sites} of them is a different job. We use a GitOps agent on every edge cluster, pulling its configuration, because pushing to sites behind all kinds of firewalls never worked. The hardest part was observability: when something breaks at a remote site, you often only find out when the local staff call.',
      'We are still in the pilot stage. We have edge clusters in production in a handful of {sitesWord}, and the business case is latency and data that is not allowed to leave the site. The security people had a lot of questions, because a box in a {siteWord} is physically accessible to anyone with a screwdriver.',
    ],
    followQuestions: ['How do you update models at those sites?', 'What would make the edge easier?'],
    followAnswers: [
      'Every model is packaged as an artifact with a version, and the edge clusters pull the version the fleet configuration tells them to. If a site is offline it catches up when it comes back. Rolling back is the same mechanism with an older version number.',
      'Better tooling for fleets. Most Kubernetes tools assume a handful of big clusters with good networks, and our world is hundreds of tiny clusters with bad networks.',
    ],
    focus: 'the edge clusters in our {sitesWord}',
    wish: 'Fleet management for edge clusters that copes with sites going offline for days.',
  },
  models: {
    questions: ["How do you manage models once they're trained?", 'Tell me about model management and serving.'],
    answers: [
      'Model management is where we were weakest. For a long time a model was a file in a bucket with a name like final_v3_really_final. We introduced a model registry last year, and now every model version has an owner, the training data it came from and an evaluation report. Deployment to the serving cluster only accepts models from the registry.',
      'We serve about {models} models in production, from small classifiers to a couple of large language models. The serving layer runs on Kubernetes, with one deployment per model version, so we can do a canary rollout and compare results before switching traffic. The hard part is not the serving. It is knowing which model version is running where and why.',
      'The data scientists want to move fast, the platform wants reproducibility, and the model registry is where those two meet. We ask for three things before a model goes to production: a version, a link to the pipeline run that produced it and a named owner. That sounds bureaucratic, but when something goes wrong at night, those three things are what you need.',
      "Large models changed the picture. A model that is forty gigabytes doesn't start in a few seconds, so autoscaling inference is slow unless you cache the weights on the nodes. We spent more time on image and weight caching than on anything related to the model itself.",
    ],
    followQuestions: ['Who decides when a model is retired?', 'How do you handle rollbacks?'],
    followAnswers: [
      'In theory the owner. In practice nobody, which is why we now have a review every quarter where unused model versions are archived. We found models that had been serving traffic for a year without anyone looking at their accuracy.',
      'Rollback is just pointing the serving deployment at the previous model version in the registry. We practice it, because the first time we needed it for real it took forty minutes instead of five.',
    ],
    focus: 'getting models from experiments into production',
    wish: 'One model registry that every team actually uses, with the serving side wired to it.',
  },
  security: {
    questions: ['What about security and compliance?', 'How does security affect the AI platform?'],
    answers: [
      'We are in a regulated industry, so every change needs an audit trail. Kubernetes helps because everything is declarative and in Git, which our auditors actually like. The difficult part is the software supply chain for AI: base images with huge Python dependency trees, and model weights downloaded from the internet. We now mirror everything internally and scan it before it reaches a cluster.',
      'Secrets were our biggest mess. Every notebook had API keys pasted into it. We moved to short-lived credentials injected at runtime, and we run policy checks at admission so a pod cannot mount a secret it is not allowed to see. Compliance was happy, the data scientists less so for the first month.',
      "The security team's concern with AI workloads is data, not compute. Training data often contains customer information, and a model can leak what it was trained on. So we tag datasets by sensitivity, and the scheduler only places jobs that use sensitive data on clusters in the approved region.",
      'Multi-tenancy is the question we keep coming back to. Sharing GPUs between teams is efficient, but a shared GPU is also a shared attack surface. For the most sensitive workloads we still give teams dedicated nodes, and we accept that the utilisation is worse.',
    ],
    followQuestions: ['How do you handle third-party models?', 'Has an audit ever changed how you work?'],
    followAnswers: [
      'They go through the same intake as any other dependency: a licence check, a security scan and a record of where they came from. It took a while to convince people that a model file is code, in the sense that it can do things you did not expect.',
      'Yes. The regulator asked us to show which model version made a specific decision six months earlier, and we could not do it quickly. That single audit question funded our model registry project.',
    ],
    focus: 'security and compliance for the AI platform',
    wish: 'A supply chain for models that is as well understood as the one for container images.',
  },
  skills: {
    questions: ['Do you have the skills you need in the team?', 'How are people coping with all of this?'],
    answers: [
      'Skills are the real bottleneck. Finding people who understand both Kubernetes and machine learning is very hard, and they are expensive. We mostly train internally now: platform engineers pair with data scientists for a few weeks, and both sides learn a lot.',
      'There is a lot of cognitive load. The data scientists did not sign up to learn pod affinity and persistent volume claims. Every time we hide a piece of that behind the platform, we see more models reach production. Training helps, but abstraction helps more.',
      'Honestly, the team is tired. The AI work came on top of everything else, not instead of it, and the on-call rotation got heavier. We have started saying no to some requests, which is new for us, and we are hiring two more engineers this year.',
      'We created a small enablement team whose only job is documentation, office hours and training. It sounds like overhead, but the number of support tickets dropped by about a third.',
    ],
    followQuestions: ['What kind of training worked best?', 'How do you hire for that?'],
    followAnswers: [
      "Hands-on workshops with people's own workloads. Generic Kubernetes courses didn't stick. When someone deploys their own model during the session, they remember it.",
      'We stopped looking for unicorns. We hire good engineers from either side and give them six months to learn the other half, and we pay for the training.',
    ],
    focus: 'growing the team that runs all of this',
    wish: 'Two more experienced platform engineers and time to train the ones we have.',
  },
};

const SIZE_WORDS: Record<string, string> = {
  '1-99 employees': 'fewer than a hundred',
  '100-999 employees': 'a few hundred',
  '1,000-4,999 employees': 'a few thousand',
  '5,000-19,999 employees': 'about ten thousand',
  '20,000 or more employees': 'well over twenty thousand',
};
const MORE_QUESTIONS = ['Can you say more about that?', 'Is there anything else on that topic?', 'What else has changed there?', 'How does that play out day to day?'];
const MORE_OPENERS = ['And another thing: ', 'The other side of it is that ', 'Also, ', 'On top of that, '];

function lowerFirst(text: string): string {
  // Keep acronyms and proper names ("GPU", "Kubernetes") as they are.
  return /^[A-Z][a-z]/.test(text) && !/^(Kubernetes|Git|I )/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

const INTRO_QUESTION = 'Thanks for joining. Could you start by telling me about your role and the environment you work in?';
const ENVIRONMENTS = [
  'We run {clusters} Kubernetes clusters, mostly in the public cloud, with a couple on premises for the workloads that cannot move.',
  'We have {clusters} production clusters across two cloud providers, plus a development cluster per team.',
  'There are {clusters} clusters in production, all managed Kubernetes, and one GPU cluster that we run ourselves.',
];
const AI_QUESTION = 'How much of that is AI work now, and how do you expect it to change?';
const AI_ANSWERS = [
  'Compared with a year ago, a lot more. Maybe a third of new workloads involve a model somewhere, and I expect our AI workloads to increase significantly again this year.',
  "It's growing steadily. I'd say the AI workloads will increase slightly rather than explode, because the budget is fixed and the easy projects are done.",
  'Most of the growth on the clusters is AI. Two years ago it was a handful of experiments; now there are production services that depend on models, and the plan for next year assumes that doubles.',
];
const CLOSING_QUESTION = 'If you could fix one thing in the next year, what would it be?';
const LAST_QUESTION = "Is there anything we didn't cover that you'd like to add?";
const LAST_ANSWERS = [
  'Only that the tooling is moving very fast. Half of what I told you would have been different a year ago.',
  "Maybe that none of this is really about Kubernetes. It's about getting teams to agree on how they work.",
  'I think we covered it. It was good to talk it through, it helps me see where we are.',
];
const THANKS = "That's really helpful. Thank you for your time.";

const INTERVIEWER = 'Interviewer';

interface Turn {
  speaker: string;
  text: string;
}

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = slots[key];
    if (value === undefined) throw new Error(`No value for ${whole} in "${template}"`);
    return value;
  });
}

/** A quote a coder would mark, and the code it gets. */
export interface StarterCoding {
  file: string;
  quote: string;
  code: string;
}

const TOPIC_CODE: Record<Topic, string> = {
  gpu: 'GPU scheduling',
  platform: 'Platform engineering',
  cost: 'Cloud bill',
  edge: 'Edge operations',
  models: 'Model management',
  security: 'Security and compliance',
  skills: 'Skills and people',
};

function englishInterview(p: Participant, rng: Rng): { turns: Turn[]; codings: StarterCoding[] } {
  const slots: Record<string, string> = {
    clusters: String(rng.int(4, 60)),
    gpus: String(rng.pick([32, 48, 64, 96, 128, 200, 256, 400])),
    pct: String(rng.int(18, 46)),
    team: String(rng.int(4, 14)),
    models: String(rng.int(12, 140)),
    sites: String(rng.int(40, 900)),
    sitesWord: p.sites,
    siteWord: p.site,
  };
  const turns: Turn[] = [];
  const codings: StarterCoding[] = [];
  const say = (speaker: string, text: string) => turns.push({ speaker, text: fill(text, slots) });

  say(INTERVIEWER, INTRO_QUESTION);
  const years = `I've been doing infrastructure work for about ${p.years} years.`;
  const main = p.topics[0] ?? 'platform';
  say(p.id, `Sure. I'm ${p.title} at ${p.org} with ${SIZE_WORDS[p.size] ?? 'many'} employees. ${rng.pick(ENVIRONMENTS)} ${years} Most of what I do these days is ${BANK[main].focus}.`);
  say(INTERVIEWER, AI_QUESTION);
  say(p.id, rng.pick(AI_ANSWERS));

  p.topics.forEach((topic, i) => {
    const bank = BANK[topic];
    say(INTERVIEWER, rng.pick(bank.questions));
    const answer = fill(rng.pick(bank.answers), slots);
    turns.push({ speaker: p.id, text: answer });
    // The first three topics carry a starter coding: the sentence that names the topic most clearly.
    if (i < 3) {
      const sentence = keySentence(answer, TOPIC_CODE[topic]);
      if (sentence) codings.push({ file: p.file, quote: sentence, code: TOPIC_CODE[topic] });
    }
    // The main topics get a second, different answer: people come back to what matters to them.
    if (i < 3) {
      say(INTERVIEWER, rng.pick(MORE_QUESTIONS));
      const others = bank.answers.filter((a) => fill(a, slots) !== answer);
      say(p.id, `${rng.pick(MORE_OPENERS)}${lowerFirst(rng.pick(others))}`);
    }
    if (i < 4 || rng.chance(0.5)) {
      const f = rng.int(0, bank.followQuestions.length - 1);
      say(INTERVIEWER, bank.followQuestions[f] ?? '');
      say(p.id, bank.followAnswers[f] ?? '');
      if (topic === 'cost' && f === 0) codings.push({ file: p.file, quote: sentenceOf(bank.followAnswers[0] ?? '', 1), code: 'Efficiency' });
    }
  });

  say(INTERVIEWER, CLOSING_QUESTION);
  say(p.id, `${BANK[main].wish} ${BANK[p.topics[1] ?? main].wish.replace(/^./, (c) => `And ${c.toLowerCase()}`)}`);
  say(INTERVIEWER, LAST_QUESTION);
  say(p.id, rng.pick(LAST_ANSWERS));
  say(INTERVIEWER, THANKS);
  return { turns, codings };
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z"'])/);
}

function sentenceOf(text: string, index: number): string {
  return sentences(text)[index] ?? text;
}

const CODE_WORDS: Record<string, RegExp> = {
  'GPU scheduling': /GPU|schedul/,
  'Platform engineering': /platform|golden path|GitOps|self-service|paved road/i,
  'Cloud bill': /cloud bill|cost|budget|spend|invoice/i,
  'Edge operations': /edge|site|connectivity|offline|fleet/i,
  'Model management': /model registry|model version|model management|serving/i,
  'Security and compliance': /security|audit|compliance|secret|supply chain|attack/i,
  'Skills and people': /skills|training|hiring|cognitive load|tired|enablement/i,
};

function keySentence(answer: string, code: string): string | null {
  const pattern = CODE_WORDS[code];
  return sentences(answer).find((s) => pattern?.test(s) && s.length > 40) ?? null;
}

/** The Chinese interview (P10), written as a practitioner would speak, with 模型管理 mid-sentence. */
const CHINESE_TURNS: Turn[] = [
  { speaker: INTERVIEWER, text: '谢谢您抽时间参加访谈。能先介绍一下您的角色和团队的情况吗？' },
  { speaker: 'P10', text: '好的。我在一家互联网公司负责平台工程团队，团队大概十二个人。我们在两个云厂商上一共有三十多个 Kubernetes 集群，另外还有一个自建的 GPU 集群，主要给算法团队做训练和推理。我做基础设施大概十三年了，最早做虚拟化，后来转到容器平台。' },
  { speaker: INTERVIEWER, text: '现在 AI 相关的工作负载大概占多少？明年会怎么变化？' },
  { speaker: 'P10', text: '增长非常快。一年前集群上的 AI 任务还只是一些实验，现在已经有很多线上服务依赖模型了。我预计明年 AI 工作负载还会大幅增加，公司的规划也是按照翻倍来准备资源的。' },
  { speaker: INTERVIEWER, text: '那你们现在最头疼的问题是什么？' },
  { speaker: 'P10', text: '说实话，最头疼的是模型多了以后的版本混乱。去年我们花了很多精力在模型管理上，因为很多模型就是对象存储里的一个文件，名字起得很随意，谁也说不清线上跑的是哪个版本。现在我们建了统一的模型仓库，每个模型版本都要有负责人、训练数据的来源和评估报告，发布到推理集群之前必须先登记。' },
  { speaker: INTERVIEWER, text: 'GPU 是怎么调度和共享的？' },
  { speaker: 'P10', text: '默认的调度器把一张 GPU 卡当成一个整体，一个只用百分之五算力的开发环境也会占住整张卡。我们测过一次，整个集群的 GPU 利用率只有百分之三十左右。后来我们对推理服务做了显存切分，对交互式开发环境做了时间片共享，闲置超过两个小时的环境会被自动回收。训练任务需要成组调度，所以我们加了一个按团队分配配额的排队系统。技术上不算太难，难的是各个团队之间的协调，大家都觉得自己的任务最紧急。' },
  { speaker: INTERVIEWER, text: '成本方面呢？云账单有什么变化？' },
  { speaker: 'P10', text: '云账单一年涨了差不多百分之四十，大部分是 GPU 实例和训练数据的存储。财务比工程团队先发现这个问题，这不是什么好信号。现在我们每周开一次成本复盘会，每个团队都能看到自己的花费。对于全天稳定运行的推理服务，我们也在评估用自己的机器，因为算下来一年半左右就能回本。' },
  { speaker: INTERVIEWER, text: '安全和合规方面有什么要求吗？' },
  { speaker: 'P10', text: '有的。训练数据里经常包含用户信息，所以数据要按敏感级别打标签，用到敏感数据的任务只能调度到指定区域的集群。另外从外部下载的模型权重和镜像都要先做安全扫描，再同步到内部仓库，这个流程一开始算法同学不太习惯，现在已经成为默认做法了。' },
  { speaker: INTERVIEWER, text: '你们有边缘集群吗？' },
  { speaker: 'P10', text: '目前还在试点阶段。我们在几个城市的机房放了小规模的边缘集群，主要跑一些对延迟要求高的推理服务。最大的问题是网络不稳定，有的站点每天都会断线几次，所以模型更新必须能在断线恢复以后自动补上。边缘节点的硬件也很有限，只能部署量化以后的小模型。' },
  { speaker: INTERVIEWER, text: '团队的技能跟得上吗？' },
  { speaker: 'P10', text: '这是真正的瓶颈。既懂 Kubernetes 又懂机器学习的人很难招，而且很贵。现在我们主要靠内部培训，让平台工程师和算法工程师结对工作几周，双方都学到很多。另外我们尽量把复杂的细节藏在平台后面，算法同学不需要了解节点亲和性和存储卷这些概念，也能把模型发布上线。' },
  { speaker: INTERVIEWER, text: '如果明年只能解决一件事，您会选什么？' },
  { speaker: 'P10', text: '我会选 GPU 共享。如果调度器原生就能把一张卡合理地分给多个小模型，我们的利用率和成本问题都会好很多。其次是让模型管理和推理平台真正打通，做到一键回滚。' },
  { speaker: INTERVIEWER, text: '非常有帮助，谢谢您！' },
];

const CHINESE_CODINGS: StarterCoding[] = [
  { file: 'P10-platform-manager-zh.txt', quote: '去年我们花了很多精力在模型管理上，因为很多模型就是对象存储里的一个文件，名字起得很随意，谁也说不清线上跑的是哪个版本。', code: 'Model management' },
  { file: 'P10-platform-manager-zh.txt', quote: '我们测过一次，整个集群的 GPU 利用率只有百分之三十左右。', code: 'GPU scheduling' },
];

// Interview file formats --------------------------------------------------------------------

function timestamp(ms: number, separator: '.' | ','): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

interface Cue {
  speaker: string;
  text: string;
  start: number;
  end: number;
}

/** Splits turns into subtitle cues of one or two sentences, timed at a natural speaking rate. */
function cues(turns: Turn[], rng: Rng): Cue[] {
  const out: Cue[] = [];
  let t = rng.int(800, 3000);
  for (const turn of turns) {
    const parts = sentences(turn.text);
    for (let i = 0; i < parts.length; ) {
      const take = rng.chance(0.4) && i + 1 < parts.length ? 2 : 1;
      const text = parts.slice(i, i + take).join(' ');
      i += take;
      const words = text.split(/\s+/).length;
      const duration = Math.round((words / 2.6) * 1000) + rng.int(0, 400);
      out.push({ speaker: turn.speaker, text, start: t, end: t + duration });
      t += duration + rng.int(40, 250);
    }
    t += rng.int(300, 1400);
  }
  return out;
}

function vtt(turns: Turn[], rng: Rng): string {
  const lines = ['WEBVTT', ''];
  cues(turns, rng).forEach((cue, i) => {
    lines.push(String(i + 1), `${timestamp(cue.start, '.')} --> ${timestamp(cue.end, '.')}`, `<v ${cue.speaker}>${cue.text}</v>`, '');
  });
  return lines.join('\n');
}

function srt(turns: Turn[], rng: Rng): string {
  const lines: string[] = [];
  cues(turns, rng).forEach((cue, i) => {
    lines.push(String(i + 1), `${timestamp(cue.start, ',')} --> ${timestamp(cue.end, ',')}`, `${cue.speaker}: ${cue.text}`, '');
  });
  return lines.join('\r\n');
}

function plainText(p: Participant, turns: Turn[]): string {
  const heading = p.language === 'zh' ? `访谈记录 ${p.id}（${p.date}，视频会议）` : `Interview ${p.id} (${p.date}, video call)`;
  const body = turns.map((turn) => `${turn.speaker === INTERVIEWER ? 'INTERVIEWER' : turn.speaker}: ${turn.text}`);
  return [heading, '', ...body.flatMap((line) => [line, ''])].join('\n');
}

/** A fixed instant for every timestamp inside the .docx package. */
const DOCX_TIME = '2025-06-01T09:00:00Z';

async function docxFile(p: Participant, turns: Turn[]): Promise<Uint8Array> {
  const doc = new Document({
    creator: 'Fieldbook sample generator',
    title: `Interview ${p.id}`,
    description: 'Sample study interview transcript (synthetic)',
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`Interview ${p.id} (${p.date})`)] }),
          ...turns.map(
            (turn) =>
              new Paragraph({
                spacing: { after: 160 },
                children: [new TextRun({ text: `${turn.speaker}:`, bold: true }), new TextRun(` ${turn.text}`)],
              }),
          ),
        ],
      },
    ],
  });
  const packed = await Packer.toBuffer(doc);
  // docx stamps "now" into docProps/core.xml and into every zip entry: pin both.
  const entries = unzipSync(new Uint8Array(packed));
  const core = entries['docProps/core.xml'];
  if (core) {
    entries['docProps/core.xml'] = strToU8(
      strFromU8(core).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${DOCX_TIME}$2`),
    );
  }
  // Built from local date parts on purpose: zip stores local time, so this stays the same in every time zone.
  const mtime = new Date(2025, 5, 1, 9, 0, 0);
  const sorted: Record<string, [Uint8Array, { mtime: Date; level: 6 }]> = {};
  for (const name of Object.keys(entries).sort()) {
    const data = entries[name];
    if (data) sorted[name] = [data, { mtime, level: 6 }];
  }
  return zipSync(sorted);
}

// ---------------------------------------------------------------------------------------------
// Codebook

interface StarterCode {
  name: string;
  parent: string;
  color: string;
  /** A one-key shortcut for coding while reading (sub-codes only). */
  shortcut: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  keywords: string[];
}

const CODE_DETAILS: Record<string, { shortcut: string; inclusion: string; exclusion: string }> = {
  'GPU scheduling': { shortcut: '1', inclusion: 'Who gets which GPU when; sharing a card; idle or busy GPUs.', exclusion: 'The price of GPUs without a word on how they are shared (code Cloud bill).' },
  'Edge operations': { shortcut: '2', inclusion: 'Clusters at stores, factories, cell sites; updating or observing them remotely.', exclusion: 'Regions of a public cloud.' },
  'Platform engineering': { shortcut: '3', inclusion: 'How the platform team works and what it offers other teams.', exclusion: '' },
  'Cloud bill': { shortcut: '4', inclusion: 'Amounts, growth, budgets, who pays.', exclusion: 'How the bill was reduced (code Efficiency).' },
  Efficiency: { shortcut: '5', inclusion: 'A concrete measure that cut waste, and what it saved.', exclusion: '' },
  'Model management': { shortcut: '6', inclusion: 'Registries, versions, owners, canary and rollback, serving.', exclusion: 'Training jobs waiting for GPUs (code GPU scheduling).' },
  'Security and compliance': { shortcut: '7', inclusion: 'Audits, regulators, secrets, scanning, isolation between teams, sensitive data.', exclusion: '' },
  'Skills and people': { shortcut: '8', inclusion: 'Hiring, training, workload and morale of the people running the platform.', exclusion: '' },
};

export const CODEBOOK: StarterCode[] = (
  [
  { name: 'Infrastructure', parent: '', color: '#1971c2', definition: 'How clusters, hardware and the platform are run.', keywords: [] },
  { name: 'GPU scheduling', parent: 'Infrastructure', color: '#4dabf7', definition: 'Allocating, sharing and queueing GPUs: quotas, time-slicing, MIG, utilisation, fairness between teams.', keywords: ['GPU', 'scheduler', 'scheduling', 'queue', 'MIG', 'time-slicing', 'utilisation'] },
  { name: 'Edge operations', parent: 'Infrastructure', color: '#74c0fc', definition: 'Running clusters and models outside the data centre: sites, fleets, connectivity, constrained hardware.', keywords: ['edge', 'site', 'fleet', 'connectivity', 'offline', 'store', 'factory'] },
  { name: 'Platform engineering', parent: 'Infrastructure', color: '#1864ab', definition: 'The internal platform and the team behind it: golden paths, self-service, GitOps, platform as a product.', keywords: ['platform team', 'golden path', 'self-service', 'GitOps', 'paved road', 'internal developer platform'] },
  { name: 'Cost', parent: '', color: '#e8590c', definition: 'What the AI work costs and how that is controlled.', keywords: [] },
  { name: 'Cloud bill', parent: 'Cost', color: '#ff922b', definition: 'Growth of cloud spend, budgets, chargeback and who answers for the invoice.', keywords: ['cloud bill', 'budget', 'spend', 'invoice', 'chargeback', 'FinOps'] },
  { name: 'Efficiency', parent: 'Cost', color: '#ffa94d', definition: 'Concrete levers that reduce waste: rightsizing, autoscaling, spot capacity, consolidation, reclaiming idle resources.', keywords: ['rightsizing', 'autoscaling', 'spot', 'idle', 'consolidating', 'scale to zero'] },
  { name: 'AI lifecycle', parent: '', color: '#2f9e44', definition: 'Getting models from experiment to production and keeping them healthy.', keywords: [] },
  { name: 'Model management', parent: 'AI lifecycle', color: '#51cf66', definition: 'Model versions, registries, ownership, rollout and rollback, serving.', keywords: ['model registry', 'model version', 'model management', 'serving', 'rollback', 'inference', '模型管理'] },
  { name: 'Risk and people', parent: '', color: '#ae3ec9', definition: 'What can go wrong, and the people who have to carry the work.', keywords: [] },
  { name: 'Security and compliance', parent: 'Risk and people', color: '#cc5de8', definition: 'Audit, regulation, secrets, supply chain of images and model weights, multi-tenancy, sensitive data.', keywords: ['security', 'compliance', 'audit', 'secrets', 'supply chain', 'regulator', 'multi-tenancy'] },
  { name: 'Skills and people', parent: 'Risk and people', color: '#e599f7', definition: 'Skills gaps, hiring, training, cognitive load and the well-being of the team.', keywords: ['skills', 'hiring', 'training', 'cognitive load', 'enablement', 'on-call'] },
  ] as Omit<StarterCode, 'shortcut' | 'inclusion' | 'exclusion'>[]
).map((code) => ({ shortcut: '', inclusion: '', exclusion: '', ...CODE_DETAILS[code.name], ...code }));

// ---------------------------------------------------------------------------------------------
// The whole study

export const SAMPLE_FILES = {
  survey2024: 'survey/kubernetes-ai-survey-2024-surveymonkey.csv',
  survey2025: 'survey/kubernetes-ai-survey-2025-qualtrics.csv',
  participants: 'participants.csv',
  codebook: 'codebook.csv',
  codings: 'starter-codings.csv',
  manifest: 'manifest.json',
  readme: 'README.md',
} as const;

export interface SampleManifest {
  title: string;
  description: string;
  generator: string;
  surveys: { file: string; name: string; wave: string; format: 'surveymonkey' | 'qualtrics'; respondents: number }[];
  /** The questionnaire as designed: what each question is, whatever an importer guesses from the answers. */
  questions: { text: string; type: 'single' | 'ordinal' | 'multi' | 'text' | 'weight' }[];
  /** `name` is the document name shown in Fieldbook (file names are for computers). */
  interviews: { file: string; name: string; participant: string; format: InterviewFormat; language: 'en' | 'zh' }[];
  participants: string;
  codebook: string;
  codings: string;
}

function readme(manifest: SampleManifest, codings: number): string {
  const interviews = manifest.interviews.map((i) => `| \`${i.file}\` | ${i.participant} | ${i.format}${i.language === 'zh' ? ', Chinese' : ''} |`);
  return `# The sample study

${manifest.description}

Fieldbook builds its sample project from these files through its own importers ("Open the sample
study" on the start screen, or \`fieldbook sample [file]\`). They are written by
\`${manifest.generator}\`, which is deterministic: running it again gives the same bytes, and a test
(\`scripts/generate-sample.test.ts\`) fails when the committed files and the generator disagree.
Edit the generator, never these files.

## What is in it

| file | what |
|---|---|
${manifest.surveys.map((s) => `| \`${s.file}\` | wave ${s.wave}: ${s.respondents} respondents, a ${s.format === 'qualtrics' ? 'Qualtrics export (three header rows: names, question text, ImportId; metadata columns; UTF-8 with BOM)' : 'SurveyMonkey export (two header rows: question text, then "Response" or the option label)'} |`).join('\n')}
| \`${manifest.participants}\` | the ten interviewees' attributes; three answered the 2025 survey (their ResponseId) |
| \`${manifest.codebook}\` | a starter codebook in Fieldbook's codebook CSV: ${CODEBOOK.filter((c) => !c.parent).length} themes, ${CODEBOOK.filter((c) => c.parent).length} codes with keys 1-8 |
| \`${manifest.codings}\` | ${codings} starter codings: a quote from an interview and its code |
| \`${SAMPLE_FILES.manifest}\` | how the files fit together, read by the builder |

Both waves ask the same questions in the same words: role, industry, country, company size,
expected change in AI workloads (five-point scale), edge clusters in production, edge challenges
(select all that apply), change in the cloud bill, the biggest efficiency lever, an open question
("${QUESTIONS.openText}") and a weight (post-stratified on company size, mean 1).

| interview | participant | format |
|---|---|---|
${interviews.join('\n')}

## A ten-minute tour

The e2e spec \`e2e/tour.spec.ts\` walks these steps in a browser and takes the screenshots in
\`docs/screenshots/tour-*.png\`.

1. Start Fieldbook (\`npm start\`) and choose **Open the sample study** on the start screen.
2. The status bar counts what was imported: 2 datasets, 857 respondents, 12 documents, 12 codes.
3. **Transcripts** lists the ten interviews; open one to read it turn by turn.
4. **Tables** → **New table** → Data: *All waves side by side* → Rows: *Q5* (expected change in AI
   workloads). Each 2025 cell shows the change in points against 2024, marked when significant.
   Name the table and save it.
5. **Codebook** → **Code transcripts** → *P04 interview*: select "Some sites have a decent line,
   some go offline every afternoon" and press **2** (Edge operations).
6. **Suggestions** → **Find suggestions**: passages like the starter quotes, with the words that
   point to each code. Press **a** to accept one, **r** to reject, **j**/**k** to move.
7. **Exports** → **Quote pack**, tick *Model management*, **Export**: a Word file with the quotes
   and who said them (the Chinese interview's quote included).
8. **Exports** → **Tables** → **Export**: the saved table as an Excel workbook.

All people, organisations and answers are invented.
`;
}

/** Builds every file of the study in memory: relative path -> bytes. */
export async function buildSampleFiles(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const text = (name: string, content: string) => files.set(name, new TextEncoder().encode(content));

  const rng2024 = new Rng('fieldbook-sample/survey-2024');
  const people2024 = Array.from({ length: WAVE_2024.count }, () => makeRespondent(rng2024, WAVE_2024));
  assignWeights(rng2024, people2024.filter((p) => p.finished));
  text(SAMPLE_FILES.survey2024, surveyMonkeyCsv(people2024, rng2024));

  const rng2025 = new Rng('fieldbook-sample/survey-2025');
  const people2025 = Array.from({ length: WAVE_2025.count }, () => makeRespondent(rng2025, WAVE_2025));
  // Interviewees who also answered the survey: their answers agree with the participant sheet.
  for (const p of PARTICIPANTS) {
    const person = p.surveyRow === null ? undefined : people2025[p.surveyRow];
    if (!person) continue;
    person.role = ROLES.indexOf(p.role as (typeof ROLES)[number]);
    person.industry = INDUSTRIES.indexOf(p.industry as (typeof INDUSTRIES)[number]);
    person.country = COUNTRIES.indexOf(p.country as (typeof COUNTRIES)[number]);
    person.size = SIZES.indexOf(p.size as (typeof SIZES)[number]);
    person.finished = true;
  }
  assignWeights(rng2025, people2025.filter((p) => p.finished));
  const rows2025 = people2025.map((respondent) => ({ responseId: responseId(rng2025), respondent }));
  text(SAMPLE_FILES.survey2025, qualtricsCsv(rows2025, rng2025));

  const codings: StarterCoding[] = [];
  for (const p of PARTICIPANTS) {
    const rng = new Rng(`fieldbook-sample/interview-${p.id}`);
    const { turns, codings: own } = p.language === 'zh' ? { turns: CHINESE_TURNS, codings: CHINESE_CODINGS } : englishInterview(p, rng);
    codings.push(...own);
    const name = `interviews/${p.file}`;
    if (p.format === 'vtt') text(name, vtt(turns, rng));
    else if (p.format === 'srt') text(name, srt(turns, rng));
    else if (p.format === 'txt') text(name, plainText(p, turns));
    else files.set(name, await docxFile(p, turns));
  }

  text(
    SAMPLE_FILES.participants,
    csv(
      [
        // Every column but the ids becomes an attribute, printed in quote attributions: keep them readable.
        ['participant', 'role', 'industry', 'country', 'company_size', 'experience', 'survey_response_id'],
        ...PARTICIPANTS.map((p) => [
          p.id,
          p.role,
          p.industry,
          p.country,
          p.size,
          `${p.years} years`,
          p.surveyRow === null ? '' : (rows2025[p.surveyRow]?.responseId ?? ''),
        ]),
      ],
      '\n',
    ),
  );
  text(
    SAMPLE_FILES.codebook,
    // Fieldbook's own codebook CSV (what codes.export writes), so the sample also shows the format.
    csv(
      [
        ['id', 'parent_id', 'name', 'color', 'shortcut', 'definition', 'inclusion', 'exclusion', 'keywords'],
        ...CODEBOOK.map((c, i) => {
          const parent = CODEBOOK.findIndex((p) => p.name === c.parent);
          return [`c${i + 1}`, parent < 0 ? '' : `c${parent + 1}`, c.name, c.color, c.shortcut, c.definition, c.inclusion, c.exclusion, c.keywords.join('; ')];
        }),
      ],
      '\n',
    ),
  );
  text(SAMPLE_FILES.codings, csv([['document', 'quote', 'code'], ...codings.map((c) => [c.file, c.quote, c.code])], '\n'));

  const manifest: SampleManifest = {
    title: 'Kubernetes and AI: annual practitioner study (sample)',
    description:
      'A synthetic study for learning Fieldbook: two waves of an industry survey on Kubernetes and AI (2024 from SurveyMonkey, 2025 from Qualtrics), ten practitioner interviews, a participant sheet and a starter codebook. All people and organizations are fictional.',
    generator: 'npx tsx scripts/generate-sample.ts',
    surveys: [
      { file: SAMPLE_FILES.survey2024, name: 'Kubernetes and AI survey', wave: '2024', format: 'surveymonkey', respondents: WAVE_2024.count },
      { file: SAMPLE_FILES.survey2025, name: 'Kubernetes and AI survey', wave: '2025', format: 'qualtrics', respondents: WAVE_2025.count },
    ],
    questions: [
      { text: QUESTIONS.role, type: 'single' },
      { text: QUESTIONS.industry, type: 'single' },
      { text: QUESTIONS.country, type: 'single' },
      { text: QUESTIONS.size, type: 'ordinal' },
      { text: QUESTIONS.aiChange, type: 'ordinal' },
      { text: QUESTIONS.edge, type: 'single' },
      { text: QUESTIONS.edgeChallenges, type: 'multi' },
      { text: QUESTIONS.cloudBill, type: 'ordinal' },
      { text: QUESTIONS.lever, type: 'single' },
      { text: QUESTIONS.openText, type: 'text' },
      { text: 'weight', type: 'weight' },
    ],
    interviews: PARTICIPANTS.map((p) => ({
      file: `interviews/${p.file}`,
      name: `${p.id} interview${p.language === 'zh' ? ' (中文)' : ''}`,
      participant: p.id,
      format: p.format,
      language: p.language,
    })),
    participants: SAMPLE_FILES.participants,
    codebook: SAMPLE_FILES.codebook,
    codings: SAMPLE_FILES.codings,
  };
  text(SAMPLE_FILES.manifest, JSON.stringify(manifest, null, 2) + '\n');
  text(SAMPLE_FILES.readme, readme(manifest, codings.length));
  // The files' bytes are the fixture (CRLF in the survey exports and .srt, LF elsewhere, a BOM):
  // no line-ending conversion on checkout, or the byte-for-byte test fails on Windows.
  text('.gitattributes', '* -text\n');
  return files;
}

/** Writes the study into outDir, replacing what the generator owns there; returns the relative paths. */
export async function generateSample(outDir: string): Promise<string[]> {
  const files = await buildSampleFiles();
  for (const sub of ['survey', 'interviews']) fs.rmSync(path.join(outDir, sub), { recursive: true, force: true });
  for (const [name, bytes] of files) {
    const target = path.join(outDir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
  }
  return [...files.keys()].sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'resources', 'sample'));
  const written = await generateSample(outDir);
  let bytes = 0;
  for (const name of written) bytes += fs.statSync(path.join(outDir, name)).size;
  console.log(`Wrote ${written.length} files (${(bytes / 1024).toFixed(0)} KiB) to ${outDir}`);
}
