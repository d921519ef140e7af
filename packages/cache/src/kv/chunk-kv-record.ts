import { ChunkwiseError } from '@chunkwise/core';
import { swapBytes } from '../content/value-codec.js';

/** KV a slower tier can hold: one Float32Array, or several (per layer, or K and V). */
export type SpillableKV = Float32Array | readonly Float32Array[];

/** What a spilled chunk carries besides its KV: enough to plan with it and rank it again. */
export interface ChunkKVRecordMeta {
  length: number;
  position: number;
  prefixKeys: string[];
  bytes: number;
  cost: number;
  frequency: number;
}

// Layout: 'CKV' + version (4 bytes) | u32 LE meta length | meta JSON (UTF-8) | zero padding to a
// multiple of 4 | the floats, little-endian. Meta JSON adds `parts` (float count per array, or -1
// for a single Float32Array), so the KV comes back in the shape it was stored in.
const MAGIC = [0x43, 0x4b, 0x56, 1] as const;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function isSpillableKV(kv: unknown): kv is SpillableKV {
  return kv instanceof Float32Array || (Array.isArray(kv) && kv.every((part) => part instanceof Float32Array));
}

/** `impact` (per-token context impact, optional) travels as a last array after the KV. */
export function encodeChunkKVRecord(meta: ChunkKVRecordMeta, kv: SpillableKV, impact?: Float32Array): Uint8Array {
  const parts = [...(kv instanceof Float32Array ? [kv] : kv), ...(impact ? [impact] : [])];
  const shape = kv instanceof Float32Array ? -1 : kv.map((p) => p.length);
  const header = encoder.encode(JSON.stringify({ ...meta, parts: shape, ...(impact ? { impact: impact.length } : {}) }));
  const floatsAt = (8 + header.length + 3) & ~3;
  const floats = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(floatsAt + floats * 4);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  let at = floatsAt;
  for (const part of parts) {
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += part.byteLength;
  }
  if (!LITTLE_ENDIAN) swapBytes(out.subarray(floatsAt), 4);
  return out;
}

export function decodeChunkKVRecord(bytes: Uint8Array, key: string): { meta: ChunkKVRecordMeta; kv: SpillableKV; impact?: Float32Array } {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt(key, 'it is not a chunk KV record (wrong header)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const floatsAt = (8 + headerLength + 3) & ~3;
  if (floatsAt > bytes.length) throw corrupt(key, 'its header runs past the end');
  let meta: ChunkKVRecordMeta & { parts: number | number[]; impact?: number };
  try {
    meta = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLength))) as typeof meta;
  } catch (cause) {
    throw corrupt(key, 'its header does not parse', cause);
  }
  const impactCount = meta.impact ?? 0;
  const counts = meta.parts === -1 ? [(bytes.length - floatsAt) / 4 - impactCount] : meta.parts;
  const valid =
    Array.isArray(counts) &&
    Number.isSafeInteger(impactCount) &&
    impactCount >= 0 &&
    counts.every((n) => Number.isSafeInteger(n) && n >= 0) &&
    floatsAt + 4 * (counts.reduce((a, b) => a + b, 0) + impactCount) === bytes.length &&
    [meta.length, meta.position, meta.bytes, meta.frequency].every((n) => Number.isSafeInteger(n) && n >= 0) &&
    Number.isFinite(meta.cost) &&
    Array.isArray(meta.prefixKeys) &&
    meta.prefixKeys.every((k) => typeof k === 'string');
  if (!valid) throw corrupt(key, 'its header does not match its size');
  // One aligned copy: the store's bytes may sit at any offset and may be reused.
  const copy = bytes.slice(floatsAt);
  if (!LITTLE_ENDIAN) swapBytes(copy, 4);
  const floats = new Float32Array(copy.buffer);
  let at = 0;
  const parts = counts.map((n) => floats.subarray(at, (at += n)));
  const { length, position, prefixKeys, bytes: size, cost, frequency } = meta;
  const decoded = { meta: { length, position, prefixKeys, bytes: size, cost, frequency }, kv: meta.parts === -1 ? parts[0]! : parts };
  return meta.impact === undefined ? decoded : { ...decoded, impact: floats.subarray(at, at + impactCount) };
}

function corrupt(key: string, why: string, cause?: unknown): ChunkwiseError {
  return new ChunkwiseError('CORRUPT_DATA', `ChunkKVCache: the spilled entry "${key}" cannot be read: ${why}.`, {
    details: { key },
    ...(cause === undefined ? {} : { cause }),
  });
}
