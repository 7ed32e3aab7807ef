import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../src/core/testing/tools';
import { BUILD_DIR, generateIcons } from './icons';

// Every check here reads the files as a packager or an OS would: the containers are decoded by
// hand below (a second code path to the writer in icons.ts), and Pillow reads them as a peer.

const read = (name: string) => fs.readFileSync(path.join(BUILD_DIR, name));

interface Png {
  width: number;
  height: number;
  /** Straight RGBA, rows from the top. */
  rgba: Buffer;
}

/** A minimal PNG reader: 8-bit RGBA, non-interlaced (what resvg writes), all five row filters. */
function decodePng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect({ depth: body[8], colour: body[9], interlace: body[12] }).toEqual({ depth: 8, colour: 6, interlace: 0 });
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter!];
      if (predictor === undefined) throw new Error(`PNG row filter ${filter}`);
      rgba[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** The .ico directory and each image: a PNG as is, a BMP turned back into top-down RGBA. */
function decodeIco(bytes: Buffer): Png[] {
  expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2)]).toEqual([0, 1]);
  const count = bytes.readUInt16LE(4);
  const images: Png[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    const size = bytes[entry] || 256;
    expect(bytes[entry + 1] || 256).toBe(size);
    expect(bytes.readUInt16LE(entry + 6)).toBe(32);
    const image = bytes.subarray(bytes.readUInt32LE(entry + 12), bytes.readUInt32LE(entry + 12) + bytes.readUInt32LE(entry + 8));
    if (image.subarray(1, 4).toString('latin1') === 'PNG') {
      images.push(decodePng(image));
      continue;
    }
    expect(image.readUInt32LE(0)).toBe(40);
    expect([image.readInt32LE(4), image.readInt32LE(8), image.readUInt16LE(14)]).toEqual([size, size * 2, 32]);
    const maskRow = Math.ceil(size / 32) * 4;
    expect(image.length).toBe(40 + size * size * 4 + maskRow * size);
    const rgba = Buffer.alloc(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = 40 + ((size - 1 - y) * size + x) * 4;
        const to = (y * size + x) * 4;
        rgba[to] = image[from + 2]!;
        rgba[to + 1] = image[from + 1]!;
        rgba[to + 2] = image[from]!;
        rgba[to + 3] = image[from + 3]!;
      }
    }
    images.push({ width: size, height: size, rgba });
  }
  return images;
}

/** The .icns chunks: type and PNG, after checking every length adds up. */
function decodeIcns(bytes: Buffer): Map<string, Png> {
  expect(bytes.toString('latin1', 0, 4)).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const chunks = new Map<string, Png>();
  let offset = 8;
  while (offset < bytes.length) {
    const type = bytes.toString('latin1', offset, offset + 4);
    const length = bytes.readUInt32BE(offset + 4);
    expect(length).toBeGreaterThan(8);
    chunks.set(type, decodePng(bytes.subarray(offset + 8, offset + length)));
    offset += length;
  }
  expect(offset).toBe(bytes.length);
  return chunks;
}

/** Largest difference between two RGBA images, comparing colour only where a pixel is visible. */
function maxDifference(a: Png, b: Png): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let worst = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    worst = Math.max(worst, Math.abs(a.rgba[i + 3]! - b.rgba[i + 3]!));
    // A nearly transparent pixel's colour is rounding noise (it was premultiplied by ~0).
    if (a.rgba[i + 3]! < 16) continue;
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(a.rgba[i + c]! - b.rgba[i + c]!));
  }
  return worst;
}

const pngAt = (size: number) => decodePng(read(`icons/${size}x${size}.png`));
// The icon's centre is on the middle bar, filled #2b7a73 in icon.svg.
const centre = (png: Png) => [...png.rgba.subarray(((png.height >> 1) * png.width + (png.width >> 1)) * 4, ((png.height >> 1) * png.width + (png.width >> 1)) * 4 + 4)];

