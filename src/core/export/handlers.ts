import type { exportMethods } from '../../shared/contract/exports';
import { FieldbookError } from '../../shared/errors';
import type { HandlerMap } from '../context';
import { exportQdc, exportQdpx, importRefi } from './refi/index';

const notYet = (): never => {
  throw new FieldbookError('INTERNAL', 'This export is not available yet.');
};

export const exportHandlers: HandlerMap<keyof typeof exportMethods> = {
  'export.qdpx': (input, ctx) => exportQdpx(input.path, ctx),
  'import.qdpx': (input, ctx) => importRefi(input.path, ctx),
  'export.codebook': (input, ctx) => (input.format === 'qdc' ? exportQdc(input.path, ctx) : notYet()),
  'export.quotePack': notYet,
  'export.table': notYet,
  'export.tableText': notYet,
  'export.tables': notYet,
  'export.chart': notYet,
};
