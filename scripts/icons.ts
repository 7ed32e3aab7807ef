// `npm run icons`: every icon the packages need, made from the one source build/icon.svg.
// The results are committed, so electron-builder (or anyone packaging by hand) needs no extra
// step and no image tool; scripts/packaging.test.ts fails when they differ from what this makes.
// .ico and .icns are small containers of images, written here rather than through a dependency.
import { Resvg } from '@resvg/resvg-js';
import fs from 'node:fs';
import path from 'node:path';

export const BUILD_DIR = path.resolve(import.meta.dirname, '..', 'build');

/** The Linux set (electron-builder's `linux.icon` folder of NxN.png). */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** Windows: the sizes Explorer, the taskbar and the installer ask for. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** macOS: each type code holds a PNG of one pixel size (the @2x types double a point size). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
] as const;

export interface RenderedIcon {
  size: number;
  png: Buffer;
  /** Straight (not premultiplied) RGBA, row by row from the top. */
  rgba: Buffer;
}

export function renderIcon(svg: string, size: number): RenderedIcon {
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render();
  if (rendered.width !== size || rendered.height !== size) throw new Error(`build/icon.svg must be square; it rendered ${rendered.width}x${rendered.height}.`);
  // resvg hands out premultiplied pixels; BMP wants them straight.
  const rgba = Buffer.from(rendered.pixels);
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3]!;
    if (alpha === 0 || alpha === 255) continue;
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.min(255, Math.round((rgba[i + c]! * 255) / alpha));
  }
  return { size, png: rendered.asPng(), rgba };
}

/** A 32-bit BMP as an .ico stores it: BITMAPINFOHEADER, BGRA rows bottom-up, then the AND mask. */
function icoBitmap(icon: RenderedIcon): Buffer {
  const { size, rgba } = icon;
  const maskRow = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows plus mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskRow * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = (row * size + x) * 4;
      pixels[to] = rgba[from + 2]!;
      pixels[to + 1] = rgba[from + 1]!;
      pixels[to + 2] = rgba[from]!;
      pixels[to + 3] = rgba[from + 3]!;
      // Older renderers ignore alpha and use the mask: set where the pixel is fully transparent.
      if (rgba[from + 3] === 0) mask[row * maskRow + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

/**
 * An .ico: small sizes as BMP (every Windows tool, NSIS included, reads those), 256 as PNG (the
 * format Windows documents for that size, and a tenth of the bytes).
 */
export function encodeIco(icons: RenderedIcon[]): Buffer {
  const images = icons.map((icon) => (icon.size >= 256 ? icon.png : icoBitmap(icon)));
  const header = Buffer.alloc(6 + 16 * icons.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(icons.length, 4);
  let offset = header.length;
  icons.forEach((icon, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(icon.size >= 256 ? 0 : icon.size, entry); // 0 means 256
    header.writeUInt8(icon.size >= 256 ? 0 : icon.size, entry + 1);
    header.writeUInt8(0, entry + 2);
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(images[i]!.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += images[i]!.length;
  });
  return Buffer.concat([header, ...images]);
}

/** An .icns: 'icns', the total length, then (type, length, PNG) per entry; lengths are big-endian and include their 8-byte header. */
export function encodeIcns(entries: { type: string; png: Buffer }[]): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const total = 8 + chunks.reduce((sum, c) => sum + c.length, 0);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(total, 4);
  return Buffer.concat([head, ...chunks]);
}

/**
 * The document icon for .fieldbook files: a page with a folded corner carrying the app icon, so a
 * project is told apart from the app in a file manager. Made from the same source.
 */
export function documentSvg(appSvg: string): string {
  const open = /<svg\b[^>]*>/.exec(appSvg);
  const close = appSvg.lastIndexOf('</svg>');
  if (!open || close < 0) throw new Error('build/icon.svg is not an <svg> document.');
  const inner = appSvg.slice(open.index + open[0].length, close);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">',
    '<path d="M192 48 h456 l224 224 v656 a48 48 0 0 1 -48 48 h-632 a48 48 0 0 1 -48 -48 v-832 a48 48 0 0 1 48 -48 z" fill="#ffffff" stroke="#9aa5a4" stroke-width="16"/>',
    '<path d="M648 48 v176 a48 48 0 0 0 48 48 h176 z" fill="#dfe5e4" stroke="#9aa5a4" stroke-width="16" stroke-linejoin="round"/>',
    `<svg x="232" y="360" width="560" height="560" viewBox="0 0 1024 1024">${inner}</svg>`,
    '</svg>',
  ].join('\n');
}

/** Every generated file, by its path relative to build/. */
export function generateIcons(appSvg: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const app = new Map(PNG_SIZES.map((size) => [size, renderIcon(appSvg, size)]));
  for (const [size, icon] of app) files.set(`icons/${size}x${size}.png`, icon.png);
  files.set('icon.ico', encodeIco(ICO_SIZES.map((size) => app.get(size)!)));
  files.set('icon.icns', encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: app.get(size)!.png }))));
  // Named as electron-builder looks for a file association's icon by default: <ext>.icns/.ico.
  const docSvg = documentSvg(appSvg);
  const doc = new Map([...new Set([...ICO_SIZES, ...ICNS_TYPES.map(([, size]) => size)])].map((size) => [size, renderIcon(docSvg, size)]));
  files.set('fieldbook.ico', encodeIco(ICO_SIZES.map((size) => doc.get(size)!)));
  files.set('fieldbook.icns', encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: doc.get(size)!.png }))));
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const files = generateIcons(fs.readFileSync(path.join(BUILD_DIR, 'icon.svg'), 'utf8'));
  for (const [name, bytes] of files) {
    const target = path.join(BUILD_DIR, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
  }
  console.log(`fieldbook: wrote ${files.size} icon files to build/ from build/icon.svg.`);
}
