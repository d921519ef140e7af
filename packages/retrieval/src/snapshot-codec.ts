import { ChunkwiseError } from '@chunkwise/core';
import { WordHash } from './word-hash.js';

/**
 * A binary container for index snapshots: a small JSON header and typed arrays, each aligned to 8
 * bytes so they are read back as views without copying, and a 32-bit checksum over everything, so a
 * damaged snapshot is detected instead of silently answering wrongly.
 *
 *   u32 magic "CWSN" · u32 version · u32 header bytes · u32 0 · header (UTF-8 JSON) · pad to 8
 *   per array: u32 type · u32 byte length · bytes · pad to 8
 *   trailer: u32 checksum · u32 magic "CWSE"
 *
 * It is written as a list of parts (the arrays themselves, not copies), so a snapshot of any size
 * is written without holding a second copy of the index: a store writes the parts out in pages.
 * The checksum sits in the trailer for the same reason: it is computed while the parts are produced.
 */
export type SnapshotArray = Int32Array | Float64Array | Float32Array | Uint8Array;

/** One array given as consecutive pieces of one type (an index keeps some arrays in blocks): written as their concatenation. */
export interface SnapshotArrayPieces {
  pieces: readonly Int32Array[];
}

const MAGIC = 0x4e535743; // "CWSN" little-endian
const END_MAGIC = 0x45535743; // "CWSE"
const VERSION = 2;
const TYPES = [Int32Array, Float64Array, Float32Array, Uint8Array] as const;

const align8 = (n: number) => (n + 7) & ~7;

/** The snapshot as a list of byte parts, in order; their concatenation is the snapshot. */
export function snapshotParts(header: unknown, arrays: readonly (SnapshotArray | SnapshotArrayPieces)[]): Uint8Array[] {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(align8(16 + headerBytes.length));
  const view = new DataView(prefix.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  prefix.set(headerBytes, 16);
  const parts: Uint8Array[] = [prefix];
  for (const array of arrays) {
    if (!ArrayBuffer.isView(array)) {
      // Int32 pieces are whole words: written one after the other, exactly as their concatenation.
      let byteLength = 0;
      for (const piece of array.pieces) byteLength += piece.byteLength;
      const descriptor = new Uint8Array(8);
      new DataView(descriptor.buffer).setUint32(0, TYPES.indexOf(Int32Array), true);
      new DataView(descriptor.buffer).setUint32(4, byteLength, true);
      parts.push(descriptor);
      for (const piece of array.pieces) if (piece.byteLength > 0) parts.push(new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength));
      if (align8(byteLength) > byteLength) parts.push(new Uint8Array(align8(byteLength) - byteLength));
      continue;
    }
    const descriptor = new Uint8Array(8);
    const type = TYPES.findIndex((Type) => array instanceof Type);
    new DataView(descriptor.buffer).setUint32(0, type, true);
    new DataView(descriptor.buffer).setUint32(4, array.byteLength, true);
    parts.push(descriptor);
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    // The checksum reads 32-bit words, so a part must be a whole number of them: the whole words of
    // a byte array are a view, its last 1–3 bytes are copied into the zero padding.
    const whole = bytes.byteLength & ~3;
    if (whole > 0) parts.push(bytes.subarray(0, whole));
    const pad = align8(bytes.byteLength) - whole;
    if (pad > 0) {
      const tail = new Uint8Array(pad);
      tail.set(bytes.subarray(whole));
      parts.push(tail);
    }
  }
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, checksumParts(parts), true);
  new DataView(trailer.buffer).setUint32(4, END_MAGIC, true);
  parts.push(trailer);
  return parts;
}

/** Total length of a list of parts. */
export function partsLength(parts: readonly Uint8Array[]): number {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  return total;
}

/** The parts concatenated into one array (8-byte aligned, as unpackSnapshot wants it). */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(partsLength(parts));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

export function packSnapshot(header: unknown, arrays: readonly SnapshotArray[]): Uint8Array {
  return joinParts(snapshotParts(header, arrays));
}

