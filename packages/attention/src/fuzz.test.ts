import { afterAll, describe, expect, it } from 'vitest';
import * as attentionApi from './index.js';
import {
  applyRope,
  attention,
  attentionAsync,
  attentionSinksMask,
  blockSparseMask,
  buildKeyClusters,
  cacheWindowPositions,
  causalMask,
  createTileEngine,
  decodeSplits,
  defaultBackend,
  dhsaSelect,
  initWasm,
  intersectMasks,
  keyBoundaries,
  KeySelection,
  kMeans,
  lambdaShapedMask,
  lmInfiniteAttention,
  longHeadsSelect,
  maskFromSpec,
  mergeAttentionStates,
  needleHaystack,
  prefixMask,
  reassignPositions,
  ropeFrequencies,
  runAttentionBenchmark,
  runNeedleBenchmark,
  simdPeakGflops,
  slidingWindowMask,
  squeezedAttentionSelect,
  streamingCacheKeep,
  stretchPositions,
  unapplyRope,
  unionMasks,
  validateAttentionInputs,
  visiblePairs,
  wasmAvailable,
  webgpuAvailable,
  WebGpuAttention,
  type AttentionShape,
  type WebGpuEntry,
} from './index.js';
import * as nodeApi from './node/index.js';
import { AttentionPool } from './node/index.js';
import { randomInputs } from './__fixtures__/attention-inputs.js';
import { fuzzTarget, type FuzzTarget } from './__fixtures__/fuzz-exports.js';

const shape: AttentionShape = { heads: 2, kvHeads: 1, seqQ: 3, seqK: 5, headDim: 4 };
const inputs = () => randomInputs(shape, 3);
const noAdapter: WebGpuEntry = { requestAdapter: () => Promise.resolve(null) };
const selectionData = () => dhsaSelect(inputs().q, inputs().k, shape, { topTokens: 2, localTokens: 1, queryBlock: 2 }).toData();
const layout = () => Uint8Array.from([1, 0, 1, 1, 1, 0]);
let ticks = 0;
const clock = () => ++ticks;
const pool = new AttentionPool({ threads: 1 });
afterAll(() => pool.close());

