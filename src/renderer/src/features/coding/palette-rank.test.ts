import { describe, expect, it } from 'vitest';
import type { Code } from '../../../../shared/contract/coding';
import { rankCodes } from './palette-rank';

function code(id: number, name: string, extra: Partial<Code> = {}): Code {
  return {
    id,
    parentId: null,
    name,
    color: '#000000',
    definition: '',
    inclusion: '',
    exclusion: '',
    keywords: [],
    shortcut: null,
    position: id,
    quoteCount: 0,
    participantCount: 0,
    totalQuoteCount: 0,
    totalParticipantCount: 0,
    memoCount: 0,
    ...extra,
  };
}

describe('the Ctrl+K palette order', () => {
  // The codebook lists a parent before its children; its definition names them.
  const parent = code(1, 'Infrastructure', { definition: 'Edge operations, GPU scheduling and clusters.', keywords: ['edge sites'] });
  const edge = code(2, 'Edge operations', { parentId: 1 });
  const gpu = code(3, 'GPU scheduling', { parentId: 1, keywords: ['operations team'] });
  const ops = code(4, 'Day-2 operations', { parentId: 1 });
  const codes = [parent, edge, gpu, ops];

  it('puts the code whose own name was typed first, above the parent that mentions it', () => {
    expect(rankCodes(codes, 'edge').map((c) => c.name)).toEqual(['Edge operations', 'Infrastructure']);
    expect(rankCodes(codes, 'Edge operations')[0]!.name).toBe('Edge operations');
  });

  it('ranks name start, then a word of the name, then keywords, then definitions', () => {
    // "operations": a word of two names (codebook order), a keyword of GPU scheduling, the parent's definition.
    expect(rankCodes(codes, 'operations').map((c) => c.id)).toEqual([2, 4, 3, 1]);
    expect(rankCodes(codes, 'gpu').map((c) => c.id)).toEqual([3, 1]);
    expect(rankCodes(codes, '  ').map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(rankCodes(codes, 'nothing like it')).toEqual([]);
  });
});
