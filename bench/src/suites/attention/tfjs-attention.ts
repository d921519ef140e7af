import type * as TF from '@tensorflow/tfjs-core';
import { loadPeer } from './load-peer.js';

let tf: typeof TF;
let ready: Promise<void> | undefined;

/** TensorFlow.js on its WebAssembly backend (XNNPACK, SIMD, one thread in Node). */
export function tfjsReady(): Promise<void> {
  ready ??= (async () => {
    tf = await loadPeer<typeof TF>('@tensorflow/tfjs-core');
    await loadPeer('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  })();
  return ready;
}

/**
 * The fast path measured in the research notes: one 2-D matMul per head with an explicit Kᵀ
 * (the batched / transposeB form misses XNNPACK and runs ~9× slower), an additive causal bias,
 * softmax, then P·V. Inputs are `[heads][n][d]`. To favour the peer, the scale is folded into Q
 * (an n×d multiply instead of n×n) and the n×n bias tensor is built once per length and kept.
 */
export function tfjsCausalAttention(q: Float32Array, k: Float32Array, v: Float32Array, heads: number, n: number, d: number): Float32Array {
  const bias = causalBias(n);
  return tf.tidy(() => {
    const scale = tf.scalar(1 / Math.sqrt(d));
    const outputs: TF.Tensor2D[] = [];
    for (let h = 0; h < heads; h++) {
      const slice = (x: Float32Array) => tf.tensor2d(x.subarray(h * n * d, (h + 1) * n * d), [n, d]);
      const scores = tf.add(tf.matMul(tf.mul(slice(q), scale), tf.transpose(slice(k))), bias);
      outputs.push(tf.matMul(tf.softmax(scores), slice(v)));
    }
    return tf.concat(outputs, 0).dataSync() as Float32Array;
  });
}

const biasCache = new Map<number, TF.Tensor2D>();
function causalBias(n: number): TF.Tensor2D {
  let bias = biasCache.get(n);
  if (!bias) {
    const values = new Float32Array(n * n);
    for (let i = 0; i < n; i++) values.fill(-1e9, i * n + i + 1, (i + 1) * n);
    bias = tf.tensor2d(values, [n, n]);
    biasCache.set(n, bias);
  }
  return bias;
}
