import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSpss } from './index';
import { caught, fixture } from './test-helpers';

/**
 * A .zsav whose one compressed block declares a few KB but inflates to 512 MB: the reader must stop
 * at the declared size (zlib's output limit), not inflate it all and compare afterwards (a 2 MB
 * file took 6.2 GB before its refusal).
 */
const BOMB_BYTES = 512 * 1024 * 1024;

/** 512 MB of zeros through zlib, a MB at a time, so the test itself never holds them. */
async function zlibBomb(): Promise<Buffer> {
  const zero = Buffer.alloc(1024 * 1024);
  const chunks: Buffer[] = [];
  const source = Readable.from((function* () {
    for (let i = 0; i < BOMB_BYTES / zero.length; i++) yield zero;
  })());
  for await (const chunk of source.pipe(zlib.createDeflate({ level: 9 }))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** pspp_utf8.zsav with its blocks replaced by `block`, which declares `usize` bytes. */
function zsavWithBlock(block: Buffer, usize: number): Uint8Array {
  const full = fs.readFileSync(fixture('pspp_utf8.zsav'));
  const view = new DataView(full.buffer, full.byteOffset, full.byteLength);
  // The zheader is the one place whose first int64 is its own offset.
  let at = 176;
  while (!(Number(view.getBigInt64(at, true)) === at && Number(view.getBigInt64(at + 8, true)) < full.length)) at++;
  const trailerAt = Number(view.getBigInt64(at + 8, true));
  const bias = view.getBigInt64(trailerAt, true);
  const blockSize = view.getInt32(trailerAt + 16, true);
  const out = Buffer.alloc(at + 24 + block.length + 48);
  full.copy(out, 0, 0, at);
  const newTrailer = at + 24 + block.length;
  out.writeBigInt64LE(BigInt(at), at);
  out.writeBigInt64LE(BigInt(newTrailer), at + 8);
  out.writeBigInt64LE(48n, at + 16);
  block.copy(out, at + 24);
  out.writeBigInt64LE(bias, newTrailer);
  out.writeBigInt64LE(0n, newTrailer + 8);
  out.writeInt32LE(blockSize, newTrailer + 16);
  out.writeInt32LE(1, newTrailer + 20);
  out.writeBigInt64LE(0n, newTrailer + 24);
  out.writeBigInt64LE(BigInt(at + 24), newTrailer + 32);
  out.writeInt32LE(usize, newTrailer + 40);
  out.writeInt32LE(block.length, newTrailer + 44);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

describe('.zsav decompression is bounded', () => {
  it('a block that inflates far past its declared size is refused at that size, quickly and without the memory', async () => {
    const bomb = await zlibBomb();
    const file = zsavWithBlock(bomb, 4096);
    const peakBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const error = caught(() => readSpss(file, 'bomb.zsav'));
    const seconds = (performance.now() - started) / 1000;
    const grewMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toContain('bomb.zsav');
    expect(error.message).toMatch(/more than the 4096 bytes/);
    expect(error.details?.file).toBe('bomb.zsav');
    expect(seconds).toBeLessThan(2);
    expect(grewMb).toBeLessThan(BOMB_BYTES / 1024 / 1024 / 2);
  }, 60_000);
});
