import type * as Ort from 'onnxruntime-node';
import { loadPeer } from './load-peer.js';
import { onnxAttentionModel } from './onnx-attention-model.js';

/** onnxruntime-node's native CPU Attention-23 (MLAS), one intra-op thread like our single-thread kernels. */
export async function onnxAttention(heads: number, n: number, d: number, threads = 1) {
  const ort = await loadPeer<typeof Ort>('onnxruntime-node');
  const session = await ort.InferenceSession.create(onnxAttentionModel(heads, n, d, true), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  return {
    async run(q: Float32Array, k: Float32Array, v: Float32Array): Promise<Float32Array> {
      const dims = [1, heads, n, d];
      const result = await session.run({ Q: new ort.Tensor('float32', q, dims), K: new ort.Tensor('float32', k, dims), V: new ort.Tensor('float32', v, dims) });
      return (result.Y as Ort.Tensor).data as Float32Array;
    },
    release: () => session.release(),
  };
}
