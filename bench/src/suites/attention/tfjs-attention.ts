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
 * The fastest tfjs formulation we measured: one 2-D matMul per head with an explicit Kᵀ
 * (the batched / transposeB form misses XNNPACK and runs ~9× slower), an additive causal bias,
 * softmax, then P·V. Inputs are `[heads][n][d]`. To favour the peer, the scale is folded into Q
 * (an n×d multiply instead of n×n) and the n×n bias tensor is built once per length and kept.
 * Each head's intermediates are freed before the next head starts:
 * keeping all eight heads' n×n tensors alive in one `tidy` grows the WebAssembly heap to
 * hundreds of MiB and made tfjs 4× slower here (2.0 instead of 7.7 GFLOP/s per CPU-second at
 * n = 2048) — an artefact of the harness, not the peer's speed.
 */
export function tfjsCausalAttention(q: Float32Array, k: Float32Array, v: Float32Array, heads: number, n: number, d: number): Float32Array {
  const bias = causalBias(n);
  const output = new Float32Array(heads * n * d);
  for (let h = 0; h < heads; h++) {
    const head = tf.tidy(() => {
      const slice = (x: Float32Array) => tf.tensor2d(x.subarray(h * n * d, (h + 1) * n * d), [n, d]);
      const scores = tf.add(tf.matMul(tf.mul(slice(q), tf.scalar(1 / Math.sqrt(d))), tf.transpose(slice(k))), bias);
      return tf.matMul(tf.softmax(scores), slice(v));
    });
    output.set(head.dataSync() as Float32Array, h * n * d);
    head.dispose();
  }
  return output;
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