const targets: FuzzTarget[] = [
  {
    name: 'attention (js flash, every option)',
    args: () => {
      const { q, k, v } = inputs();
      return [q, k, v, { ...shape }, { causal: true, kernel: 'flash', backend: 'js', scale: 0.5, queryOffset: 2, mask: slidingWindowMask({ window: 2 }), returnLse: true, blockQ: 2, blockK: 3, splitK: 2 }];
    },
    call: (q, k, v, s, o) => attention(q as Float32Array, k as Float32Array, v as Float32Array, s as AttentionShape, o as never),
  },
  {
    name: 'attention (wasm decode)',
    args: () => {
      const { q, k, v } = inputs();
      return [q, k, v, { ...shape }, { causal: true, kernel: 'decode', backend: 'wasm', splitK: 2, blockQ: 4, blockK: 4 }];
    },
    call: (q, k, v, s, o) => attention(q as Float32Array, k as Float32Array, v as Float32Array, s as AttentionShape, o as never),
  },
  {
    name: 'attentionAsync',
    args: () => {
      const { q, k, v } = inputs();
      return [q, k, v, { ...shape }, { causal: true, gpu: noAdapter, backend: 'auto', mask: prefixMask(2) }];
    },
    call: (q, k, v, s, o) => attentionAsync(q as Float32Array, k as Float32Array, v as Float32Array, s as AttentionShape, o as never),
  },
  { name: 'webgpuAvailable', args: () => [noAdapter], call: (gpu) => webgpuAvailable(gpu as WebGpuEntry) },
  { name: 'WebGpuAttention.create', args: () => [{ gpu: noAdapter, powerPreference: 'low-power' }], call: (o) => WebGpuAttention.create(o as never) },
  { name: 'createTileEngine', args: () => ['js', { headDim: 4, scale: 1, blockQ: 2, blockK: 2 }], call: (b, c) => createTileEngine(b as never, c as never) },
  { name: 'defaultBackend / wasmAvailable / initWasm', args: () => [], call: async () => [defaultBackend(), wasmAvailable(), await initWasm()] },
  {
    name: 'validateAttentionInputs',
    args: () => {
      const { q, k, v } = inputs();
      return [q, k, v, { ...shape }];
    },
    call: (q, k, v, s) => validateAttentionInputs(q as Float32Array, k as Float32Array, v as Float32Array, s as AttentionShape),
  },
  {
    name: 'mergeAttentionStates',
    args: () => [[{ output: new Float32Array(8), lse: new Float32Array(2) }, { output: new Float32Array(8).fill(1), lse: new Float32Array(2).fill(-1) }], 4],
    call: (parts, d) => mergeAttentionStates(parts as never, d as number),
  },
  { name: 'decodeSplits', args: () => [10, 3], call: (n, s) => decodeSplits(n as number, s as number) },
  { name: 'maskFromSpec (window)', args: () => [{ kind: 'slidingWindow', window: 3 }], call: (s) => maskFromSpec(s as never) },
  { name: 'maskFromSpec (block-sparse)', args: () => [{ kind: 'blockSparse', blockSize: 2, queryBlocks: 2, keyBlocks: 3, layout: layout(), heads: 1 }], call: (s) => maskFromSpec(s as never) },
  { name: 'maskFromSpec (key selection)', args: () => [{ kind: 'keySelection', data: selectionData() }], call: (s) => maskFromSpec(s as never) },
  { name: 'maskFromSpec (union)', args: () => [{ kind: 'union', masks: [{ kind: 'prefix', length: 2 }, { kind: 'causal' }] }], call: (s) => maskFromSpec(s as never) },
  { name: 'causalMask', args: () => [], call: () => causalMask() },
  { name: 'intersectMasks', args: () => [causalMask(), prefixMask(3)], call: (...m) => intersectMasks(...(m as never[])) },
  { name: 'unionMasks', args: () => [prefixMask(1), slidingWindowMask({ window: 2 })], call: (...m) => unionMasks(...(m as never[])) },
  { name: 'slidingWindowMask', args: () => [{ window: 3 }], call: (o) => slidingWindowMask(o as never) },
  { name: 'prefixMask', args: () => [3], call: (n) => prefixMask(n as number) },
  { name: 'attentionSinksMask', args: () => [{ sinks: 1, window: 2 }], call: (o) => attentionSinksMask(o as never) },
  { name: 'lambdaShapedMask', args: () => [{ global: 1, local: 2 }], call: (o) => lambdaShapedMask(o as never) },
  { name: 'blockSparseMask', args: () => [{ blockSize: 2, queryBlocks: 2, keyBlocks: 3, layout: layout(), heads: 1 }], call: (o) => blockSparseMask(o as never) },
  { name: 'new KeySelection', args: () => [{ name: 'x', queryBlock: 2, queryBlocks: 2, queryOffset: 0, seqK: 40, groups: 1, headsPerGroup: 2, causal: true }], call: (o) => new KeySelection(o as never) },
  { name: 'KeySelection.fromData', args: () => [selectionData()], call: (d) => KeySelection.fromData(d as never) },
  {
    name: 'KeySelection methods',
    args: () => [0, 1, 3, 5],
    call: (group, block, key, end) => {
      const selection = KeySelection.fromData(selectionData());
      selection.keep(group as number, block as number, key as number);
      selection.keepRange(group as number, block as number, key as number, end as number);
      return [
        selection.isKept(group as number, block as number, key as number),
        selection.keptKeys(group as number, block as number),
        selection.keptFraction(),
        selection.allows(group as number, block as number, key as number),
        selection.tile(group as number, block as number, end as number, key as number, end as number),
        selection.keysFor(group as number, block as number, end as number),
        selection.withinOneBlock(block as number, end as number),
        selection.assertFits(5),
      ];
    },
  },
  {
    name: 'dhsaSelect',
    args: () => [inputs().q, inputs().k, { ...shape }, { topTokens: 3, localTokens: 1, boundaries: Int32Array.from([0, 2, 5]), maxChunks: 2, minChunk: 1, queryBlock: 2, queryOffset: 2, causal: true }],
    call: (q, k, s, o) => dhsaSelect(q as Float32Array, k as Float32Array, s as AttentionShape, o as never),
  },
  { name: 'keyBoundaries', args: () => [inputs().k.subarray(0, 20), 5, 4, 2, 1], call: (k, n, d, c, m) => keyBoundaries(k as Float32Array, n as number, d as number, c as number, m as number) },
  {
    name: 'buildKeyClusters',
    args: () => [inputs().k, { kvHeads: 1, seqK: 5, headDim: 4 }, { clusters: 2, coarse: 1, fixedContext: 4, iterations: 2, seed: 3 }],
    call: (k, s, o) => buildKeyClusters(k as Float32Array, s as never, o as never),
  },
  {
    name: 'squeezedAttentionSelect',
    args: () => [inputs().q, inputs().k, { ...shape }, buildKeyClusters(inputs().k, shape, { clusters: 2 }), { threshold: 0.1, keepFraction: 0.5, scale: 0.5, queryBlock: 2 }],
    call: (q, k, s, c, o) => squeezedAttentionSelect(q as Float32Array, k as Float32Array, s as AttentionShape, c as never, o as never),
  },
  {
    name: 'longHeadsSelect',
    args: () => [inputs().q, inputs().k, { ...shape }, { chunkSize: 2, maxChunks: 2, scale: 0.5, queryBlock: 2 }],
    call: (q, k, s, o) => longHeadsSelect(q as Float32Array, k as Float32Array, s as AttentionShape, o as never),
  },
  { name: 'kMeans', args: () => [inputs().k, 5, 4, 2, { iterations: 2, seed: 1, offset: 0, indices: Int32Array.from([0, 2, 4]) }], call: (p, n, d, c, o) => kMeans(p as Float32Array, n as number, d as number, c as number, o as never) },
  {
    name: 'applyRope',
    args: () => [inputs().k, { heads: 1, seq: 5, headDim: 4 }, [0, 1, 2, 3, 4], { base: 500, rotaryDim: 4, style: 'interleaved', scaling: { type: 'ntk', factor: 2 } }],
    call: (x, s, p, o) => applyRope(x as Float32Array, s as never, p as number[], o as never),
  },
  { name: 'unapplyRope', args: () => [inputs().k, { heads: 1, seq: 5, headDim: 4 }, [0, 1, 2, 3, 4], { scaling: { type: 'linear', factor: 2 } }], call: (x, s, p, o) => unapplyRope(x as Float32Array, s as never, p as number[], o as never) },
  { name: 'reassignPositions', args: () => [inputs().k, { heads: 1, seq: 5, headDim: 4 }, [0, 1, 2, 3, 4], [4, 5, 6, 7, 8], {}], call: (x, s, f, t, o) => reassignPositions(x as Float32Array, s as never, f as number[], t as number[], o as never) },
  { name: 'ropeFrequencies', args: () => [8, { base: 100, rotaryDim: 4 }], call: (d, o) => ropeFrequencies(d as number, o as never) },
  { name: 'stretchPositions', args: () => [[0, 5, 10], 4, 2], call: (p, k, f) => stretchPositions(p as number[], k as number, f as number) },
  { name: 'cacheWindowPositions', args: () => [6], call: (n) => cacheWindowPositions(n as number) },
  { name: 'streamingCacheKeep', args: () => [10, 2, 3], call: (l, s, w) => streamingCacheKeep(l as number, s as number, w as number) },
  {
    name: 'lmInfiniteAttention',
    args: () => {
      const { q, k, v } = inputs();
      return [q, k, v, { ...shape }, { global: 1, local: 2, distanceLimit: 2, queryOffset: 2, rope: { base: 100 }, backend: 'js' }];
    },
    call: (q, k, v, s, o) => lmInfiniteAttention(q as Float32Array, k as Float32Array, v as Float32Array, s as AttentionShape, o as never),
  },
  {
    name: 'visiblePairs',
    args: () => [{ ...shape }, { queryOffset: 2, causal: true, mask: prefixMask(2), combinedMask: prefixMask(2) }],
    call: (s, o) => visiblePairs(s as AttentionShape, o as never),
  },
  {
    name: 'simdPeakGflops',
    args: () => [{ iterations: 1000, clock }],
    call: (o) => simdPeakGflops(o as never),
    // Left out, iterations default to 20 million (a valid half-second measurement each).
    skip: (path, label) => ['undefined', 'null', '{}'].includes(label) && ['0', '0.iterations'].includes(path),
  },
  {
    name: 'runAttentionBenchmark',
    args: () => [{ lengths: [8], heads: 1, headDim: 4, backends: ['js'], sparseKeys: 0, sparseQueries: 4, repeats: 1, clock, onProgress: () => undefined }],
    call: (o) => runAttentionBenchmark(o as never),
    // The defaults (no options, {}, or a size left out) measure 32k keys: a valid, minutes-long run.
    skip: (path, label) => path === 'random' || (['undefined', 'null', '{}'].includes(label) && ['0', '0.lengths', '0.sparseKeys'].includes(path)),
  },
  { name: 'needleHaystack', args: () => [{ seqK: 256, seqQ: 2, headDim: 4, seed: 1, distractors: 2, needleTokens: 2, queryCosine: 0.8 }], call: (o) => needleHaystack(o as never) },
  {
    name: 'runNeedleBenchmark',
    args: () => [{ seqK: 256, seqQ: 2, headDim: 4, trials: 1, needleTokens: [1], distractors: 1, backend: 'js', clock, onProgress: () => undefined }],
    call: (o) => runNeedleBenchmark(o as never),
    skip: (path, label) => path === 'random' || (['undefined', 'null', '{}'].includes(label) && ['0', '0.seqK', '0.headDim', '0.trials'].includes(path)),
  },
  { name: 'new AttentionPool', args: () => [{ threads: 1 }], call: (o) => new AttentionPool(o as never), cleanup: (p) => (p as AttentionPool).close() },
  {
    name: 'AttentionPool.attention',
    args: () => {
      const { q, k, v } = inputs();
      return [q, k, v, { ...shape }, { causal: true, kernel: 'decode', splitK: 2, mask: attentionSinksMask({ sinks: 1, window: 2 }), returnLse: true }];
    },
    call: (q, k, v, s, o) => pool.attention(q as Float32Array, k as Float32Array, v as Float32Array, s as AttentionShape, o as never),
  },
];

describe('every export answers wrong input with a result or a coded ChunkwiseError', () => {
  it('the fuzz list covers every runtime export of both entries', () => {
    const covered = new Set(targets.flatMap((target) => target.name.split(/[ ./(]/)));
    const exported = [...Object.keys(attentionApi), ...Object.keys(nodeApi)].filter((name) => name !== 'TileCoverage');
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const target of targets) {
    it(target.name, async () => {
      expect(await fuzzTarget(target)).toEqual([]);
    }, 120_000);
  }
});
