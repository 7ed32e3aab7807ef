import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathGate } from './paths';

const root = path.resolve('/tmp/gate');
const at = (...parts: string[]) => path.join(root, ...parts);

describe('PathGate', () => {
  it('lets a path through only for the uses it was handed out for', () => {
    const gate = new PathGate();
    gate.grantFile(at('wave.csv'), ['read']);
    expect(gate.allows(at('wave.csv'), 'read')).toBe(true);
    expect(gate.allows(at('wave.csv'), 'write')).toBe(false);
    expect(gate.allows(at('other.csv'), 'read')).toBe(false);
    // The same file spelled another way is the same capability; a different file is not.
    expect(gate.allows(`${root}/./x/../wave.csv`, 'read')).toBe(true);
    gate.revoke(at('wave.csv'));
    expect(gate.allows(at('wave.csv'), 'read')).toBe(false);
  });

  it('keeps a folder grant inside its folder', () => {
    const gate = new PathGate();
    gate.grantFolder(at('projects'), ['create']);
    expect(gate.allows(at('projects', 'a.fieldbook'), 'create')).toBe(true);
    expect(gate.allows(at('projects', 'deep', 'a.fieldbook'), 'create')).toBe(true);
    expect(gate.allows(at('projects', '..', 'a.fieldbook'), 'create')).toBe(false);
    expect(gate.allows(at('projects-evil', 'a.fieldbook'), 'create')).toBe(false);
    expect(gate.allows(at('projects', 'a.fieldbook'), 'replace')).toBe(false);
  });

  it('checks every path of a call, with its contract-validated value', () => {
    const gate = new PathGate();
    gate.grantFile(at('a.vtt'), ['read']);
    expect(gate.check('transcripts.import', { files: [{ path: at('a.vtt') }] })).toBeNull();
    const refused = gate.check('transcripts.import', { files: [{ path: at('a.vtt') }, { path: '/etc/passwd' }] });
    expect(refused).toMatchObject({ code: 'NOT_ALLOWED', details: { file: '/etc/passwd', access: 'read' } });
    expect(refused?.message).toContain('/etc/passwd');
    // Trimmed as the contract trims it, so the core gets the path that was checked.
    expect(gate.check('survey.preview', { path: ` ${at('a.vtt')} ` })).toBeNull();
    // Input the contract refuses is left to dispatch (INVALID_INPUT); methods without paths pass.
    expect(gate.check('survey.preview', { path: 42 })).toBeNull();
    expect(gate.check('codes.list', {})).toBeNull();
    expect(gate.check('no.such.method', { path: '/etc/passwd' })).toBeNull();
  });

  it('learns the projects and exports the core answered with', () => {
    const gate = new PathGate();
    gate.learn('app.recent', [{ path: at('r.fieldbook'), name: 'r', openedAt: '', exists: true }]);
    gate.learn('app.info', { openProject: { path: at('open.fieldbook') } });
    gate.learn('project.create', { path: at('new.fieldbook') });
    gate.learn('export.quotePack', { path: at('out', 'pack.docx'), bytes: 1, items: 1 });
    for (const file of ['r.fieldbook', 'open.fieldbook', 'new.fieldbook']) expect(gate.allows(at(file), 'project')).toBe(true);
    expect(gate.allows(at('r.fieldbook'), 'replace')).toBe(false);
    expect(gate.mayReveal(at('out', 'pack.docx'))).toBe(true);
    expect(gate.mayReveal(at('out', 'other.docx'))).toBe(false);
    expect(gate.allows(at('out', 'pack.docx'), 'write')).toBe(false);
  });
});
