// The layers of ARCHITECTURE.md as an allowlist (after VS Code's `code-import-patterns`): each
// area names what it may import; anything else is refused. Relative imports are resolved to the
// area they land in, so `../../core/x` from the renderer is caught however it is spelled.
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const UI = [/^react($|-dom($|\/))/, /^react\/jsx-/, /^@tanstack\/react-/, /^echarts-for-react/];
const ELECTRON = [/^electron($|\/)/];

/**
 * Inside src/core, the domains in order: a domain may import itself and those listed for it, so
 * the graph has no cycles. Other files directly in src/core (core.ts, dispatch.ts, tasks.ts,
 * worker.ts) are the composition root and may use them all.
 */
export const CORE_DOMAINS = {
  // The core's side of the one i18n layer (i18next over src/shared/i18n): any domain may word its output with it.
  i18n: [],
  store: [],
  zip: [],
  workers: [],
  jobs: ['context', 'i18n'],
  context: ['store', 'workers', 'i18n'],
  history: ['store', 'i18n'],
  survey: ['store', 'zip', 'workers', 'history', 'context', 'jobs', 'i18n'],
  transcripts: ['store', 'zip', 'workers', 'history', 'context', 'jobs', 'survey', 'i18n'],
  coding: ['store', 'zip', 'history', 'context', 'jobs', 'survey', 'transcripts', 'i18n'],
  analysis: ['store', 'history', 'context', 'jobs', 'survey', 'transcripts', 'coding', 'i18n'],
  suggest: ['store', 'workers', 'history', 'context', 'jobs', 'survey', 'transcripts', 'coding', 'i18n'],
  export: ['store', 'zip', 'history', 'context', 'jobs', 'survey', 'transcripts', 'coding', 'analysis', 'i18n'],
  report: ['store', 'zip', 'history', 'context', 'jobs', 'survey', 'transcripts', 'coding', 'analysis', 'export', 'i18n'],
  project: ['store', 'zip', 'workers', 'history', 'context', 'jobs', 'survey', 'transcripts', 'coding', 'analysis', 'suggest', 'export', 'i18n'],
};

/** What each area may import: areas of src, and which packages (true: any but the banned ones). */
export const AREAS = {
  shared: { areas: ['shared'], packages: [/^zod($|\/)/], builtins: false },
  core: { areas: ['shared', 'core'], packages: true, ban: [...UI, ...ELECTRON], builtins: true },
  host: { areas: ['shared', 'core', 'host'], packages: true, ban: [...UI, ...ELECTRON], builtins: true },
  cli: { areas: ['shared', 'core', 'host', 'cli'], packages: true, ban: [...UI, ...ELECTRON], builtins: true },
  main: { areas: ['shared', 'host', 'main'], packages: true, ban: UI, builtins: true },
  preload: { areas: ['shared', 'preload'], packages: ELECTRON, builtins: false },
  renderer: { areas: ['shared', 'renderer'], packages: true, ban: [...ELECTRON, /^better-sqlite3/], builtins: false },
};

// Tests and their support (testing/, fixtures/) may reach up: they build a whole core.
const isTest = (file) => /\.(test|spec)\.tsx?$/.test(file) || /\/(testing|fixtures)\//.test(file.split(path.sep).join('/'));

/** The area and (in core) the domain of a file under this repository's src/, or null outside it. */
export function placeOf(file) {
  const parts = path.relative(process.cwd(), path.resolve(file)).split(path.sep);
  if (parts[0] !== 'src' || parts.length < 3) return null;
  const area = parts[1];
  if (!(area in AREAS)) return null;
  if (area !== 'core') return { area };
  if (parts.length === 3) {
    // A file directly in src/core: context.ts and jobs.ts are low domains; the rest compose them all.
    const name = parts[2].replace(/\.tsx?$/, '');
    return { area, domain: name in CORE_DOMAINS ? name : 'root' };
  }
  return { area, domain: parts[2] };
}


function check(file, source) {
  const from = placeOf(file);
  if (!from) return null;
  const rule = AREAS[from.area];
  if (source.startsWith('.')) {
    const target = placeOf(path.resolve(path.dirname(file), source));
    // A test may exercise what lives beside src (bin/, scripts/); the code it ships may not.
    if (!target) return isTest(file) ? null : `src/${from.area} may not import ${source} (outside src).`;
    const resolved = path.resolve(path.dirname(file), source).split(path.sep).join('/');
    if (!isTest(file) && /\/src\/[^/]+\/testing\//.test(resolved)) return `src/${target.area}/testing is for tests only.`;
    // A test of a host may drive a real core, which sits below every host; so may a renderer test
    // (pages rendered under jsdom against a real core through the real dispatch).
    const areas = isTest(file) && ['host', 'main', 'cli', 'renderer'].includes(from.area) ? [...rule.areas, 'core'] : rule.areas;
    if (!areas.includes(target.area)) return `src/${from.area} may import only ${rule.areas.map((a) => `src/${a}`).join(', ')}; not src/${target.area}.`;
    if (from.area === 'core' && target.area === 'core' && from.domain !== target.domain && !isTest(file)) {
      if (from.domain === 'root' || from.domain === 'testing') return null;
      if (target.domain === 'testing') return 'core/testing is for tests only.';
      const allowed = CORE_DOMAINS[from.domain];
      if (!allowed) return `core/${from.domain} is not a known domain: add it to CORE_DOMAINS in scripts/eslint-layers.js.`;
      if (!allowed.includes(target.domain)) {
        return `core/${from.domain} may import only ${allowed.length ? allowed.map((d) => `core/${d}`).join(', ') : 'itself'}; not core/${target.domain} (domains are ordered, with no cycles).`;
      }
    }
    return null;
  }
  // Tests are not shipped: they may use test runners, Node and any package.
  if (isTest(file)) return null;
  if (BUILTINS.has(source) || BUILTINS.has(source.split('/')[0])) {
    return rule.builtins ? null : `src/${from.area} may not use Node built-ins (${source}).`;
  }
  if (Array.isArray(rule.packages)) {
    return rule.packages.some((re) => re.test(source)) ? null : `src/${from.area} may import no package but ${rule.packages.map(String).join(', ')}; not ${source}.`;
  }
  if (rule.ban?.some((re) => re.test(source))) return `src/${from.area} may not import ${source}.`;
  return null;
}

const allowedImports = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{message}}' } },
  create(context) {
    const file = context.filename;
    const report = (node, source) => {
      if (typeof source !== 'string') return;
      const message = check(file, source);
      if (message) context.report({ node, messageId: 'layer', data: { message } });
    };
    return {
      ImportDeclaration: (node) => report(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && report(node, node.source.value),
      ExportAllDeclaration: (node) => report(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && report(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') report(node, node.arguments[0].value);
      },
    };
  },
};

export default { rules: { 'allowed-imports': allowedImports } };
