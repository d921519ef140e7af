import { seededRandom } from '@chunkwise/core';
import { resolveOptions, type AttentionOptions, type AttentionResult } from '../attention-options.js';
import type { AttentionShape } from '../attention-shape.js';
import { TileCoverage, type AttentionMask } from '../masks/attention-mask.js';
import { attentionSinksMask } from '../masks/attention-sinks.js';
import { blockSparseMask } from '../masks/block-sparse.js';
import { intersectMasks, unionMasks } from '../masks/combine-masks.js';
import { lambdaShapedMask } from '../masks/lambda-shaped.js';
import { prefixMask } from '../masks/prefix.js';
import { slidingWindowMask } from '../masks/sliding-window.js';
import { referenceAttention64 } from '../reference-attention.js';
import { dhsaSelect } from '../selectors/dhsa.js';
import { longHeadsSelect } from '../selectors/longheads.js';
import { buildKeyClusters, squeezedAttentionSelect } from '../selectors/squeezed-attention.js';
import { randomInputs } from './attention-inputs.js';

/** One non-finite value written over every element of one key's k or v row (in every KV head). */
export interface Poison {
  tensor: 'k' | 'v';
  value: number;
}

export const POISONS: readonly Poison[] = [
  { tensor: 'v', value: Number.NaN },
  { tensor: 'v', value: Number.POSITIVE_INFINITY },
  { tensor: 'v', value: Number.NEGATIVE_INFINITY },
  { tensor: 'k', value: Number.NaN },
  { tensor: 'k', value: Number.POSITIVE_INFINITY },
  { tensor: 'k', value: Number.NEGATIVE_INFINITY },
];

export const poisonName = ({ tensor, value }: Poison) => `${String(value)} in ${tensor}`;

export interface PoisonCase {
  name: string;
  shape: AttentionShape;
  options: AttentionOptions;
  /** Keys poisoned one at a time; each is hidden from some rows by the case's mask. */
  keys: number[];
  seed: number;
}

/**
 * Every mask type over one small GQA shape, plus the shapes that reach the kernels' corner paths
 * (odd tile sizes, a head size that is not a multiple of four, decoding rows after a cache). The
 * poisoned keys sit where the mask hides them from some rows but not others — key 9 is hidden
 * from row 8 by causality alone, inside the same group of four rows and the same key tile.
 */
export function poisonCases(): PoisonCase[] {
  const shape = { heads: 4, kvHeads: 2, seqQ: 160, seqK: 160, headDim: 16 };
  const seed = 91;
  const { q, k } = randomInputs(shape, seed);
  const blocks = Math.ceil(160 / 32);
  const random = seededRandom(5);
  const layout = Uint8Array.from({ length: 2 * blocks * blocks }, (_, i) => (i % (blocks + 1) === 0 || random() < 0.4 ? 1 : 0));
  const evenKeys: AttentionMask = {
    description: 'even keys (hand-written, Partial tiles)',
    allows: (_h, query, key) => key % 2 === 0 && key <= query,
    tile: () => TileCoverage.Partial,
  };
  const masks: [string, AttentionMask | undefined][] = [
    ['causal only', undefined],
    ['sliding window 40', slidingWindowMask({ window: 40 })],
    ['prefix 50', prefixMask(50)],
    ['sinks 4 + window 30', attentionSinksMask({ sinks: 4, window: 30 })],
    ['Λ global 6, local 30', lambdaShapedMask({ global: 6, local: 30 })],
    ['block-sparse 32, per head', blockSparseMask({ blockSize: 32, queryBlocks: blocks, keyBlocks: blocks, layout, heads: 2 })],
    ['window 60 ∩ block-sparse', intersectMasks(slidingWindowMask({ window: 60 }), blockSparseMask({ blockSize: 32, queryBlocks: blocks, keyBlocks: blocks, layout, heads: 2 }))],
    ['prefix 3 ∪ window 20', unionMasks(prefixMask(3), slidingWindowMask({ window: 20 }))],
    ['DHSA selection', dhsaSelect(q, k, shape, { topTokens: 48, localTokens: 16, queryBlock: 32 })],
    ['Squeezed Attention selection', squeezedAttentionSelect(q, k, shape, buildKeyClusters(k, shape, { clusters: 8 }), { keepFraction: 0.3, queryBlock: 32 })],
    ['LongHeads selection', longHeadsSelect(q, k, shape, { chunkSize: 16, maxChunks: 4, queryBlock: 32 })],
    ['hand-written mask without tiles', evenKeys],
  ];
  const cases: PoisonCase[] = masks.map(([name, mask]) => ({ name, shape, options: { causal: true, ...(mask ? { mask } : {}) }, keys: [9, 100], seed }));
  cases.push(
    { name: 'non-causal sliding window 40', shape, options: { mask: slidingWindowMask({ window: 40 }) }, keys: [9, 100], seed },
    { name: 'causal, blockQ 5, blockK 13', shape, options: { causal: true, blockQ: 5, blockK: 13 }, keys: [9, 27], seed },
    { name: 'causal, headDim 7', shape: { ...shape, headDim: 7 }, options: { causal: true }, keys: [9, 130], seed },
    { name: 'decoding 6 rows after 290 cached keys', shape: { heads: 2, kvHeads: 1, seqQ: 6, seqK: 296, headDim: 16 }, options: { causal: true }, keys: [293, 295], seed },
    {
      name: 'decoding, sinks 4 + window 64, evicted middle',
      shape: { heads: 2, kvHeads: 1, seqQ: 2, seqK: 600, headDim: 16 },
      options: { causal: true, mask: attentionSinksMask({ sinks: 4, window: 64 }) },
      keys: [300, 599],
      seed,
    },
  );
  return cases;
}

