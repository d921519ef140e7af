import { ChunkwiseError } from '@chunkwise/core';
import { checkFunction, checkInteger, checkOptions } from '../argument-checks.js';
import { instantiateKernels, wasmModule } from '../wasm/wasm-kernels.js';

export interface SimdPeakOptions {
  /** Multiply-add steps per chain (default 20 million). */
  iterations?: number;
  /** Milliseconds clock; default `performance.now()`. Pass a CPU-time clock on a shared machine. */
  clock?: () => number;
}

/**
 * This machine's single-thread WebAssembly SIMD peak in GFLOP/s: eight independent f32x4
 * multiply-then-add chains (no relaxed FMA), 16 FLOPs per chain step, best of three.
 * Kernels are reported against it.
 */
export function simdPeakGflops(options: SimdPeakOptions = {}): number {
  const { iterations = 20_000_000, clock = () => performance.now() } = checkOptions(options, 'options');
  // int32 in the kernel; 10⁹ steps take a few seconds.
  checkInteger(iterations, 'iterations', 1000, 1_000_000_000);
  checkFunction(clock, 'clock');
  const module = wasmModule();
  if (!module) throw new ChunkwiseError('UNSUPPORTED', 'WebAssembly SIMD is not available here.');
  const kernels = instantiateKernels(module);
  kernels.simdPeak(100_000);
  let best = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = clock();
    kernels.simdPeak(iterations);
    const seconds = (clock() - start) / 1000;
    best = Math.max(best, (iterations * 8 * 4 * 2) / seconds / 1e9);
  }
  if (!(best > 0 && Number.isFinite(best))) throw new ChunkwiseError('INVALID_ARGUMENT', 'clock() must return increasing milliseconds; the timed runs measured no time.');
  return best;
}
