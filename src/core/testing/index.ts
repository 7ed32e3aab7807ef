import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Input, MethodName, Output } from '../../shared/contract/index';
import { FieldbookError } from '../../shared/errors';
import type { CoreEvent } from '../../shared/events';
import { dispatch } from '../dispatch';
import { createCore, type Core } from '../core';
import { recordWrites } from './writes';

/** A fresh folder under the OS temp dir; removed by the returned cleanup. */
export function tempDir(prefix = 'fieldbook-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestCore {
  core: Core;
  dir: string;
  events: CoreEvent[];
  /** Calls through the real dispatch (input validation included); throws FieldbookError on failure. */
  call<M extends MethodName>(method: M, input: Input<M>, jobId?: string): Promise<Output<M>>;
  /** Creates and opens a project in the temp dir; returns its path. */
  newProject(name?: string): Promise<string>;
  cleanup(): void;
}

export function createTestCore(): TestCore {
  const { dir, cleanup } = tempDir();
  const core = createCore({
    appDataDir: path.join(dir, 'appdata'),
    host: 'test',
    version: '0.0.0-test',
    sampleDir: path.resolve(import.meta.dirname, '../../../resources/sample'),
  });
  const events: CoreEvent[] = [];
  core.onEvent((event) => events.push(event));
  const writes = recordWrites(core);
  const call = async <M extends MethodName>(method: M, input: Input<M>, jobId?: string): Promise<Output<M>> => {
    writes.begin();
    let envelope;
    try {
      envelope = await dispatch(core, { method, input, jobId });
    } catch (error) {
      writes.end(null);
      throw error;
    }
    // A failed call wrote nothing (its transaction rolled back, and the record with it).
    writes.end(envelope.ok ? method : null);
    if (!envelope.ok) throw FieldbookError.fromInfo(envelope.error);
    return envelope.result as Output<M>;
  };
  return {
    core,
    dir,
    events,
    call,
    async newProject(name = 'study') {
      const info = await call('project.create', { path: path.join(dir, `${name}.fieldbook`) });
      return info.path;
    },
    cleanup() {
      core.close();
      cleanup();
    },
  };
}

/**
 * The real-world files in ../shared/data (beside the checkout in CI, absent on a user's machine).
 * Returns null when absent; tests use `describe.skipIf(!sharedDataAvailable)` and print why.
 */
export const SHARED_DATA_DIR = path.resolve(import.meta.dirname, '../../../../shared/data');
export const sharedDataAvailable = fs.existsSync(SHARED_DATA_DIR);
if (!sharedDataAvailable) {
  console.log(`[fieldbook tests] ../shared/data is absent (${SHARED_DATA_DIR}): tests on real-world files are skipped.`);
}

export function sharedData(relative: string): string {
  return path.join(SHARED_DATA_DIR, relative);
}

/** The FieldbookError a call fails with; any other error is thrown on, and success fails the test. */
export async function failure(promise: Promise<unknown>): Promise<FieldbookError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FieldbookError) return error;
    throw error;
  }
  throw new Error('expected a FieldbookError');
}

/** failure() for code that fails synchronously. */
export function failureOf(run: () => unknown): FieldbookError {
  try {
    run();
  } catch (error) {
    if (error instanceof FieldbookError) return error;
    throw error;
  }
  throw new Error('expected a FieldbookError');
}
