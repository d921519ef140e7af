// The worked example: a tiny transformer layer with seeded random weights decodes step by step
// with PagedKVCache + @chunkwise/attention, and every output equals full recomputation; with a
// RadixPrefixCache, a second sequence sharing a prefix reuses the first one's blocks.
import { attention } from '@chunkwise/attention';
import { seededRandom } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { PagedKVCache } from './paged-kv-cache.js';
import { RadixPrefixCache } from './radix-prefix-cache.js';

const vocab = 32;
const dModel = 8;
const heads = 2;
const kvHeads = 2;
const headDim = 4;
const kvDim = kvHeads * headDim;

const next = seededRandom(42);
const rand = () => next() - 0.5;
const matrix = (rows: number, cols: number) => Float32Array.from({ length: rows * cols }, rand);
const embedding = matrix(vocab, dModel);
const wq = matrix(dModel, heads * headDim);
const wk = matrix(dModel, kvDim);
const wv = matrix(dModel, kvDim);
const wo = matrix(heads * headDim, dModel);

function project(x: Float32Array, w: Float32Array, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < x.length; r++) sum += x[r]! * w[r * cols + c]!;
    out[c] = sum;
  }
  return out;
}

const embed = (token: number) => embedding.subarray(token * dModel, (token + 1) * dModel);

/** [seq][kvHeads × headDim] (the cache's token-major layout) → [kvHeads][seq][headDim] (attention's). */
function headMajor(tokenMajor: Float32Array, seq: number): Float32Array {
  const out = new Float32Array(tokenMajor.length);
  for (let t = 0; t < seq; t++) {
    for (let h = 0; h < kvHeads; h++) out.set(tokenMajor.subarray(t * kvDim + h * headDim, t * kvDim + (h + 1) * headDim), (h * seq + t) * headDim);
  }
  return out;
}

/** Residual + output projection of one position's attention result ([heads][headDim]). */
function finish(x: Float32Array, attended: Float32Array): Float32Array {
  const projected = project(attended, wo, dModel);
  return Float32Array.from(x, (value, i) => value + projected[i]!);
}

/** Reference: the whole sequence at once with a causal mask. */
function fullRecompute(tokens: number[]): Float32Array[] {
  const n = tokens.length;
  const q = new Float32Array(heads * n * headDim);
  const keys = new Float32Array(n * kvDim);
  const values = new Float32Array(n * kvDim);
  tokens.forEach((token, t) => {
    const x = embed(token);
    const qt = project(x, wq, heads * headDim);
    for (let h = 0; h < heads; h++) q.set(qt.subarray(h * headDim, (h + 1) * headDim), (h * n + t) * headDim);
    keys.set(project(x, wk, kvDim), t * kvDim);
    values.set(project(x, wv, kvDim), t * kvDim);
  });
  const { output } = attention(q, headMajor(keys, n), headMajor(values, n), { heads, kvHeads, seqQ: n, seqK: n, headDim }, { causal: true, kernel: 'reference' });
  return tokens.map((token, t) => {
    const attended = new Float32Array(heads * headDim);
    for (let h = 0; h < heads; h++) attended.set(output.subarray((h * n + t) * headDim, (h * n + t + 1) * headDim), h * headDim);
    return finish(embed(token), attended);
  });
}

/** One decode step: append this token's K/V to the paged cache, attend over the cache. */
function decodeStep(cache: PagedKVCache, seq: number, token: number): Float32Array {
  const x = embed(token);
  cache.append(seq, project(x, wk, kvDim), project(x, wv, kvDim));
  const n = cache.length(seq);
  const { keys, values } = cache.gather(seq);
  const q = project(x, wq, heads * headDim);
  const { output } = attention(q, headMajor(keys, n), headMajor(values, n), { heads, kvHeads, seqQ: 1, seqK: n, headDim }, { kernel: 'reference' });
  return finish(x, output);
}

function expectClose(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  actual.forEach((row, t) => row.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - expected[t]![i]!)))));
  expect(worst).toBeLessThan(1e-6);
}

const promptA = [3, 14, 15, 9, 26, 5, 3, 5, 8, 9, 7, 9, 3, 2];
const promptB = [...promptA.slice(0, 10), 23, 8, 4, 6, 2, 6, 4, 3];

describe('worked example: a tiny transformer layer on PagedKVCache', () => {
  it('decodes step by step with outputs equal to full recomputation', () => {
    const cache = new PagedKVCache({ numBlocks: 16, blockSize: 4, kvDim });
    const seq = cache.createSequence();
    const steps = promptA.map((token) => decodeStep(cache, seq, token));
    expectClose(steps, fullRecompute(promptA));
    expect(cache.usedBlocks).toBe(Math.ceil(promptA.length / 4));
  });

  it('shares a cached prefix through RadixPrefixCache: the second sequence reuses the first one\'s blocks', () => {
    const cache = new PagedKVCache({ numBlocks: 16, blockSize: 4, kvDim });
    const prefixes = new RadixPrefixCache({ capacityTokens: 64, pageSize: 4, retain: (b) => cache.retain(b), release: (b) => cache.release(b) });

    const a = cache.createSequence();
    expectClose(promptA.map((token) => decodeStep(cache, a, token)), fullRecompute(promptA));
    const tableA = Array.from(cache.blockTable(a));
    const fullPages = Math.floor(promptA.length / 4);
    prefixes.insert(promptA.slice(0, fullPages * 4), tableA.slice(0, fullPages));
    cache.free(a); // the tree still holds A's full blocks

    const match = prefixes.match(promptB);
    expect(match.length).toBe(8); // promptB shares 10 tokens with A: two whole pages
    expect(match.blocks).toEqual(tableA.slice(0, 2));
    prefixes.lock(match);
    const b = cache.createSequence({ blocks: match.blocks, length: match.length });
    const rest = promptB.slice(match.length).map((token) => decodeStep(cache, b, token));
    // Outputs for the positions decoded after the shared prefix equal B's full recomputation.
    expectClose(rest, fullRecompute(promptB).slice(match.length));
    expect(Array.from(cache.blockTable(b)).slice(0, 2)).toEqual(tableA.slice(0, 2));
    for (const block of match.blocks) expect(cache.refCount(block)).toBe(2);
    // Without sharing B would need ceil(18 / 4) = 5 blocks of its own; it allocated 3.
    expect(cache.usedBlocks).toBe(fullPages + 3);

    // Parallel sampling: fork B and decode two continuations; copy-on-write keeps them apart.
    const c = cache.fork(b);
    const outB = decodeStep(cache, b, 11);
    const outC = decodeStep(cache, c, 12);
    expectClose([outB], fullRecompute([...promptB, 11]).slice(-1));
    expectClose([outC], fullRecompute([...promptB, 12]).slice(-1));

    prefixes.unlock(match);
    cache.free(b);
    cache.free(c);
    prefixes.evict(Number.MAX_SAFE_INTEGER);
    expect(cache.freeBlocks).toBe(16);
  });
});
