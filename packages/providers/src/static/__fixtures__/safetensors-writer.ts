// Writes a real safetensors file byte by byte, as huggingface/safetensors lays it out: an 8-byte
// little-endian header length, the JSON header (padded with spaces to 8 bytes), then the data.
export interface TensorSpec {
  dtype: 'F32' | 'F16' | 'BF16' | 'F64' | 'I8';
  shape: number[];
  values: ArrayLike<number>;
}

function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign | (exponent < -10 ? 0 : ((mantissa | 0x800000) >> (1 - exponent + 13)));
  if (exponent >= 0x1f) return sign | 0x7c00;
  return sign | (exponent << 10) | (mantissa >> 13);
}

function encode(spec: TensorSpec): Uint8Array {
  const n = spec.values.length;
  const width = { F32: 4, F16: 2, BF16: 2, F64: 8, I8: 1 }[spec.dtype];
  const out = new Uint8Array(n * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = spec.values[i]!;
    if (spec.dtype === 'F32') view.setFloat32(i * 4, v, true);
    else if (spec.dtype === 'F64') view.setFloat64(i * 8, v, true);
    else if (spec.dtype === 'F16') view.setUint16(i * 2, floatToHalf(v), true);
    else if (spec.dtype === 'BF16') view.setUint16(i * 2, new Uint32Array(new Float32Array([v]).buffer)[0]! >>> 16, true);
    else view.setInt8(i, v);
  }
  return out;
}

export function writeSafetensors(tensors: Record<string, TensorSpec>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, spec] of Object.entries(tensors)) {
    const blob = encode(spec);
    header[name] = { dtype: spec.dtype, shape: spec.shape, data_offsets: [offset, offset + blob.length] };
    blobs.push(blob);
    offset += blob.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  view.setUint32(4, 0, true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}
