import { isChunkwiseError } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { attentionAsync, webgpuAvailable } from '../attention-async.js';
import { attention, defaultBackend } from '../attention.js';
import { resolveOptions } from '../attention-options.js';
import { TileCoverage } from '../masks/attention-mask.js';
import { attentionSinksMask } from '../masks/attention-sinks.js';
import { blockSparseMask } from '../masks/block-sparse.js';
import { slidingWindowMask } from '../masks/sliding-window.js';
import { randomInputs } from '../__fixtures__/attention-inputs.js';
import { gpuBlockK } from './flash-shader.js';
import { buildTileSchedule, headIndependent } from './tile-schedule.js';
import { WebGpuAttention } from './webgpu-attention.js';
import type { WebGpuAdapterLike, WebGpuDeviceLike, WebGpuEntry } from './webgpu-types.js';

// The WGSL kernels themselves run against the float64 reference in headless Chromium
// (browser.test.ts); Node has no adapter here, so these tests cover selection and planning.
const shape = { heads: 4, kvHeads: 2, seqQ: 200, seqK: 200, headDim: 16 };
const { q, k, v } = randomInputs(shape, 3);
const noAdapter: WebGpuEntry = { requestAdapter: () => Promise.resolve(null) };

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isChunkwiseError(error) ? error.code : String(error);
  }
  return 'none';
}

describe('backend selection', () => {
  it("'auto' runs the CPU kernels, bit for bit, when there is no adapter", async () => {
    for (const gpu of [undefined, noAdapter]) {
      const result = await attentionAsync(q, k, v, shape, { causal: true, ...(gpu ? { gpu } : {}) });
      expect(result.backend).toBe(defaultBackend());
      expect(result.output).toEqual(attention(q, k, v, shape, { causal: true }).output);
    }
    expect(await webgpuAvailable(noAdapter)).toBe(false);
  });

  it("backend 'webgpu' without an adapter throws UNSUPPORTED, never a silent CPU run", async () => {
    expect(await code(attentionAsync(q, k, v, shape, { backend: 'webgpu' }))).toBe('UNSUPPORTED');
    expect(await code(attentionAsync(q, k, v, shape, { backend: 'webgpu', gpu: noAdapter }))).toBe('UNSUPPORTED');
    expect(await code(WebGpuAttention.create({ gpu: noAdapter }))).toBe('UNSUPPORTED');
  });

  it("the synchronous attention() refuses 'webgpu' with UNSUPPORTED and names attentionAsync", () => {
    expect(() => attention(q, k, v, shape, { backend: 'webgpu' })).toThrow(/attentionAsync/);
  });

  it("takes WebGPU's own GPU, GPUAdapter and GPUDevice where its structural types are asked for", () => {
    // Checked by the compiler (pnpm typecheck has the DOM lib): the published declarations use
    // webgpu-types.ts instead of WebGPU's names, and the real objects must still fit them.
    const fits = (gpu: GPU, adapter: GPUAdapter, device: GPUDevice): [WebGpuEntry, WebGpuAdapterLike, WebGpuDeviceLike] => [gpu, adapter, device];
    expect(fits).toBeTypeOf('function');
  });

  it('validates inputs before looking for a GPU', async () => {
    expect(await code(attentionAsync(q.subarray(1), k, v, shape, { backend: 'webgpu' }))).toBe('INVALID_ARGUMENT');
  });
});

describe('tile schedule', () => {
  const blockQ = 64;
  const blockK = gpuBlockK(shape.headDim);

  function entriesOf(plan: ReturnType<typeof buildTileSchedule>, head: number, tile: number): [number, number][] {
    const cell = head * plan.qTiles + tile;
    const first = plan.schedule[2 * cell] as number;
    const count = plan.schedule[2 * cell + 1] as number;
    return Array.from({ length: count }, (_, e) => [plan.schedule[2 * (first + e)] as number, plan.schedule[2 * (first + e) + 1] as number]);
  }

  it('causal: skips tiles above the diagonal and compares only on it', () => {
    const plan = buildTileSchedule(shape, resolveOptions(shape, { causal: true }), blockQ, blockK);
    for (let t = 0; t < plan.qTiles; t++) {
      const lastQuery = Math.min(shape.seqQ, (t + 1) * blockQ) - 1;
      for (const [keyTile, info] of entriesOf(plan, 0, t)) {
        expect(keyTile * blockK).toBeLessThanOrEqual(lastQuery);
        expect(info).toBe((keyTile + 1) * blockK - 1 <= t * blockQ ? 0 : 1);
      }
      expect(entriesOf(plan, 0, t)).toHaveLength(Math.ceil((lastQuery + 1) / blockK));
    }
  });

  it('masks: lists only tiles with a visible key, and each bit equals allows()', () => {
    for (const mask of [slidingWindowMask({ window: 30 }), attentionSinksMask({ sinks: 4, window: 20 })]) {
      const resolved = resolveOptions(shape, { causal: true, mask });
      const plan = buildTileSchedule(shape, resolved, blockQ, blockK);
      for (let t = 0; t < plan.qTiles; t++) {
        const p0 = t * blockQ;
        const rows = Math.min(blockQ, shape.seqQ - p0);
        const listed = new Set<number>();
        for (const [keyTile, info] of entriesOf(plan, 2, t)) {
          listed.add(keyTile);
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < blockK && keyTile * blockK + c < shape.seqK; c++) {
              const allowed = resolved.combinedMask?.allows(2, p0 + r, keyTile * blockK + c) ?? true;
              const bit = r * blockK + c;
              const seen = (info & 3) === 0 || ((plan.bits[(info >> 2) + (bit >>> 5)] as number) >>> (bit & 31)) & 1;
              expect(Boolean(seen), `tile ${t}, key tile ${keyTile}, row ${r}, key ${c}`).toBe(allowed);
            }
          }
        }
        for (let keyTile = 0; keyTile < Math.ceil(shape.seqK / blockK); keyTile++) {
          if (listed.has(keyTile)) continue;
          const k0 = keyTile * blockK;
          expect(resolved.combinedMask?.tile(2, p0, p0 + rows, k0, Math.min(shape.seqK, k0 + blockK))).toBe(TileCoverage.Empty);
        }
      }
    }
  });

  it('plans once for head-independent masks and per head otherwise', () => {
    expect(headIndependent({ kind: 'attentionSinks', sinks: 4, window: 8 })).toBe(true);
    const layout = new Uint8Array(2 * 4 * 4);
    layout[0] = 1;
    layout[16 + 5] = 1;
    const perHead = blockSparseMask({ blockSize: 64, queryBlocks: 4, keyBlocks: 4, layout, heads: 2 });
    expect(headIndependent(perHead.spec as NonNullable<typeof perHead.spec>)).toBe(false);
    const plan = buildTileSchedule(shape, resolveOptions(shape, { mask: perHead }), blockQ, blockK);
    expect(entriesOf(plan, 0, 0).length).toBeGreaterThan(0);
    expect(entriesOf(plan, 1, 0)).toHaveLength(0);
  });
});
