import { seededRandom } from '@chunkwise/core';
// Bundled by browser.test.ts (esbuild, browser platform) from the package's default entry and run
// in headless Chromium. Each check compares a kernel with the float64 reference computed in the
// same page and returns the errors; the Node side asserts on them.
import {
  attention,
  attentionAsync,
  attentionSinksMask,
  blockSparseMask,
  dhsaSelect,
  initWasm,
  lambdaShapedMask,
  prefixMask,
  slidingWindowMask,
  wasmAvailable,
  WebGpuAttention,
  type AttentionMask,
  type AttentionOptions,
  type AttentionResult,
  type AttentionShape,
} from '../index.js';
import { resolveOptions } from '../attention-options.js';
import { referenceAttention64 } from '../reference-attention.js';
import { maxRelativeError, randomInputs } from './attention-inputs.js';
import { checkPoisonCase, poisonCases, type PoisonCheck } from './poisoned-inputs.js';

export interface BrowserCheck {
  name: string;
  /** max |out − ref| / max |ref| */
  outputError: number;
  /** worst |lse − ref| / max(1, |ref|); −∞ rows must match exactly or this is Infinity. */
  lseError: number;
  finite: boolean;
}

type Run = (q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, options: AttentionOptions) => Promise<AttentionResult>;

interface Case {
  name: string;
  shape: AttentionShape;
  options: AttentionOptions;
  seed?: number;
  amplitude?: number;
}

function lseError(actual: Float32Array | undefined, expected: Float64Array): number {
  if (!actual) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i] as number;
    const got = actual[i] as number;
    if (want === Number.NEGATIVE_INFINITY) {
      if (got !== Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
      continue;
    }
    const error = Math.abs(got - want) / Math.max(1, Math.abs(want));
    worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
  }
  return worst;
}

async function runCases(cases: Case[], run: Run, label: string): Promise<BrowserCheck[]> {
  const results: BrowserCheck[] = [];
  for (const { name, shape, options, seed = 1, amplitude = 1 } of cases) {
    const { q, k, v } = randomInputs(shape, seed, amplitude);
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, options));
    const { output, lse } = await run(q, k, v, shape, { ...options, returnLse: true });
    results.push({
      name: `${label}: ${name}`,
      outputError: maxRelativeError(output, expected.output),
      lseError: lseError(lse, expected.lse),
      finite: output.every(Number.isFinite),
    });
  }
  return results;
}

const blocks = Math.ceil(300 / 32);
const random = seededRandom(9);
const layout = Uint8Array.from({ length: 2 * blocks * blocks }, (_, i) => (i % (blocks + 1) === 0 || random() < 0.3 ? 1 : 0));

function maskCases(): Case[] {
  const shape = { heads: 4, kvHeads: 2, seqQ: 300, seqK: 300, headDim: 64 };
  const { q, k } = randomInputs(shape, 21);
  const masks: [string, AttentionMask][] = [
    ['sliding window 50', slidingWindowMask({ window: 50 })],
    ['StreamingLLM sinks 4 + window 40', attentionSinksMask({ sinks: 4, window: 40 })],
    ['LM-Infinite Λ', lambdaShapedMask({ global: 10, local: 64 })],
    ['block-sparse, per head', blockSparseMask({ blockSize: 32, queryBlocks: blocks, keyBlocks: blocks, layout, heads: 2 })],
    ['DHSA selection', dhsaSelect(q, k, shape, { topTokens: 96, localTokens: 32 })],
  ];
  return masks.flatMap(([name, mask]) => [
    { name: `${name}, causal`, shape, options: { mask, causal: true }, seed: 21 },
    { name, shape, options: { mask }, seed: 21 },
  ]);
}

function shapeCases(): Case[] {
  const cases: Case[] = [];
  for (const seq of [1, 3, 127]) {
    for (const headDim of [1, 7, 64, 80, 128]) {
      const shape = { heads: 4, kvHeads: 1, seqQ: seq, seqK: seq, headDim };
      cases.push({ name: `seq ${seq} × d ${headDim}, GQA 4`, shape, options: {} });
      cases.push({ name: `seq ${seq} × d ${headDim}, GQA 4, causal`, shape, options: { causal: true } });
    }
  }
  cases.push(
    // Head sizes are kept to those above: each new one compiles a pipeline (seconds on SwiftShader).
    { name: 'seq 1000, d 64, GQA 2, causal', shape: { heads: 2, kvHeads: 1, seqQ: 1000, seqK: 1000, headDim: 64 }, options: { causal: true }, seed: 4 },
    { name: 'GQA 8, causal', shape: { heads: 8, kvHeads: 1, seqQ: 33, seqK: 70, headDim: 64 }, options: { causal: true }, seed: 6 },
    { name: 'GQA 1 (8 KV heads), causal', shape: { heads: 8, kvHeads: 8, seqQ: 33, seqK: 70, headDim: 7 }, options: { causal: true }, seed: 5 },
    { name: 'queryOffset 100, 5 rows of 300 keys', shape: { heads: 2, kvHeads: 1, seqQ: 5, seqK: 300, headDim: 64 }, options: { causal: true, queryOffset: 100 }, seed: 9 },
    { name: 'rows with no visible key (prefix 0)', shape: { heads: 2, kvHeads: 1, seqQ: 4, seqK: 8, headDim: 7 }, options: { mask: prefixMask(0) }, seed: 11 },
    { name: 'logits of ±1e4', shape: { heads: 2, kvHeads: 1, seqQ: 40, seqK: 90, headDim: 7 }, options: { scale: 1500 }, seed: 12 },
  );
  return cases;
}