describe('build/ icons', () => {
  it('are exactly what `npm run icons` makes from build/icon.svg (run it after changing the SVG)', () => {
    const made = generateIcons(fs.readFileSync(path.join(BUILD_DIR, 'icon.svg'), 'utf8'));
    expect([...made.keys()].sort()).toEqual(
      [...fs.readdirSync(path.join(BUILD_DIR, 'icons')).map((f) => `icons/${f}`), ...fs.readdirSync(BUILD_DIR).filter((f) => /\.(ico|icns)$/.test(f))].sort(),
    );
    for (const [name, bytes] of made) expect(read(name).equals(bytes), `build/${name} is stale`).toBe(true);
  });

  it('has the Linux PNG set at every size from 16 to 1024, square and drawn', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = pngAt(size);
      expect([png.width, png.height]).toEqual([size, size]);
      // Transparent corner (the tile is rounded), opaque teal centre.
      expect(png.rgba[3]).toBe(0);
      const [r, g, b, a] = centre(png);
      expect(a).toBe(255);
      expect(Math.abs(r! - 0x2b)).toBeLessThanOrEqual(2);
      expect(Math.abs(g! - 0x7a)).toBeLessThanOrEqual(2);
      expect(Math.abs(b! - 0x73)).toBeLessThanOrEqual(2);
    }
  });

  it.each(['icon.ico', 'fieldbook.ico'])('%s holds 16, 24, 32, 48, 64, 128 and 256, each the picture of that size', (name) => {
    const images = decodeIco(read(name));
    expect(images.map((i) => i.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    if (name === 'icon.ico') {
      // The BMP entries were demultiplied from resvg's pixels; the PNGs by resvg itself: they agree.
      for (const image of images) expect(maxDifference(image, pngAt(image.width))).toBeLessThanOrEqual(1);
    } else {
      // The document icon is a white page around the app icon.
      expect(centre(images[6]!)).not.toEqual(centre(pngAt(256)));
      expect([...images[6]!.rgba.subarray((40 * 256 + 128) * 4, (40 * 256 + 128) * 4 + 4)]).toEqual([255, 255, 255, 255]);
    }
  });

  it.each(['icon.icns', 'fieldbook.icns'])('%s holds every macOS size, 16 to 512 at 1x and 2x', (name) => {
    const chunks = decodeIcns(read(name));
    const sizes = Object.fromEntries([...chunks].map(([type, png]) => [type, [png.width, png.height]]));
    expect(sizes).toEqual({
      icp4: [16, 16],
      icp5: [32, 32],
      ic11: [32, 32],
      icp6: [64, 64],
      ic12: [64, 64],
      ic07: [128, 128],
      ic08: [256, 256],
      ic13: [256, 256],
      ic09: [512, 512],
      ic14: [512, 512],
      ic10: [1024, 1024],
    });
    if (name === 'icon.icns') for (const png of chunks.values()) expect(maxDifference(png, pngAt(png.width))).toBe(0);
  });

  it('opens in Pillow (a peer reader) with the same sizes and pixels', () => {
    const python = requireTool('pillow');
    const script = [
      'import json, sys',
      'from PIL import Image',
      'out = {}',
      'for name in sys.argv[1:]:',
      '    im = Image.open(name)',
      '    found = []',
      '    for size in sorted(im.info["sizes"]):',
      '        im.size = size',
      '        im.load()',
      '        w, h = im.im.size',
      '        found.append([w, h, list(im.convert("RGBA").getpixel((w // 2, h // 2)))])',
      '    out[name.rsplit("/", 1)[-1]] = {"format": im.format, "images": found}',
      'print(json.dumps(out))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, ...['icon.ico', 'icon.icns', 'fieldbook.ico', 'fieldbook.icns'].map((n) => path.join(BUILD_DIR, n))], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as Record<string, { format: string; images: [number, number, number[]][] }>;
    const ico = seen['icon.ico']!;
    expect(ico.format).toBe('ICO');
    expect(ico.images.map(([w, h]) => [w, h])).toEqual([16, 24, 32, 48, 64, 128, 256].map((s) => [s, s]));
    for (const [w, , pixel] of ico.images) expect(pixel).toEqual(centre(pngAt(w)));
    const icns = seen['icon.icns']!;
    expect(icns.format).toBe('ICNS');
    expect(icns.images.map(([w]) => w).sort((a, b) => a - b)).toEqual([16, 32, 32, 64, 64, 128, 256, 256, 512, 512, 1024]);
    for (const [w, , pixel] of icns.images) expect(pixel).toEqual(centre(pngAt(w)));
    expect(seen['fieldbook.ico']!.images.map(([w]) => w)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(seen['fieldbook.icns']!.images).toHaveLength(11);
  });
});
