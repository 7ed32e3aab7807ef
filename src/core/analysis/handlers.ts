import type { tableMethods } from '../../shared/contract/tables';
import { FieldbookError } from '../../shared/errors';
import type { HandlerMap } from '../context';

// Placeholder while the engine is written: the contract's result types are committed first so the
// export helper can build on them.
const notYet = (): never => {
  throw new FieldbookError('INTERNAL', 'Tables are not implemented yet.');
};

export const tableHandlers: HandlerMap<keyof typeof tableMethods> = {
  'tables.run': notYet,
  'tables.drill': notYet,
  'tables.save': notYet,
  'tables.list': notYet,
  'tables.get': notYet,
  'tables.delete': notYet,
  'tables.chart': notYet,
  'tables.variables': notYet,
};
