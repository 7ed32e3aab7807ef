import zlib from 'node:zlib';

/**
 * Hostile and careless files, made on the fly for the tests that show every importer refuses them
 * cleanly (or reads them): a zip bomb, an escaping path, a cut-off archive, UTF-16 without its BOM,
 * one huge field, deeply nested XML. Small to write, large only where that is the point.
 */

interface RawEntry {
  name: string;
  /** The deflated bytes (method 8) or the bytes themselves (method 0). */
  data: Uint8Array;
  method: 0 | 8;
  size: number;
  crc: number;
}

/** A zip of the given entries, written by hand so sizes and names can be anything a real writer never writes. */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.length));
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** An entry holding `bytes`, deflated. */
export function deflatedEntry(name: string, bytes: Uint8Array): RawEntry {
  return { name, data: zlib.deflateRawSync(bytes, { level: 9 }), method: 8, size: bytes.length, crc: zlib.crc32(bytes) };
}

/**
 * A zip whose one entry honestly declares `megabytes` MB of zeros packed about 1000:1: the
 * classic bomb. Anything that unpacks it whole takes that much memory.
 */
export function zipBomb(name: string, megabytes = 64, extra: Record<string, string> = {}): Uint8Array {
  const zeros = Buffer.alloc(megabytes * 1024 * 1024);
  return rawZip([deflatedEntry(name, zeros), ...Object.entries(extra).map(([n, text]) => deflatedEntry(n, Buffer.from(text, 'utf8')))]);
}

/** A zip with an entry whose name climbs out of the folder it would be unpacked into. */
export function escapingZip(honest: Record<string, string>, evil = '../../escaped.txt'): Uint8Array {
  return rawZip([...Object.entries(honest).map(([n, text]) => deflatedEntry(n, Buffer.from(text, 'utf8'))), deflatedEntry(evil, Buffer.from('gotcha', 'utf8'))]);
}

/** The first `share` of a file's bytes: a download or copy cut off. */
export function truncated(bytes: Uint8Array, share = 0.6): Uint8Array {
  return bytes.subarray(0, Math.max(1, Math.floor(bytes.length * share)));
}

/** Text as UTF-16 little-endian with no byte order mark (what some Windows tools write). */
export function utf16leNoBom(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf16le'));
}

/** XML nested `depth` elements deep inside a root element. */
export function deeplyNestedXml(root: string, depth: number, element = 'Code'): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root}${`<${element} name="x">`.repeat(depth)}${`</${element}>`.repeat(depth)}</${root.match(/^<([\w:]+)/)![1]}>`;
}
