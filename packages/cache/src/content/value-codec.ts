import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from '../argument-checks.js';

/**
 * What a content cache can hold: JSON data, or one binary array stored as raw little-endian bytes
 * (a 1536-dimension embedding is 6 KiB, not the ~30 KiB its JSON text would take).
 */
export type CacheValue = JsonValue | BinaryValue;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type BinaryValue =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

// Stored layout: [MAGIC, VERSION, kind, ...payload]. The magic byte lets a store tell our entries
// from foreign data written under the same key (another app sharing a Redis, say).
const MAGIC = 0xc7;
const VERSION = 1;
const JSON_KIND = 0;

const BINARY_KINDS = [
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
] as const;
type BinaryConstructor = (typeof BINARY_KINDS)[number];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function binaryKind(value: object): number {
  // Exact constructor match: a Uint8ClampedArray or BigInt64Array must not pass as a sibling type.
  const index = BINARY_KINDS.indexOf((value as { constructor: BinaryConstructor }).constructor);
  return index < 0 ? -1 : index + 1;
}

function assertJson(value: unknown, path: string, depth: number): void {
  if (depth > 256) throw invalid('nesting deeper than 256 levels', path);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    // JSON would silently turn these into null: refuse instead of storing something else.
    if (!Number.isFinite(value)) throw invalid(`the number ${value} (not representable in JSON)`, path);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertJson(value[i], `${path}[${i}]`, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype === Object.prototype || prototype === null) {
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        assertJson(item, path ? `${path}.${key}` : key, depth + 1);
      }
      return;
    }
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw invalid(`a ${name} (only plain JSON data, or one typed array at the top level, can be cached)`, path);
  }
  throw invalid(`a ${typeof value}`, path);
}

function invalid(what: string, path: string): ChunkwiseError {
  return new ChunkwiseError('INVALID_ARGUMENT', `Cannot cache ${what} at ${path || 'the top level'}.`, {
    details: { path },
  });
}

/** Encodes a cache value into the bytes a store keeps. Throws INVALID_ARGUMENT for anything else. */
export function encodeValue(value: unknown): Uint8Array {
  if (ArrayBuffer.isView(value)) {
    const kind = binaryKind(value);
    if (kind < 0) {
      throw invalid(`a ${value.constructor.name} (supported: ${BINARY_KINDS.map((c) => c.name).join(', ')})`, '');
    }
    const out = new Uint8Array(3 + value.byteLength);
    out[0] = MAGIC;
    out[1] = VERSION;
    out[2] = kind;
    out.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), 3);
    const size = (value as BinaryValue).BYTES_PER_ELEMENT;
    if (!LITTLE_ENDIAN && size > 1) swapBytes(out.subarray(3), size);
    return out;
  }
  if (value === undefined) throw invalid('undefined (delete the key instead)', '');
  assertJson(value, '', 0);
  const text = utf8Encoder.encode(JSON.stringify(value));
  const out = new Uint8Array(3 + text.length);
  out[0] = MAGIC;
  out[1] = VERSION;
  out[2] = JSON_KIND;
  out.set(text, 3);
  return out;
}

/** Decodes bytes written by `encodeValue`. Throws CORRUPT_DATA for anything else. */
export function decodeValue(bytes: Uint8Array, key = ''): CacheValue {
  if (!(bytes instanceof Uint8Array)) throw new ChunkwiseError('INVALID_ARGUMENT', `decodeValue: bytes must be a Uint8Array, got ${describeValue(bytes)}.`);
  if (typeof key !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `decodeValue: key must be a string, got ${describeValue(key)}.`);
  if (bytes.length < 3 || bytes[0] !== MAGIC) {
    throw corrupt(key, 'it was not written by @chunkwise/cache (wrong header)');
  }
  if (bytes[1] !== VERSION) throw corrupt(key, `it uses encoding version ${bytes[1]}, this build reads version ${VERSION}`);
  const kind = bytes[2]!;
  const payload = bytes.subarray(3);
  if (kind === JSON_KIND) {
    try {
      return JSON.parse(utf8Decoder.decode(payload)) as JsonValue;
    } catch (cause) {
      throw corrupt(key, 'its JSON payload does not parse', cause);
    }
  }
  const Constructor = BINARY_KINDS[kind - 1];
  if (!Constructor) throw corrupt(key, `its value kind ${kind} is unknown`);
  const size = Constructor.BYTES_PER_ELEMENT;
  if (payload.length % size !== 0) throw corrupt(key, `its ${Constructor.name} payload is ${payload.length} bytes, not a multiple of ${size}`);
  // Copy into a fresh, aligned buffer: the stored bytes sit at offset 3 and may be reused by the store.
  const copy = payload.slice();
  if (!LITTLE_ENDIAN && size > 1) swapBytes(copy, size);
  return new Constructor(copy.buffer, 0, copy.length / size);
}

function corrupt(key: string, why: string, cause?: unknown): ChunkwiseError {
  return new ChunkwiseError('CORRUPT_DATA', `The cached entry ${key ? `"${key}" ` : ''}cannot be read: ${why}.`, {
    details: { key },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Reverses each `size`-byte element in place (big-endian hosts store little-endian bytes). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
