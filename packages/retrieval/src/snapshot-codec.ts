import { ChunkwiseError } from '@chunkwise/core';

/**
 * A small binary container for index snapshots: a JSON header and typed arrays, each aligned to 8
 * bytes so they are read back as views without copying, and a 32-bit checksum over everything, so a
 * damaged snapshot is detected instead of silently answering wrongly.
 *
 *   u32 magic "CWSN" · u32 version · u32 checksum · u32 header bytes · header (UTF-8 JSON) · pad
 *   per array: u32 type · u32 byte length · pad to 8 · bytes · pad to 8
 */
export type SnapshotArray = Int32Array | Float64Array | Float32Array | Uint8Array;

const MAGIC = 0x4e535743; // "CWSN" little-endian
const VERSION = 1;
const TYPES = [Int32Array, Float64Array, Float32Array, Uint8Array] as const;

const align8 = (n: number) => (n + 7) & ~7;

export function packSnapshot(header: unknown, arrays: readonly SnapshotArray[]): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  let size = align8(16 + headerBytes.length);
  for (const array of arrays) size += 8 + align8(array.byteLength);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  bytes.set(headerBytes, 16);
  let at = align8(16 + headerBytes.length);
  for (const array of arrays) {
    view.setUint32(at, TYPES.findIndex((type) => array instanceof type), true);
    view.setUint32(at + 4, array.byteLength, true);
    at += 8;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += align8(array.byteLength);
  }
  view.setUint32(8, checksum(bytes), true);
  return bytes;
}

/** Reads a snapshot back; anything malformed or damaged → CORRUPT_DATA. Arrays are views of `input` when it is aligned. */
export function unpackSnapshot<H>(input: Uint8Array): { header: H; arrays: SnapshotArray[] } {
  const fail = (why: string): never => {
    throw new ChunkwiseError('CORRUPT_DATA', `Index snapshot is damaged: ${why}.`);
  };
  // Views need 8-byte alignment; a Buffer from a pool may not have it.
  const bytes = input.byteOffset % 8 === 0 && input.byteLength % 8 === 0 ? input : Uint8Array.from(input);
  if (bytes.byteLength < 16 || bytes.byteLength % 8 !== 0) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('not a snapshot');
  if (view.getUint32(4, true) !== VERSION) fail(`unknown version ${view.getUint32(4, true)}`);
  if (view.getUint32(8, true) !== checksum(bytes)) fail('checksum mismatch');
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.byteLength) fail('header out of bounds');
  let header: H;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as H;
  } catch {
    return fail('header is not JSON');
  }
  const arrays: SnapshotArray[] = [];
  let at = align8(16 + headerLength);
  while (at < bytes.byteLength) {
    const Type = TYPES[view.getUint32(at, true)];
    const byteLength = view.getUint32(at + 4, true);
    at += 8;
    if (!Type || byteLength % Type.BYTES_PER_ELEMENT !== 0 || at + byteLength > bytes.byteLength) fail('array out of bounds');
    arrays.push(new (Type as (typeof TYPES)[number])(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, byteLength / (Type as (typeof TYPES)[number]).BYTES_PER_ELEMENT));
    at += align8(byteLength);
  }
  return { header, arrays };
}

/** FNV-1a over 32-bit words (the checksum field itself counts as zero). */
function checksum(bytes: Uint8Array): number {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ (i === 2 ? 0 : (words[i] as number)), 0x01000193);
  return hash >>> 0;
}
