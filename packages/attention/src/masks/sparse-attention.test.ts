import { seededRandom } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { attention } from '../attention.js';
import { resolveOptions } from '../attention-options.js';
import { flashAttentionInto } from '../flash-attention.js';
import { JsTileEngine } from '../js-tile-engine.js';
import { referenceAttention64 } from '../reference-attention.js';
import type { TileEngine } from '../tile-engine.js';
import { maxRelativeError, randomInputs } from '../__fixtures__/attention-inputs.js';
import type { AttentionMask } from './attention-mask.js';
import { attentionSinksMask } from './attention-sinks.js';
import { blockSparseMask } from './block-sparse.js';
import { lambdaShapedMask } from './lambda-shaped.js';
import { slidingWindowMask } from './sliding-window.js';

const shape = { heads: 4, kvHeads: 2, seqQ: 300, seqK: 300, headDim: 24 };
const random = seededRandom(9);
const blocks = Math.ceil(300 / 32);
const layout = Uint8Array.from({ length: blocks * blocks }, (_, i) => (i % (blocks + 1) === 0 || random() < 0.3 ? 1 : 0));

const masks: [string, AttentionMask][] = [
  ['sliding window', slidingWindowMask({ window: 50 })],
  ['StreamingLLM sinks + window', attentionSinksMask({ sinks: 4, window: 40 })],
  ['LM-Infinite Λ', lambdaShapedMask({ global: 10, local: 64 })],
  ['block-sparse', blockSparseMask({ blockSize: 32, queryBlocks: blocks, keyBlocks: blocks, layout })],
];

describe('every sparse mask equals reference attention restricted to the same keys', () => {
  const { q, k, v } = randomInputs(shape, 21);
  for (const [name, mask] of masks) {
    for (const causal of [true, false]) {
      it(`${name}${causal ? ', causal' : ''}: flash and decode, JS and WebAssembly`, () => {
        const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { mask, causal }));
        for (const backend of ['js', 'wasm'] as const) {
          for (const kernel of ['flash', 'decode'] as const) {
            const { output } = attention(q, k, v, shape, { mask, causal, backend, kernel, splitK: 70 });
            expect(maxRelativeError(output, expected.output), `${kernel}/${backend}`).toBeLessThanOrEqual(1e-4);
          }
        }
      });
    }
  }
});

class CountingEngine extends JsTileEngine implements TileEngine {
  tiles = 0;
  override tile(start: number, count: number, mode: 0 | 1 | 2, qPos0: number, kPos0: number): void {
    this.tiles++;
    super.tile(start, count, mode, qPos0, kPos0);
  }
}

describe('the flash kernel skips tiles a mask empties', () => {
  const big = { heads: 1, kvHeads: 1, seqQ: 1024, seqK: 1024, headDim: 4 };
  const { q, k, v } = randomInputs(big, 3);
  const tilesFor = (options: Parameters<typeof resolveOptions>[1]) => {
    const resolved = resolveOptions(big, options);
    const engine = new CountingEngine({ headDim: 4, scale: resolved.scale, blockQ: 64, blockK: 64 });
    flashAttentionInto({ q, k, v, shape: big, options: resolved, engine }, new Float32Array(1024 * 4), undefined);
    return engine.tiles;
  };

  it('dense visits 16 × 16 tiles, causal the lower triangle, a 64-window at most two per row', () => {
    expect(tilesFor({})).toBe(256);
    expect(tilesFor({ causal: true })).toBe(136);
    expect(tilesFor({ causal: true, mask: slidingWindowMask({ window: 64 }) })).toBe(31);
    expect(tilesFor({ causal: true, mask: attentionSinksMask({ sinks: 4, window: 64 }) })).toBe(45); // 1 + 2 + 14 × 3: the sink tile joins the two window tiles from row 2 on
  });
});
