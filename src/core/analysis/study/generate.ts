/**
 * A two-wave study whose published figures are fixed in advance (the project-level test of
 * issue 15 and its e2e spec): 2024 as a SurveyMonkey export, 2025 as a Qualtrics export, the
 * same questions under other column names, the multi-select options in another order, and the
 * edge challenges asked only of edge adopters. Row counts are chosen so each figure is exact:
 *   2024, 100 respondents: 38 run clusters at the edge (38%); 19 use a dedicated GPU cloud; of the
 *     38 edge adopters 12 find managing AI workloads a challenge and 8 ticked no challenge.
 *   2025, 200 respondents: 100 at the edge (50%, so +12 points); 56 use a dedicated GPU cloud
 *     (28% of all; 40 ticked no GPU option, so 56/160 = 35% of those who answered); of the 100
 *     edge adopters 41 find managing AI workloads a challenge (41%) and 18 ticked nothing
 *     (41/82 = 50% of those who answered).
 */
export interface WaveFigures {
  n: number;
  edge: number;
  dedicated: number;
  noGpu: number;
  managing: number;
  edgeNoChallenge: number;
}

export const FIGURES: Record<'2024' | '2025', WaveFigures> = {
  '2024': { n: 100, edge: 38, dedicated: 19, noGpu: 24, managing: 12, edgeNoChallenge: 8 },
  '2025': { n: 200, edge: 100, dedicated: 56, noGpu: 40, managing: 41, edgeNoChallenge: 18 },
};

export const EDGE_Q = 'Does your organization run Kubernetes clusters at the edge in production?';
export const GPU_Q = 'Which GPU infrastructure do you use? (Select all that apply)';
export const CHALLENGE_Q = 'What are your biggest challenges running Kubernetes at the edge? (Select all that apply)';
export const NEW_Q = 'Do you share GPUs between teams?';
export const GPU_OPTIONS = ['Dedicated GPU cloud', 'Public cloud GPUs', 'On-premises GPUs'];
export const CHALLENGE_OPTIONS = ['Managing AI workloads', 'Limited connectivity', 'Lack of skills'];

interface Respondent {
  edge: boolean;
  gpu: boolean[];
  challenges: boolean[] | null;
}

/** Respondents of one wave, laid out so the counts above hold exactly. */
function respondents(f: WaveFigures): Respondent[] {
  const out: Respondent[] = [];
  let edgeSeen = 0;
  for (let i = 0; i < f.n; i++) {
    // Edge adopters every other row until there are enough, so edge and GPU answers mix.
    const edge = edgeSeen < f.edge && (i % 2 === 0 || f.n - i <= f.edge - edgeSeen);
    let challenges: boolean[] | null = null;
    if (edge) {
      const k = edgeSeen++;
      if (k < f.managing) challenges = [true, k % 3 === 0, k % 4 === 0];
      else if (k < f.managing + f.edgeNoChallenge) challenges = [false, false, false];
      else challenges = [false, true, k % 2 === 0];
    }
    const gpu = i < f.dedicated ? [true, i % 2 === 0, false] : i < f.dedicated + f.noGpu ? [false, false, false] : [false, i % 3 !== 0, i % 3 === 0];
    out.push({ edge, gpu, challenges });
  }
  return out;
}

const csv = (cells: string[]): string => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');

export function surveyMonkey2024(): string {
  const people = respondents(FIGURES['2024']);
  const lines = [
    csv(['Respondent ID', 'Collector ID', 'Start Date', 'End Date', EDGE_Q, GPU_Q, '', '', CHALLENGE_Q, '', '']),
    csv(['', '', '', '', 'Response', ...GPU_OPTIONS, ...CHALLENGE_OPTIONS]),
  ];
  people.forEach((p, i) => {
    lines.push(
      csv([
        String(5000 + i),
        '77',
        '03/04/2024 10:00:00 AM',
        '03/04/2024 10:05:00 AM',
        p.edge ? 'Yes' : 'No',
        ...GPU_OPTIONS.map((o, k) => (p.gpu[k] ? o : '')),
        ...CHALLENGE_OPTIONS.map((o, k) => (p.challenges?.[k] ? o : '')),
      ]),
    );
  });
  return `${lines.join('\n')}\n`;
}

/** Qualtrics names the questions Q6, Q11_*, Q12_* and lists the options in another order. */
const GPU_ORDER_2025 = [2, 0, 1];
const CHALLENGE_ORDER_2025 = [2, 0, 1];

export function qualtrics2025(): string {
  const people = respondents(FIGURES['2025']);
  // Q13 is new in 2025: no 2024 question matches it.
  const names = ['StartDate', 'EndDate', 'Finished', 'ResponseId', 'Q6', 'Q11_1', 'Q11_2', 'Q11_3', 'Q12_1', 'Q12_2', 'Q12_3', 'Q13'];
  const texts = [
    'Start Date',
    'End Date',
    'Finished',
    'Response ID',
    EDGE_Q,
    ...GPU_ORDER_2025.map((k) => `${GPU_Q} - ${GPU_OPTIONS[k]}`),
    ...CHALLENGE_ORDER_2025.map((k) => `${CHALLENGE_Q} - ${CHALLENGE_OPTIONS[k]}`),
    NEW_Q,
  ];
  const ids = ['startDate', 'endDate', 'finished', '_recordId', 'QID6', 'QID11_1', 'QID11_2', 'QID11_3', 'QID12_1', 'QID12_2', 'QID12_3', 'QID13'].map((x) => JSON.stringify({ ImportId: x }));
  const lines = [csv(names), csv(texts), csv(ids)];
  people.forEach((p, i) => {
    lines.push(
      csv([
        '2025-03-01 10:00:00',
        '2025-03-01 10:06:00',
        'True',
        `R_${String(i).padStart(5, '0')}`,
        p.edge ? 'Yes' : 'No',
        ...GPU_ORDER_2025.map((k) => (p.gpu[k] ? GPU_OPTIONS[k]! : '')),
        ...CHALLENGE_ORDER_2025.map((k) => (p.challenges?.[k] ? CHALLENGE_OPTIONS[k]! : '')),
        i % 4 === 0 ? 'Yes' : 'No',
      ]),
    );
  });
  return `${lines.join('\n')}\n`;
}
