import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, type MethodName } from './index';
import { methodPaths, methodsWithoutFileAccess, pathUses } from './paths';

/** Property names anywhere in a JSON schema that look like a file or folder path. */
function pathLikeFields(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) pathLikeFields(item, found);
  } else if (schema && typeof schema === 'object') {
    const properties = (schema as { properties?: Record<string, unknown> }).properties;
    if (properties) {
      for (const key of Object.keys(properties)) if (/^(path|paths|files|dir|folder)$|Path$|Dir$|File$/.test(key)) found.add(key);
    }
    for (const value of Object.values(schema)) pathLikeFields(value, found);
  }
  return found;
}

describe('the methods that take file paths', () => {
  it('are all declared with what they do to the file, so a host can check it', () => {
    const undeclared: string[] = [];
    for (const method of Object.keys(contract) as MethodName[]) {
      const schema = z.toJSONSchema(contract[method].input, { unrepresentable: 'any', io: 'input' });
      const fields = pathLikeFields(schema);
      if (fields.size === 0) continue;
      if (methodPaths[method] || methodsWithoutFileAccess.includes(method)) continue;
      undeclared.push(`${method} (${[...fields].join(', ')})`);
    }
    expect(undeclared).toEqual([]);
  });

  it('declares every path of a call, each with its use', () => {
    const parse = <M extends MethodName>(method: M, input: unknown) => pathUses(method, contract[method].input.parse(input) as never);
    expect(parse('transcripts.import', { files: [{ path: '/a.vtt' }, { path: '/b.docx', name: 'B' }] })).toEqual([
      { path: '/a.vtt', access: 'read' },
      { path: '/b.docx', access: 'read' },
    ]);
    expect(parse('project.create', { path: ' /p.fieldbook ' })).toEqual([{ path: '/p.fieldbook', access: 'create' }]);
    expect(parse('project.create', { path: '/p.fieldbook', overwrite: true })).toEqual([{ path: '/p.fieldbook', access: 'replace' }]);
    expect(parse('project.openSample', {})).toEqual([]);
    expect(parse('codes.import', { text: 'name\nA\n' })).toEqual([]);
    expect(parse('export.quotePack', { path: '/out/pack', format: 'md' })).toEqual([{ path: '/out/pack', access: 'write' }]);
    expect(parse('export.table', { path: '/out/t', format: 'csv', savedTableId: 1 })).toEqual([{ path: '/out/t', access: 'write' }]);
    expect(parse('app.info', {})).toEqual([]);
  });
});
