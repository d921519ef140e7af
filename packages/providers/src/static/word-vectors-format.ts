import { ChunkwiseError } from '@chunkwise/core';

/**
 * The compact binary layout of a word-vector table (`.cwv`), little-endian, every section 4-byte
 * aligned so typed arrays view it in place (no parsing at load):
 *
 * ```
 *  0  magic "CWVEC001"            8 bytes
 *  8  u32 dimensions             12 u32 count (words)
 * 16  u32 hash slots (power of 2) 20 u32 encoding (0 float32, 1 int8 + a float32 scale per row)
 * 24  u32 word bytes             28 u32 flags (bit 0: rows in descending corpus frequency)
 * 32  u32 checksum of bytes 8–31 and 64…   36–63 reserved (must be 0)
 * 64  scales   f32 × count        (int8 only)
 *     rows     i8 × count·dims  or f32 × count·dims
 *     offsets  u32 × (count + 1)  (word i is wordBytes[offsets[i], offsets[i+1]), UTF-8)
 *     words    u8 × word bytes
 *     hash     u32 × slots        (0 empty, else row + 1; FNV-1a of the UTF-8 bytes, linear probing)
 * ```
 */
export const MAGIC = 'CWVEC001';
export const HEADER_BYTES = 64;

export type VectorEncoding = 'int8' | 'float32';

export const FLAG_FREQUENCY_ORDERED = 1;

export interface FormatHeader {
  dimensions: number;
  count: number;
  slots: number;
  encoding: VectorEncoding;
  wordBytes: number;
  flags: number;
  checksum: number;
}

export interface Sections {
  scales: number;
  rows: number;
  offsets: number;
  words: number;
  hash: number;
  total: number;
}

const align4 = (n: number): number => (n + 3) & ~3;

export function sections(header: Omit<FormatHeader, 'checksum' | 'flags'>): Sections {
  const scales = HEADER_BYTES;
  const rows = scales + (header.encoding === 'int8' ? header.count * 4 : 0);
  const offsets = rows + align4(header.count * header.dimensions * (header.encoding === 'int8' ? 1 : 4));
  const words = offsets + (header.count + 1) * 4;
  const hash = words + align4(header.wordBytes);
  return { scales, rows, offsets, words, hash, total: hash + header.slots * 4 };
}

/** Hash slots for `count` words: a power of two at least twice the count, so probes stay short. */
export function slotsFor(count: number): number {
  let slots = 16;
  while (slots < count * 2) slots *= 2;
  return slots;
}

/** FNV-1a over bytes. */
export function fnv1aBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A 32-bit checksum of whole little-endian words (`bytes.length` must be a multiple of 4, the view
 * 4-byte aligned). Catches truncation and scattered damage at ~1 ns per byte, so a 35 MB table is
 * verified in tens of milliseconds on every load.
 */
export function checksum32(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  const n = words.length;
  let i = 0;
  // Two independent lanes keep the multiply latency off the critical path.
  for (; i + 1 < n; i += 2) {
    h1 = Math.imul(h1 ^ words[i]!, 0x01000193) ^ (h1 >>> 15);
    h2 = Math.imul(h2 ^ words[i + 1]!, 0x5bd1e995) ^ (h2 >>> 13);
  }
  if (i < n) h1 = Math.imul(h1 ^ words[i]!, 0x01000193) ^ (h1 >>> 15);
  return (Math.imul(h1 ^ (h2 >>> 16), 0x85ebca6b) ^ h2 ^ n) >>> 0;
}

/** The checksum a table carries: its body and the header fields before the checksum. */
export function tableChecksum(bytes: Uint8Array): number {
  let h = checksum32(bytes.subarray(HEADER_BYTES));
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  for (let at = 8; at < 32; at += 4) h = (Math.imul(h ^ view.getUint32(at, true), 0x01000193) ^ (h >>> 15)) >>> 0;
  return h;
}

export function writeHeader(bytes: Uint8Array, header: Omit<FormatHeader, 'checksum'>): void {
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  view.setUint32(8, header.dimensions, true);
  view.setUint32(12, header.count, true);
  view.setUint32(16, header.slots, true);
  view.setUint32(20, header.encoding === 'int8' ? 1 : 0, true);
  view.setUint32(24, header.wordBytes, true);
  view.setUint32(28, header.flags, true);
  view.setUint32(32, tableChecksum(bytes), true);
}

function corrupt(message: string, details: Record<string, unknown> = {}): ChunkwiseError {
  return new ChunkwiseError('CORRUPT_DATA', `Not a usable Chunkwise word-vector table: ${message}. Delete the file and convert the vectors again.`, { details });
}

export function readHeader(bytes: Uint8Array): FormatHeader & { sections: Sections } {
  if (bytes.byteLength < HEADER_BYTES) throw corrupt(`${bytes.byteLength} bytes is shorter than the ${HEADER_BYTES}-byte header`, { bytes: bytes.byteLength });
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw corrupt('the file does not start with CWVEC001');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const encodingCode = view.getUint32(20, true);
  if (encodingCode > 1) throw corrupt(`unknown encoding ${encodingCode}`);
  const header: FormatHeader = {
    dimensions: view.getUint32(8, true),
    count: view.getUint32(12, true),
    slots: view.getUint32(16, true),
    encoding: encodingCode === 1 ? 'int8' : 'float32',
    wordBytes: view.getUint32(24, true),
    flags: view.getUint32(28, true),
    checksum: view.getUint32(32, true),
  };
  for (let at = 36; at < HEADER_BYTES; at++) if (bytes[at] !== 0) throw corrupt('reserved header bytes are not zero');
  if (header.dimensions < 1 || header.slots < header.count || (header.slots & (header.slots - 1)) !== 0) {
    throw corrupt('the header is inconsistent', { ...header });
  }
  const layout = sections(header);
  if (layout.total !== bytes.byteLength) {
    throw corrupt(`the header describes ${layout.total} bytes but there are ${bytes.byteLength} (truncated or damaged)`, { expected: layout.total, actual: bytes.byteLength });
  }
  return { ...header, sections: layout };
}
