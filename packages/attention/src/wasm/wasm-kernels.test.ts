import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTENTION_KERNELS_SOURCE_SHA256 } from './generated/attention-kernels.js';
import { instantiateKernels, wasmAvailable, wasmModule } from './wasm-kernels.js';

describe('embedded WebAssembly kernels', () => {
  it('were generated from the current assembly/attention-kernels.ts (run `pnpm build` after editing it)', () => {
    const source = readFileSync(new URL('../../assembly/attention-kernels.ts', import.meta.url));
    expect(createHash('sha256').update(source).digest('hex')).toBe(ATTENTION_KERNELS_SOURCE_SHA256);
  });

  it('compile and run here (Node has WebAssembly SIMD)', () => {
    expect(wasmAvailable()).toBe(true);
    const kernels = instantiateKernels(wasmModule() as WebAssembly.Module);
    // 8 registers × 4 lanes of x ↦ 0.999999·x + 1e-6 converge slowly towards 1; the sum stays near 8·4·1.35.
    const sum = kernels.simdPeak(1000);
    expect(sum).toBeGreaterThan(30);
    expect(sum).toBeLessThan(50);
    expect(kernels.heapBase() % 16).toBe(0);
  });
});
