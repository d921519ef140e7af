import { ChunkwiseError } from '@chunkwise/core';
import { checkInteger, checkNumber, checkObject, describeValue } from './argument-checks.js';
import { MAX_TILE_SCORES, prepareAttentionCall, type AttentionBackend, type AttentionOptions, type AttentionResult } from './attention-options.js';
import { MAX_HEAD_DIM, type AttentionShape } from './attention-shape.js';
import { decodeAttentionInto } from './decode-attention.js';
import { flashAttentionInto } from './flash-attention.js';
import { JsTileEngine } from './js-tile-engine.js';
import { referenceAttention64 } from './reference-attention.js';
import type { TileEngine, TileEngineConfig } from './tile-engine.js';
import { wasmAvailable } from './wasm/wasm-kernels.js';
import { WasmTileEngine } from './wasm/wasm-tile-engine.js';

/**
 * softmax(scale · Q·Kᵀ + mask)·V for every head. See `AttentionOptions` for kernels, backends
 * and masks; inputs are validated and wrong sizes throw `ChunkwiseError('INVALID_ARGUMENT')`.
 *
 * @example
 * const { output } = attention(q, k, v, { heads: 8, kvHeads: 2, seqQ: 128, seqK: 128, headDim: 64 }, { causal: true });
 */
export function attention(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  shape: AttentionShape,
  options: AttentionOptions = {},
): AttentionResult {
  const { resolved, kernel } = prepareAttentionCall(q, k, v, shape, options);
  if (kernel === 'reference') {
    const exact = referenceAttention64(q, k, v, shape, resolved);
    const result: AttentionResult = { output: Float32Array.from(exact.output) };
    if (resolved.returnLse) result.lse = Float32Array.from(exact.lse);
    return result;
  }
  const output = new Float32Array(shape.heads * shape.seqQ * shape.headDim);
  const lse = resolved.returnLse ? new Float32Array(shape.heads * shape.seqQ) : undefined;
  const engine = createTileEngine(options.backend ?? 'auto', {
    headDim: shape.headDim,
    scale: resolved.scale,
    blockQ: resolved.blockQ,
    blockK: resolved.blockK,
  });
  const inputs = { q, k, v, shape, options: resolved, engine };
  try {
    if (kernel === 'decode') decodeAttentionInto(inputs, output, lse);
    else flashAttentionInto(inputs, output, lse);
  } finally {
    engine.release?.();
  }
  return lse ? { output, lse } : { output };
}

/** The tile arithmetic for a backend; `'auto'` prefers WebAssembly SIMD. */
export function createTileEngine(backend: AttentionBackend, config: TileEngineConfig): TileEngine {
  checkObject(config, 'config');
  checkInteger(config.headDim, 'config.headDim', 1, MAX_HEAD_DIM);
  checkNumber(config.scale, 'config.scale');
  checkInteger(config.blockQ, 'config.blockQ', 1, MAX_TILE_SCORES);
  checkInteger(config.blockK, 'config.blockK', 1, MAX_TILE_SCORES);
  if (config.blockQ * config.blockK > MAX_TILE_SCORES) {
    throw new ChunkwiseError('LIMIT_EXCEEDED', `Tiles of ${config.blockQ} × ${config.blockK} scores exceed ${MAX_TILE_SCORES}; use smaller blocks.`);
  }
  if (backend === 'js') return new JsTileEngine(config);
  if (backend === 'wasm') return new WasmTileEngine(config);
  if (backend === 'auto') return wasmAvailable() ? new WasmTileEngine(config) : new JsTileEngine(config);
  if (backend === 'webgpu') {
    throw new ChunkwiseError('UNSUPPORTED', 'The WebGPU backend is asynchronous: call attentionAsync() (or WebGpuAttention) for backend "webgpu".');
  }
  throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown backend ${describeValue(backend)}; use auto, js, wasm or webgpu.`);
}

/** The backend `'auto'` resolves to here. */
export function defaultBackend(): 'wasm' | 'js' {
  return wasmAvailable() ? 'wasm' : 'js';
}
