import type { ChangeTopic } from '../events';
import type { MethodName } from './index';

/**
 * What each method of the contract reads and changes, by topic, and whether it is an undoable
 * operation. The core's dispatch emits `project.changed` with `changes` after a call succeeds (no
 * handler announces its own changes); the renderer refetches exactly the queries whose method
 * `reads` a changed topic. `effects.test.ts` runs the core with a record of every table each call
 * writes and fails when a method writes a table outside the topics it declares (TOPIC_TABLES in
 * src/core/effects.ts).
 *
 * Kept as one table beside the methods rather than inside each method's entry so that the whole
 * picture of who changes what reads on one page; `satisfies` makes a new method without a line
 * here a type error.
 */
export interface Effect {
  /** Topics whose data a successful call may change (announced to every host afterwards). */
  readonly changes: readonly ChangeTopic[];
  /** Topics whose data the result depends on: the renderer refetches it when one changes. */
  readonly reads: readonly ChangeTopic[];
  /** A change the user can take back with Undo: written to the undo log as one operation. */
  readonly undoable: boolean;
}

const ALL: readonly ChangeTopic[] = ['project', 'datasets', 'variables', 'documents', 'participants', 'codes', 'codings', 'memos', 'suggestions', 'tables', 'findings', 'history'];

const read = (...reads: ChangeTopic[]): Effect => ({ changes: [], reads, undoable: false });
const change = (...changes: ChangeTopic[]): Effect => ({ changes, reads: [], undoable: false });
/** An undoable operation: it also changes the undo log. */
const operation = (...changes: ChangeTopic[]): Effect => ({ changes: [...changes, 'history'], reads: [], undoable: true });
/** No project data either way (files, dialogs, the app's own lists). */
const none: Effect = { changes: [], reads: [], undoable: false };

