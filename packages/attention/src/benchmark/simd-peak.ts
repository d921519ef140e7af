import { ChunkwiseError } from '@chunkwise/core';
import { instantiateKernels, wasmModule } from '../wasm/wasm-kernels.js';

/**
 * This machine's single-thread WebAssembly SIMD peak in GFLOP/s: eight independent f32x4
 * multiply-then-add chains (no relaxed FMA), 16 FLOPs per chain step. Kernels are reported against it.
 */
export function simdPeakGflops(iterations = 20_000_000): number {
  const module = wasmModule();
  if (!module) throw new ChunkwiseError('UNSUPPORTED', 'WebAssembly SIMD is not available here.');
  const kernels = instantiateKernels(module);
  kernels.simdPeak(100_000);
  let best = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = performance.now();
    kernels.simdPeak(iterations);
    const seconds = (performance.now() - start) / 1000;
    best = Math.max(best, (iterations * 8 * 4 * 2) / seconds / 1e9);
  }
  return best;
}