function decodeCases(): Case[] {
  const shape = { heads: 8, kvHeads: 2, seqQ: 1, seqK: 4096, headDim: 64 };
  return [
    { name: 'decode 1 × 4096 keys, GQA 4, split-K 512', shape, options: { causal: true, kernel: 'decode', splitK: 512 }, seed: 31 },
    { name: 'decode 1 × 4096 keys, auto kernel', shape, options: { causal: true }, seed: 31 },
    { name: 'decode 4 rows, sinks 4 + window 256', shape: { ...shape, seqQ: 4 }, options: { causal: true, mask: attentionSinksMask({ sinks: 4, window: 256 }), kernel: 'decode', splitK: 1024 }, seed: 32 },
  ];
}

/** The CPU kernels of the default entry, as a browser bundle runs them. */
async function cpu(): Promise<{ wasm: boolean; checks: BrowserCheck[] }> {
  const wasm = await initWasm();
  const checks: BrowserCheck[] = [];
  const cases = [...shapeCases().filter((c) => c.shape.seqQ <= 127), ...maskCases().slice(0, 4), ...decodeCases().slice(0, 1)];
  for (const backend of ['js', 'wasm'] as const) {
    for (const kernel of ['flash', 'decode'] as const) {
      const run: Run = (q, k, v, shape, options) => Promise.resolve(attention(q, k, v, shape, { ...options, backend, kernel, splitK: 97 }));
      checks.push(...(await runCases(cases, run, `${kernel}/${backend}`)));
    }
  }
  return { wasm: wasm && wasmAvailable(), checks };
}

/** The WebGPU backend, when the page has an adapter. */
async function webgpu(): Promise<{ adapter: string | null; checks: BrowserCheck[]; auto: string }> {
  let runner: WebGpuAttention;
  try {
    runner = await WebGpuAttention.create();
  } catch (error) {
    return { adapter: null, checks: [], auto: String((error as Error).message) };
  }
  const run: Run = (q, k, v, shape, options) => runner.attention(q, k, v, shape, options);
  const checks = [
    ...(await runCases([...shapeCases(), ...maskCases()], run, 'flash/webgpu')),
    ...(await runCases(shapeCases().slice(0, 12).map((c) => ({ ...c, options: { ...c.options, kernel: 'decode' as const, splitK: 64 } })), run, 'decode/webgpu')),
    ...(await runCases(decodeCases(), run, 'webgpu')),
  ];
  const shape = { heads: 2, kvHeads: 1, seqQ: 3, seqK: 5, headDim: 4 };
  const { q, k, v } = randomInputs(shape, 2);
  const auto = await attentionAsync(q, k, v, shape, { causal: true });
  const { vendor, architecture, description } = runner.adapter;
  runner.destroy();
  return { adapter: [vendor, architecture, description].filter(Boolean).join(' / '), checks, auto: auto.backend };
}

/**
 * NaN and ±Inf in keys a mask hides, through every kernel the page can run: the rows they are
 * hidden from must equal the clean reference. WebGPU joins where the page has an adapter.
 */
async function poisoned(): Promise<{ adapter: string | null; checks: PoisonCheck[] }> {
  await initWasm();
  const checks: PoisonCheck[] = [];
  let runner: WebGpuAttention | undefined;
  try {
    runner = await WebGpuAttention.create();
  } catch {
    runner = undefined;
  }
  for (const testCase of poisonCases()) {
    for (const kernel of ['flash', 'decode'] as const) {
      const cpuRun: Run = (q, k, v, shape, options) => Promise.resolve(attention(q, k, v, shape, { ...options, backend: 'wasm', kernel, splitK: 37 }));
      checks.push(...(await checkPoisonCase(testCase, cpuRun, `${kernel}/wasm`)));
      if (!runner) continue;
      const gpu = runner;
      const gpuRun: Run = (q, k, v, shape, options) => gpu.attention(q, k, v, shape, { ...options, kernel, splitK: 64 });
      checks.push(...(await checkPoisonCase(testCase, gpuRun, `${kernel}/webgpu`)));
    }
  }
  const adapter = runner ? [runner.adapter.vendor, runner.adapter.description].filter(Boolean).join(' / ') : null;
  runner?.destroy();
  return { adapter, checks };
}

(globalThis as Record<string, unknown>).chunkwiseChecks = { cpu, webgpu, poisoned };
