import type { ChangeTopic } from '../../shared/events';

/**
 * Which tables hold the data of each change topic of the contract (src/shared/contract/effects.ts).
 * A method may write a table only when it declares a topic listed for it here; the test core checks
 * every call against this (src/core/testing/writes.ts). A table the store adds goes here too.
 */
export const TOPIC_TABLES: Record<ChangeTopic, readonly string[]> = {
  project: ['meta'],
  datasets: ['dataset', 'variable', 'value_label', 'variable_data'],
  variables: ['variable', 'value_label', 'variable_data'],
  documents: ['document', 'turn', 'speaker', 'search_chunk'],
  participants: ['participant', 'attribute', 'participant_attribute', 'speaker'],
  codes: ['code', 'exchange_set'],
  codings: ['segment', 'coding', 'coder'],
  memos: ['memo'],
  suggestions: ['suggestion', 'model_state'],
  tables: ['saved_table'],
  findings: ['report', 'finding', 'finding_slot', 'finding_quote'],
  history: ['operation', 'operation_stash'],
};

/**
 * Bookkeeping any call may touch: the counter that tells cached analyses the data moved, and the
 * GUIDs an exchange file hands out on first export (so a second export keeps them), and the
 * pseudonym a person is given the first time a quote of theirs is shown. None is
 * data a host shows, so no topic names them.
 */
export const BOOKKEEPING_TABLES: readonly string[] = ['analysis_generation', 'exchange_guid', 'pseudonym'];