/** Reads a snapshot back; anything malformed or damaged → CORRUPT_DATA. Arrays are views of `input` when it is aligned. */
export function unpackSnapshot<H>(input: Uint8Array): { header: H; arrays: SnapshotArray[] } {
  const fail = (why: string): never => {
    throw new ChunkwiseError('CORRUPT_DATA', `Index snapshot is damaged: ${why}.`);
  };
  if (!(input instanceof Uint8Array)) throw new ChunkwiseError('INVALID_ARGUMENT', 'A snapshot must be a Uint8Array (what save() returned).');
  // Views need 8-byte alignment; a Buffer from a pool may not have it.
  const bytes = input.byteOffset % 8 === 0 ? input : Uint8Array.from(input);
  if (bytes.byteLength < 24 || bytes.byteLength % 8 !== 0) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('not a snapshot');
  if (view.getUint32(4, true) !== VERSION) fail(`unknown version ${view.getUint32(4, true)}`);
  const end = bytes.byteLength - 8;
  if (view.getUint32(end + 4, true) !== END_MAGIC) fail('it is cut short');
  if (view.getUint32(end, true) !== checksumParts([bytes.subarray(0, end)])) fail('checksum mismatch');
  const headerLength = view.getUint32(8, true);
  if (16 + headerLength > end) fail('header out of bounds');
  let header: H;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength))) as H;
  } catch {
    return fail('header is not JSON');
  }
  const arrays: SnapshotArray[] = [];
  let at = align8(16 + headerLength);
  while (at < end) {
    const Type = TYPES[view.getUint32(at, true)];
    const byteLength = view.getUint32(at + 4, true);
    at += 8;
    if (!Type || byteLength % Type.BYTES_PER_ELEMENT !== 0 || at + byteLength > end) fail('array out of bounds');
    const T = Type as (typeof TYPES)[number];
    arrays.push(new T(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, byteLength / T.BYTES_PER_ELEMENT));
    at += align8(byteLength);
  }
  return { header, arrays };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Strings packed for a snapshot: their UTF-8 bytes back to back and where each ends. UTF-8 cannot
 * hold a lone surrogate, so a list with one is stored as JSON instead (ends = [−1]), exactly.
 */
export function packStrings(strings: readonly string[]): [Uint8Array, Int32Array] {
  if (strings.some((text) => LONE_SURROGATE.test(text))) return [new TextEncoder().encode(JSON.stringify(strings)), Int32Array.of(-1)];
  // Sized exactly first: growing by doubling, then trimming, held up to three times the bytes (the
  // metadata of 88,613 chunks is 9 MB of JSON).
  let total = 0;
  for (const text of strings) total += utf8Length(text);
  const encoder = new TextEncoder();
  const ends = new Int32Array(strings.length);
  const bytes = new Uint8Array(total);
  let at = 0;
  strings.forEach((text, i) => {
    at += encoder.encodeInto(text, bytes.subarray(at)).written;
    ends[i] = at;
  });
  return [bytes, ends];
}

/** UTF-8 length of a string without lone surrogates. */
function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    // 2 bytes below U+0800, 3 up to U+FFFF; a surrogate pair (two units) is 4.
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** The strings of packStrings; undefined when the offsets do not fit the bytes. */
export function unpackStrings(bytes: Uint8Array, ends: Int32Array): string[] | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (ends.length === 1 && ends[0] === -1) {
    try {
      const strings = JSON.parse(decoder.decode(bytes)) as unknown;
      return Array.isArray(strings) && strings.every((text) => typeof text === 'string') ? strings : undefined;
    } catch {
      return undefined;
    }
  }
  const out: string[] = new Array<string>(ends.length);
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const to = ends[i] as number;
    if (to < from || to > bytes.length) return undefined;
    out[i] = asciiOrUtf8(bytes, from, to, decoder);
    from = to;
  }
  return out;
}

/** Most ids and terms are ASCII: build those without a TextDecoder call each. */
function asciiOrUtf8(bytes: Uint8Array, from: number, to: number, decoder: TextDecoder): string {
  if (to - from <= 64) {
    let ascii = true;
    for (let i = from; i < to; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(from, to));
}

/** The checksum of the parts, in order (each part is a whole number of 32-bit words). */
function checksumParts(parts: readonly Uint8Array[]): number {
  const hash = new WordHash();
  for (const part of parts) hash.updateBytes(part);
  return hash.digest();
}
