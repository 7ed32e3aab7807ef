import { describe, expect, it } from 'vitest';
import { effects, methodsReading, type Effect } from './effects';
import { contract } from './index';

describe('the effects table of the contract', () => {
  const entries = Object.entries(effects) as [string, Effect][];

  it('declares every method of the contract, and nothing else', () => {
    expect(entries.map(([name]) => name).sort()).toEqual(Object.keys(contract).sort());
  });

  it('marks as undoable only what writes the undo log, and every operation writes it', () => {
    for (const [name, effect] of entries) {
      if (effect.undoable) expect(effect.changes, name).toContain('history');
      // Undo, redo and switching projects change the log without being operations themselves.
      else if (effect.changes.includes('history')) expect(['history.undo', 'history.redo', 'project.create', 'project.open', 'project.openSample', 'project.close'], name).toContain(name);
    }
  });

  it('gives a read its topics and a change none to read, so the renderer refetches exactly what moved', () => {
    for (const [name, effect] of entries) expect(effect.changes.length > 0 && effect.reads.length > 0, name).toBe(false);
    expect(methodsReading(['codes'])).toContain('codes.list');
    expect(methodsReading(['codes'])).not.toContain('survey.variables');
    expect(methodsReading(['variables'])).toContain('tables.run');
  });
});
