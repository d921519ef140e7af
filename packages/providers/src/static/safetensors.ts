import { ChunkwiseError } from '@chunkwise/core';

/** Element types this reader converts to float32. */
const ELEMENT_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I8: 1 };

export interface SafetensorsTensor {
  dtype: string;
  shape: number[];
  /** The values as float32, converted from the stored type on first access. */
  values(): Float32Array;
}

export interface Safetensors {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

function corrupt(message: string, details: Record<string, unknown> = {}): ChunkwiseError {
  return new ChunkwiseError('CORRUPT_DATA', `Not a readable safetensors file: ${message}.`, { details });
}

/**
 * Reads a safetensors file (huggingface/safetensors: an 8-byte little-endian header length, a JSON
 * header of `name → { dtype, shape, data_offsets }`, then the raw little-endian data). Every offset
 * is checked against the file, so a truncated or damaged file is CORRUPT_DATA, never garbage.
 * F32, F16, BF16, F64 and I8 tensors are read.
 */
export function parseSafetensors(bytes: Uint8Array): Safetensors {
  if (!(bytes instanceof Uint8Array)) throw new ChunkwiseError('INVALID_ARGUMENT', 'parseSafetensors needs the file as a Uint8Array.');
  if (bytes.byteLength < 8) throw corrupt(`${bytes.byteLength} bytes is shorter than the 8-byte header length`, { bytes: bytes.byteLength });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength < 2 || 8 + headerLength > bytes.byteLength) {
    throw corrupt(`the header claims ${headerLength} bytes but the file has ${bytes.byteLength - 8} after the length (truncated?)`, { headerLength, bytes: bytes.byteLength });
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    throw new ChunkwiseError('CORRUPT_DATA', 'Not a readable safetensors file: its header is not JSON (truncated or damaged).', { cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt('the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry === 'object' && entry !== null) metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') throw corrupt(`tensor ${JSON.stringify(name)} has no dtype`);
    if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw corrupt(`tensor ${JSON.stringify(name)} has a bad shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      throw corrupt(`tensor ${JSON.stringify(name)} has bad data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) throw corrupt(`tensor ${JSON.stringify(name)} lies outside the file (${begin}–${end} of ${dataLength} data bytes)`, { name, begin, end, dataLength });
    const size = (shape as number[]).reduce((product, n) => product * n, 1);
    const width = ELEMENT_BYTES[dtype];
    if (width !== undefined && size * width !== end - begin) {
      throw corrupt(`tensor ${JSON.stringify(name)} has ${end - begin} bytes for ${size} ${dtype} values`, { name });
    }
    const raw = bytes.subarray(dataStart + begin, dataStart + end);
    let converted: Float32Array | undefined;
    tensors.set(name, {
      dtype,
      shape: [...(shape as number[])],
      values() {
        if (width === undefined) {
          throw new ChunkwiseError('UNSUPPORTED', `Tensor ${JSON.stringify(name)} is ${dtype}; F32, F16, BF16, F64 and I8 are supported.`, { details: { name, dtype } });
        }
        converted ??= toFloat32(raw, dtype, size);
        return converted;
      },
    });
  }
  return { tensors, metadata };
}

function toFloat32(raw: Uint8Array, dtype: string, size: number): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(size);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < size; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(1);
      const asFloat = new Float32Array(bits.buffer);
      for (let i = 0; i < size; i++) {
        bits[0] = view.getUint16(i * 2, true) << 16;
        out[i] = asFloat[0]!;
      }
      break;
    }
    case 'I8':
      for (let i = 0; i < size; i++) out[i] = view.getInt8(i);
      break;
  }
  return out;
}

/** IEEE 754 binary16 to a number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