export const effects = {
  // The app and the project file
  'app.info': read('project'),
  'app.recent': read('project'),
  'app.forgetRecent': none,
  'app.clearRecent': none,
  // The language lives in the app's settings, which app.info reports.
  'app.setLanguage': change('project'),
  'project.create': change(...ALL),
  'project.open': change(...ALL),
  'project.openSample': change(...ALL),
  'project.close': change(...ALL),
  'project.info': read(...ALL),
  'jobs.cancel': none,

  // Survey data
  'survey.preview': none,
  'survey.import': operation('project', 'datasets', 'variables', 'documents'),
  'survey.datasets': read('datasets', 'variables'),
  'survey.variables': read('datasets', 'variables'),
  'survey.rows': read('datasets', 'variables', 'documents'),
  'survey.waveMatches': read('datasets', 'variables'),
  'survey.confirmMatch': change('variables'),
  'survey.renameDataset': change('datasets'),
  'survey.editVariable': operation('variables', 'datasets', 'documents', 'tables'),
  'survey.groupVariables': operation('variables', 'datasets', 'documents', 'tables'),
  'survey.orderWaves': operation('datasets'),
  'survey.deleteDataset': change('project', 'datasets', 'variables', 'documents', 'codings', 'suggestions'),

  // Transcripts, participants and their attributes
  'transcripts.preview': none,
  'transcripts.import': operation('project', 'documents', 'participants'),
  'documents.list': read('documents', 'participants', 'codings'),
  'documents.get': read('documents', 'participants'),
  'documents.update': operation('documents', 'participants'),
  'documents.delete': operation('project', 'documents', 'participants', 'codes', 'codings', 'suggestions'),
  'speakers.update': operation('documents', 'participants'),
  'participants.list': read('participants', 'documents'),
  'participants.create': operation('project', 'participants'),
  'participants.update': operation('participants', 'documents'),
  'participants.delete': operation('project', 'participants', 'documents'),
  'participants.previewSheet': read('participants'),
  'participants.importSheet': operation('project', 'participants'),
  'attributes.create': operation('participants'),
  'attributes.update': operation('participants'),
  'attributes.delete': operation('participants'),
  'search.run': read('documents', 'participants', 'codings', 'codes'),

  // The codebook, coding, memos, coders
  'codes.list': read('codes', 'codings'),
  'codes.create': operation('codes'),
  'codes.update': operation('codes'),
  'codes.move': operation('codes'),
  'codes.merge': operation('codes', 'codings', 'memos', 'suggestions'),
  'codes.split': operation('codes', 'codings'),
  'codes.deletePreview': read('codes', 'codings', 'memos', 'documents'),
  'codes.delete': operation('codes', 'codings', 'memos', 'suggestions'),
  'codes.export': read('codes', 'codings', 'memos'),
  'codes.import': operation('codes'),
  'segments.list': read('codings', 'codes'),
  'segments.create': operation('codings'),
  'segments.adjust': operation('codings'),
  'segments.star': operation('codings'),
  'codings.apply': operation('codings', 'codes'),
  'codings.applyInVivo': operation('codings', 'codes'),
  'codings.remove': operation('codings', 'codes'),
  'memos.list': read('memos', 'codes', 'documents'),
  'memos.save': operation('memos'),
  'memos.delete': operation('memos'),
  'coders.list': read('codings'),
  'coders.create': change('codings'),
  'coders.choose': change('project', 'codings', 'codes'),
  'coders.setBlind': change('project', 'codings', 'codes'),
  'history.state': read('history'),
  'history.list': read('history'),
  // Undo and redo take back any operation, whatever it touched.
  'history.undo': change(...ALL),
  'history.redo': change(...ALL),
  'answers.context': read('documents', 'datasets', 'variables', 'codings'),
  'quotes.list': read('codings', 'codes', 'documents', 'participants', 'memos'),
  'cooccurrence.run': read('codings', 'codes'),
  'cooccurrence.pairs': read('codings', 'codes', 'documents'),
  'agreement.resolve': operation('codings', 'codes'),
  'agreement.run': read('codings', 'codes', 'documents'),

  // Suggestions
  'suggest.run': change('suggestions'),
  'suggest.list': read('suggestions', 'codes', 'codings', 'documents'),
  'suggest.review': operation('suggestions', 'codings', 'codes'),
  'suggest.themes': read('documents', 'codings', 'codes'),
  'suggest.adoptTheme': operation('codes', 'codings'),
  /** Reads the coding and judges it by cross-validation; writes nothing. */
  'suggest.agreement': read('codings', 'codes', 'documents', 'suggestions'),
  'suggest.eval': none,

  // Tables
  'tables.run': read('datasets', 'variables', 'documents', 'participants', 'codes', 'codings', 'tables'),
  'tables.drill': read('datasets', 'variables', 'documents', 'participants', 'codes', 'codings'),
  'tables.save': change('tables'),
  'tables.list': read('tables'),
  'tables.get': read('tables'),
  'tables.delete': change('tables'),
  'tables.chart': read('datasets', 'variables', 'documents', 'participants', 'codes', 'codings', 'tables'),
  'tables.variables': read('datasets', 'variables', 'codes', 'participants'),

  // Exports and exchange
  'export.options': read('codes', 'participants', 'tables', 'datasets', 'variables'),
  'export.quotePackCount': read('codings', 'codes', 'documents', 'participants'),
  'export.qdpx': none,
  'import.qdpx': operation('project', 'codes', 'codings', 'documents', 'participants', 'memos'),
  'export.quotePack': none,
  'export.codebook': none,
  'export.table': none,
  'export.tableText': read('tables', 'datasets', 'variables', 'codes', 'codings'),
  'export.tables': none,
  'export.chart': none,

  // The findings report
  'findings.report': read('findings', 'datasets', 'variables', 'documents', 'participants', 'codes', 'codings', 'memos', 'tables'),
  'findings.settings': operation('findings'),
  'findings.create': operation('findings'),
  'findings.update': operation('findings'),
  'findings.delete': operation('findings'),
  'findings.move': operation('findings'),
  'findings.setSlot': operation('findings'),
  'findings.removeSlot': operation('findings'),
  'findings.accept': operation('findings'),
  'findings.addQuote': operation('findings'),
  'findings.removeQuote': operation('findings'),
  'findings.moveQuote': operation('findings'),
  'findings.bodyFromMemo': operation('findings'),
  'findings.export': none,
  'findings.quoteChoices': read('codings', 'codes', 'documents', 'participants', 'datasets', 'variables'),
} as const satisfies Record<MethodName, Effect>;

/** The methods whose result depends on one of `topics` (for hosts that cache results). */
export function methodsReading(topics: readonly ChangeTopic[]): Set<MethodName> {
  const names = new Set<MethodName>();
  for (const [name, effect] of Object.entries(effects) as [MethodName, Effect][]) {
    if (effect.reads.some((topic) => topics.includes(topic))) names.add(name);
  }
  return names;
}
