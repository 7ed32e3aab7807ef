import { FieldbookError } from '../../shared/errors';
import type { HandlerContext } from '../context';

/**
 * Builds the sample study from resources/sample through the real importers (issue 9).
 * Until the importers land there is no sample to build, and the start screen hides the button.
 */
export async function buildSampleProject(target: string, ctx: HandlerContext): Promise<void> {
  throw new FieldbookError('NOT_FOUND', `The sample study is not available in this build (${ctx.settings.sampleDir}).`, {
    file: target,
  });
}
