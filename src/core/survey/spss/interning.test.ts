import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing';
import { writeTinySav, type TinyVar } from './fixtures/tiny-sav-writer';
import { readSpss, readSpssFile } from './index';
import { nums, strs, variable } from './test-helpers';
import { xorshift32 } from '../../testing/random';

/**
 * The reader hands out one string per distinct answer of a short string variable (interned per
 * hash bucket) and decodes cases in blocks: answers that share buckets, evict each other, differ
 * only in their last byte, are not ASCII, or are blank must still come back exactly as written,
 * across blocks and across the window a large file streams through.
 */
describe('string answers read through the interner and in blocks of cases', () => {
  const ROWS = 7000;
  const next = xorshift32(12345);
  // 1,500 distinct words: more than the interner's buckets, so they collide and evict.
  const pool = Array.from({ length: 1500 }, (_, i) => (i % 7 === 0 ? `é${i}ü` : i % 11 === 0 ? `w ${i}` : `word${i}`));
  const word: (string | null)[] = [];
  const id: string[] = [];
  const tail: string[] = [];
  const wide: (string | null)[] = [];
  const amount: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    const k = next();
    word.push(k % 13 === 0 ? null : pool[k % pool.length]!);
    id.push(`R${String(r).padStart(7, '0')}`);
    // Same first 19 bytes, a different last byte: the interner must compare every word.
    tail.push(`${'x'.repeat(19)}${String.fromCharCode(97 + (k % 26))}`);
    wide.push(k % 5 === 0 ? null : `${'long answer '.repeat(20)}${k % 40}`);
    amount.push(k % 17 === 0 ? Number.NaN : (k % 100_000) / 100);
  }
  const vars: TinyVar[] = [
    { name: 'word', width: 12, values: word },
    { name: 'amount', width: 0, values: amount.map((x) => (Number.isNaN(x) ? null : x)) },
    { name: 'id', width: 8, values: id },
    { name: 'tail', width: 20, values: tail },
    { name: 'wide', width: 255, values: wide },
  ];

  function check(file: ReturnType<typeof readSpss>): void {
    expect(file.rowCount).toBe(ROWS);
    expect(strs(variable(file, 'word'))).toEqual(word);
    expect(strs(variable(file, 'id'))).toEqual(id);
    expect(strs(variable(file, 'tail'))).toEqual(tail);
    expect(strs(variable(file, 'wide'))).toEqual(wide);
    expect(nums(variable(file, 'amount'))).toEqual(amount);
  }

  for (const littleEndian of [true, false]) {
    for (const compressed of [true, false]) {
      it(`${littleEndian ? 'little' : 'big'}-endian, ${compressed ? 'bytecode' : 'uncompressed'}, from memory and from disk`, () => {
        const bytes = writeTinySav(vars, { littleEndian, compressed });
        // Over 1 MiB: read from disk, compressed cases stream through the window.
        expect(bytes.length).toBeGreaterThan(1 << 20);
        check(readSpss(bytes, 'strings.sav'));
        const temp = tempDir('fieldbook-intern-');
        try {
          const file = path.join(temp.dir, 'strings.sav');
          fs.writeFileSync(file, bytes);
          check(readSpssFile(file));
        } finally {
          temp.cleanup();
        }
      });
    }
  }

  it('an unknown case count reads every case (blocks end at the data, not at a promised count)', () => {
    const bytes = writeTinySav(vars, { littleEndian: true, compressed: true, ncases: -1 });
    check(readSpss(bytes, 'unknown-count.sav'));
  });

  it('two answers whose words hash alike are still told apart', () => {
    // The interner's hash of an 8-byte answer (two little-endian words w0, w1) is
    // imul(w0, K) + w1 before folding: pick w1' so that a second answer lands on the same hash.
    // Tied to the hash in sav.ts; if that changes this stays a plain round trip.
    const K = 0x9e3779b1;
    const word = (s: string): number => Buffer.from(s, 'latin1').readInt32LE(0);
    const printable = (w: number): string | null => {
      const b = Buffer.alloc(4);
      b.writeInt32LE(w | 0);
      return [...b].every((x) => x > 0x20 && x < 0x7f) ? b.toString('latin1') : null;
    };
    const target = (Math.imul(word('abcd'), K) + word('efgh')) | 0;
    let twin: string | null = null;
    for (let i = 0; i < 100_000 && twin === null; i++) {
      const head = `${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i / 26) | 0) % 26)}${String.fromCharCode(97 + ((i / 676) | 0) % 26)}${String.fromCharCode(97 + ((i / 17576) | 0) % 26)}`;
      const tail = printable((target - Math.imul(word(head), K)) | 0);
      if (tail !== null) twin = head + tail;
    }
    expect(twin).not.toBeNull();
    const values = Array.from({ length: 50 }, (_, r) => (r % 2 === 0 ? 'abcdefgh' : twin));
    const s = readSpss(writeTinySav([{ name: 'pair', width: 8, values }], { littleEndian: true, compressed: true }), 'pair.sav');
    expect(strs(variable(s, 'pair'))).toEqual(values);
  });
});
