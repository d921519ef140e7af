import { expectArgument } from './argument-checks.js';
import { ChunkwiseError } from './errors.js';
import { sha256 } from './sha256.js';

/**
 * Canonical encoding, version 1. Two values get the same bytes exactly when they are equal as data:
 * object key order does not matter, `-0` equals `0`, every NaN is one NaN, keys whose value is
 * `undefined` are left out (as JSON does), and strings are encoded as WTF-8 so lone surrogates stay
 * distinct from U+FFFD. Typed arrays keep their element type, so a Float32Array and a Uint8Array
 * with the same bytes differ.
 */
const VERSION = [0xcb, 0x01] as const;

const enum Tag {
  Undefined = 0x00,
  Null = 0x01,
  False = 0x02,
  True = 0x03,
  Number = 0x04,
  BigInt = 0x05,
  String = 0x06,
  Array = 0x07,
  Object = 0x08,
  Binary = 0x09,
  Date = 0x0a,
}

const BINARY_KINDS = new Map<string, number>([
  ['ArrayBuffer', 0],
  ['Uint8Array', 1],
  ['Int8Array', 2],
  ['Uint8ClampedArray', 3],
  ['Uint16Array', 4],
  ['Int16Array', 5],
  ['Uint32Array', 6],
  ['Int32Array', 7],
  ['Float32Array', 8],
  ['Float64Array', 9],
  ['BigUint64Array', 10],
  ['BigInt64Array', 11],
  ['DataView', 12],
]);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value);
    this.length += 8;
  }

  raw(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** Length-prefixed WTF-8: UTF-8, except lone surrogates are written as their own 3-byte form. */
  string(text: string): void {
    this.reserve(4 + text.length * 3);
    const lengthAt = this.length;
    this.length += 4;
    const out = this.bytes;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        out[at++] = code;
        continue;
      }
      if (code < 0x800) {
        out[at++] = 0xc0 | (code >> 6);
        out[at++] = 0x80 | (code & 0x3f);
        continue;
      }
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
          out[at++] = 0xf0 | (code >> 18);
          out[at++] = 0x80 | ((code >> 12) & 0x3f);
          out[at++] = 0x80 | ((code >> 6) & 0x3f);
          out[at++] = 0x80 | (code & 0x3f);
          continue;
        }
      }
      out[at++] = 0xe0 | (code >> 12);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    }
    this.view.setUint32(lengthAt, at - this.length);
    this.length = at;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function invalid(message: string, path: string): never {
  throw new ChunkwiseError('INVALID_ARGUMENT', `hashKey: ${message} at ${path || 'the top level'}.`, {
    details: { path },
  });
}

function encodeBinary(writer: ByteWriter, value: ArrayBuffer | ArrayBufferView, kind: number): void {
  const bytes =
    value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  writer.byte(Tag.Binary);
  writer.byte(kind);
  writer.u32(bytes.length);
  const elementSize = ArrayBuffer.isView(value) && 'BYTES_PER_ELEMENT' in value ? (value.BYTES_PER_ELEMENT as number) : 1;
  if (LITTLE_ENDIAN || elementSize === 1) {
    writer.raw(bytes);
    return;
  }
  // Big-endian host: write elements little-endian so the hash is the same on every machine.
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += elementSize) {
    for (let j = 0; j < elementSize; j++) swapped[i + j] = bytes[i + elementSize - 1 - j]!;
  }
  writer.raw(swapped);
}

/** Nesting deeper than this is refused: real keys are shallow, and recursion must not overflow the stack. */
const MAX_DEPTH = 512;

function encodeValue(writer: ByteWriter, value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'undefined':
      writer.byte(Tag.Undefined);
      return;
    case 'boolean':
      writer.byte(value ? Tag.True : Tag.False);
      return;
    case 'number':
      writer.byte(Tag.Number);
      // One NaN and one zero: equal as data, so equal as keys.
      writer.f64(Number.isNaN(value) ? Number.NaN : value === 0 ? 0 : value);
      return;
    case 'bigint':
      writer.byte(Tag.BigInt);
      writer.string(value.toString(10));
      return;
    case 'string':
      writer.byte(Tag.String);
      writer.string(value);
      return;
    case 'function':
    case 'symbol':
      invalid(`a ${typeof value} cannot be hashed`, path);
  }
  if (value === null) {
    writer.byte(Tag.Null);
    return;
  }
  const object = value as object;
  if (ancestors.has(object)) invalid('a circular reference cannot be hashed', path);
  if (ancestors.size >= MAX_DEPTH) invalid(`values nested more than ${MAX_DEPTH} levels deep cannot be hashed`, path.slice(0, 200));

  if (object instanceof ArrayBuffer || ArrayBuffer.isView(object)) {
    const kind = BINARY_KINDS.get(object.constructor.name);
    if (kind === undefined) invalid(`binary type ${object.constructor.name} is not supported`, path);
    encodeBinary(writer, object, kind);
    return;
  }
  if (object instanceof Date) {
    const time = object.getTime();
    if (Number.isNaN(time)) invalid('an invalid Date cannot be hashed', path);
    writer.byte(Tag.Date);
    writer.f64(time);
    return;
  }

  ancestors.add(object);
  if (Array.isArray(object)) {
    writer.byte(Tag.Array);
    writer.u32(object.length);
    for (let i = 0; i < object.length; i++) encodeValue(writer, object[i], `${path}[${i}]`, ancestors);
  } else {
    const prototype = Object.getPrototypeOf(object) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (object as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      invalid(`only plain objects, arrays, primitives, Dates and binary data can be hashed, not ${name}`, path);
    }
    const record = object as Record<string, unknown>;
    // Default sort compares UTF-16 code units: deterministic on every engine.
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    writer.byte(Tag.Object);
    writer.u32(keys.length);
    for (const key of keys) {
      writer.string(key);
      encodeValue(writer, record[key], path ? `${path}.${key}` : key, ancestors);
    }
  }
  ancestors.delete(object);
}

/**
 * The canonical bytes `hashKey` hashes. Exposed so other languages can reproduce keys and so tests
 * can check the encoding itself.
 */
export function canonicalEncode(value: unknown): Uint8Array {
  const writer = new ByteWriter();
  writer.byte(VERSION[0]);
  writer.byte(VERSION[1]);
  encodeValue(writer, value, '', new Set());
  return writer.result();
}

const SMALL_INPUT_BYTES = 16 * 1024;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of a byte array. */
export function toHex(bytes: Uint8Array): string {
  expectArgument(bytes instanceof Uint8Array, 'toHex() bytes', 'a Uint8Array', bytes);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/**
 * A stable content key: lower-case hex SHA-256 of `canonicalEncode(value)`: the same key for the
 * same data in Node and browsers. Encodings up to 16 KiB hash in JavaScript (no per-call async
 * overhead), larger ones with WebCrypto.
 *
 * @example await hashKey({ model: 'text-embedding-3-small', text: 'Call me Ishmael.' })
 */
export async function hashKey(value: unknown): Promise<string> {
  const bytes = canonicalEncode(value);
  // Small keys (the common case: a cache lookup) hash synchronously in JS; WebCrypto's per-call
  // overhead dominates below this size, and its native speed wins above it.
  if (bytes.length <= SMALL_INPUT_BYTES) return toHex(sha256(bytes));
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new ChunkwiseError('UNSUPPORTED', 'hashKey needs WebCrypto (globalThis.crypto.subtle), found in Node >= 19 and all current browsers (secure contexts).');
  }
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}