/** Copies of k and v with `key` (every KV head) overwritten by the poison. */
export function poisonKey(k: Float32Array, v: Float32Array, shape: AttentionShape, key: number, poison: Poison) {
  const out = { k: Float32Array.from(k), v: Float32Array.from(v) };
  const target = out[poison.tensor];
  for (let h = 0; h < shape.kvHeads; h++) {
    const base = (h * shape.seqK + key) * shape.headDim;
    target.fill(poison.value, base, base + shape.headDim);
  }
  return out;
}

export interface PoisonCheck {
  name: string;
  /** Rows the poisoned key was hidden from. */
  cleanRows: number;
  /** Worst |out − ref| over clean rows, relative to their largest |ref|. */
  outputError: number;
  /** Worst LSE error over clean rows (Infinity when a −∞ row is not −∞). */
  lseError: number;
  /** Every clean row's output is finite. */
  finite: boolean;
}

/**
 * Runs one case with each key poisoned in turn by each poison and compares the rows the mask hides
 * that key from with the float64 reference on the clean inputs: masked keys must contribute
 * nothing, whatever they hold.
 */
export async function checkPoisonCase(
  testCase: PoisonCase,
  run: (q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, options: AttentionOptions) => AttentionResult | Promise<AttentionResult>,
  label: string,
  poisons: readonly Poison[] = POISONS,
): Promise<PoisonCheck[]> {
  const { shape, options, keys, seed } = testCase;
  const { q, k, v } = randomInputs(shape, seed);
  const resolved = resolveOptions(shape, options);
  const expected = referenceAttention64(q, k, v, shape, resolved);
  const checks: PoisonCheck[] = [];
  for (const key of keys) {
    const hidden = hiddenRows(shape, resolved.queryOffset, resolved.combinedMask, key);
    for (const poison of poisons) {
      const poisoned = poisonKey(k, v, shape, key, poison);
      const result = await run(q, poisoned.k, poisoned.v, shape, { ...options, returnLse: true });
      checks.push({ name: `${label}: ${testCase.name}, ${poisonName(poison)} at key ${key}`, ...compareRows(result, expected, hidden, shape.headDim) });
    }
  }
  return checks;
}

/** Row indices (`head · seqQ + i`) that `mask` hides `key` from. */
export function hiddenRows(shape: AttentionShape, queryOffset: number, mask: AttentionMask | undefined, key: number): number[] {
  const rows: number[] = [];
  if (!mask) return rows;
  for (let h = 0; h < shape.heads; h++) {
    for (let i = 0; i < shape.seqQ; i++) if (!mask.allows(h, queryOffset + i, key)) rows.push(h * shape.seqQ + i);
  }
  return rows;
}

function compareRows(result: AttentionResult, expected: { output: Float64Array; lse: Float64Array }, rows: number[], d: number): Omit<PoisonCheck, 'name'> {
  let worst = 0;
  let scale = 0;
  let lseError = 0;
  let finite = true;
  for (const row of rows) {
    for (let c = 0; c < d; c++) {
      const got = result.output[row * d + c] as number;
      const want = expected.output[row * d + c] as number;
      if (!Number.isFinite(got)) finite = false;
      const error = Math.abs(got - want);
      worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
      scale = Math.max(scale, Math.abs(want));
    }
    const want = expected.lse[row] as number;
    const got = result.lse?.[row] ?? Number.NaN;
    if (want === Number.NEGATIVE_INFINITY) {
      if (got !== Number.NEGATIVE_INFINITY) lseError = Number.POSITIVE_INFINITY;
      continue;
    }
    const error = Math.abs(got - want) / Math.max(1, Math.abs(want));
    lseError = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(lseError, error);
  }
  return { cleanRows: rows.length, outputError: scale === 0 ? worst : worst / scale, lseError, finite };
}
