// A hand-encoded ONNX model holding one Attention-23 node, so onnxruntime-node runs its native
// fused attention on our inputs without downloading or shipping a model file. Only the protobuf
// fields this graph needs are written (onnx.proto3: ModelProto, GraphProto, NodeProto, …).

class ProtoWriter {
  private readonly bytes: number[] = [];

  varint(field: number, value: number): this {
    this.tag(field, 0);
    this.raw(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.bytes.push(view.getUint8(i));
    return this;
  }

  string(field: number, value: string): this {
    return this.message(field, new TextEncoder().encode(value));
  }

  message(field: number, payload: Uint8Array | ProtoWriter): this {
    const data = payload instanceof ProtoWriter ? payload.finish() : payload;
    this.tag(field, 2);
    this.raw(data.length);
    for (const byte of data) this.bytes.push(byte);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  private tag(field: number, wire: number): void {
    this.raw((field << 3) | wire);
  }

  private raw(value: number): void {
    let v = value;
    while (v > 127) {
      this.bytes.push((v & 127) | 128);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
  }
}

function tensorValue(name: string, dims: number[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of dims) shape.message(1, new ProtoWriter().varint(1, dim));
  const tensor = new ProtoWriter().varint(1, 1 /* FLOAT */).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
}

/** Attention-23 over `[1, heads, seq, headDim]` Q, K, V with `is_causal` and an explicit scale. */
export function onnxAttentionModel(heads: number, seq: number, headDim: number, causal: boolean): Uint8Array {
  const dims = [1, heads, seq, headDim];
  const node = new ProtoWriter()
    .string(1, 'Q')
    .string(1, 'K')
    .string(1, 'V')
    .string(2, 'Y')
    .string(3, 'attention')
    .string(4, 'Attention')
    .message(5, new ProtoWriter().string(1, 'is_causal').varint(3, causal ? 1 : 0).varint(20, 2 /* INT */))
    .message(5, new ProtoWriter().string(1, 'scale').float(2, 1 / Math.sqrt(headDim)).varint(20, 1 /* FLOAT */));
  const graph = new ProtoWriter()
    .message(1, node)
    .string(2, 'attention')
    .message(11, tensorValue('Q', dims))
    .message(11, tensorValue('K', dims))
    .message(11, tensorValue('V', dims))
    .message(12, tensorValue('Y', dims));
  return new ProtoWriter()
    .varint(1, 10 /* ir_version */)
    .string(2, 'chunkwise-bench')
    .message(8, new ProtoWriter().string(1, '').varint(2, 23))
    .message(7, graph)
    .finish();
}
