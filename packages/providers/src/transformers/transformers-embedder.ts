import { ChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { Embedder } from '@chunkwise/core';
import { Semaphore } from '../semaphore.js';
import { show, signalOf } from '../argument-checks.js';

export interface TransformersEmbedderOptions {
  /**
   * The model folder: an absolute path in Node (relative paths are taken from the working
   * directory), or a URL the browser can fetch the files from. It must hold what transformers.js
   * loads: `config.json`, `tokenizer.json`, `tokenizer_config.json` and `onnx/model.onnx`
   * (`onnx/model_quantized.onnx` with `dtype: 'q8'`). Nothing is downloaded, ever.
   */
  modelPath: string;
  /** The vector size you expect (checked at load). Without it, it is learned at load() (or the first embed()) and reads 0 before that. */
  dimensions?: number | undefined;
  /** How token vectors become one vector per text. Default `'mean'` (sentence-transformers style). */
  pooling?: 'mean' | 'cls' | undefined;
  /** L2-normalise each vector. Default true. */
  normalize?: boolean | undefined;
  /** Weights variant to load, as transformers.js names them (`'fp32'`, `'fp16'`, `'q8'`…). Default `'fp32'`. */
  dtype?: string | undefined;
  /** Where to run (`'cpu'`, `'wasm'`, `'webgpu'`…), as transformers.js names it. Default: its own choice. */
  device?: string | undefined;
  /** Texts per model call. Default 32. */
  batchSize?: number | undefined;
}

export interface TransformersEmbedder extends Embedder {
  /**
   * Loads the model now instead of on the first `embed()` and embeds one probe word, so `dimensions`
   * is set when it resolves; rejects with NOT_FOUND, UNSUPPORTED or DIMENSION_MISMATCH.
   */
  load(): Promise<void>;
  /** Frees the ONNX session. */
  dispose(): Promise<void>;
}

/** The part of transformers.js this adapter uses, so its types need not be installed to build against us. */
interface FeatureExtractor {
  (texts: string[], options: { pooling: 'mean' | 'cls'; normalize: boolean }): Promise<{ dims: number[]; data: ArrayLike<number> }>;
  dispose?(): Promise<void>;
}
interface TransformersModule {
  pipeline(task: 'feature-extraction', model: string, options: Record<string, unknown>): Promise<FeatureExtractor>;
}

/**
 * A core `Embedder` running a local transformers.js model folder (optional peer dependency
 * `@huggingface/transformers` ≥ 3). Remote loading is disabled for every file of the model
 * (`local_files_only`), so a missing file is an error, never a download.
 */
export function transformersEmbedder(options: TransformersEmbedderOptions): TransformersEmbedder {
  if (typeof options?.modelPath !== 'string' || options.modelPath.trim() === '') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'modelPath must name a local transformers.js model folder.');
  }
  if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer ≥ 1, got ${show(options.dimensions)}.`);
  }
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `batchSize must be an integer ≥ 1, got ${show(batchSize)}.`);
  const modelPath = absoluteModelPath(options.modelPath);
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  // One model call at a time: an ONNX session already uses every core it is given.
  const semaphore = new Semaphore(1);
  let dimensions = options.dimensions ?? 0;
  let loading: Promise<FeatureExtractor> | undefined;

  function checkWidth(width: number): void {
    if (dimensions === 0) dimensions = width;
    if (width !== dimensions) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `The model at ${modelPath} produced ${width}-dimensional vectors, expected ${dimensions}.`, {
        details: { expected: dimensions, actual: width },
      });
    }
  }

  /** Loads the model and embeds one probe word, so `dimensions` is known (and checked) as soon as load() resolves. */
  async function loadAndProbe(): Promise<FeatureExtractor> {
    const extractor = await loadExtractor(modelPath, options);
    try {
      const probe = await extractor(['dimensions'], { pooling, normalize });
      checkWidth(probe.dims.at(-1) ?? 0);
    } catch (error) {
      await extractor.dispose?.();
      throw error;
    }
    return extractor;
  }

  function load(): Promise<FeatureExtractor> {
    loading ??= loadAndProbe().catch((error: unknown) => {
      loading = undefined; // let a later call retry after the user fixes the folder
      throw error;
    });
    return loading;
  }

  async function embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'embed(texts) needs an array of strings.');
    }
    const signal = signalOf(opts);
    throwIfAborted(signal);
    if (texts.length === 0) return [];
    const extractor = await load();
    const out: Float32Array[] = [];
    for (let at = 0; at < texts.length; at += batchSize) {
      // A running ONNX call cannot be interrupted; the signal is honoured between batches.
      throwIfAborted(signal);
      const batch = texts.slice(at, at + batchSize);
      const tensor = await semaphore.run(() => extractor(batch, { pooling, normalize }), signal);
      out.push(...splitRows(tensor, batch.length));
    }
    for (const vector of out) checkWidth(vector.length);
    return out;
  }

  return {
    get dimensions() {
      return dimensions;
    },
    embed,
    async load() {
      await load();
    },
    async dispose() {
      const current = loading;
      loading = undefined;
      if (current) await (await current.catch(() => undefined))?.dispose?.();
    },
  };
}

function absoluteModelPath(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) return path;
  // transformers.js reads a relative "org/name" as a hub id under env.localModelPath; anchor it to
  // the working directory instead, so the folder the user named is the folder that is read.
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  return cwd === undefined ? path : `${cwd.replace(/[\\/]+$/, '')}/${path.replace(/^\.\//, '')}`;
}

async function loadExtractor(modelPath: string, options: TransformersEmbedderOptions): Promise<FeatureExtractor> {
  let transformers: TransformersModule;
  try {
    // A variable specifier keeps bundlers from pulling the optional peer into apps that never call this.
    const name = '@huggingface/transformers';
    transformers = (await import(/* @vite-ignore */ name)) as TransformersModule;
  } catch (cause) {
    throw new ChunkwiseError('UNSUPPORTED', 'transformersEmbedder needs the optional peer dependency @huggingface/transformers: npm install @huggingface/transformers', {
      cause,
    });
  }
  try {
    return await transformers.pipeline('feature-extraction', modelPath, {
      local_files_only: true,
      dtype: options.dtype ?? 'fp32',
      ...(options.device === undefined ? {} : { device: options.device }),
    });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // transformers.js words this differently across versions (ModelFileNotFoundError in 4.x).
    const name = cause instanceof Error ? cause.name : '';
    const missing = /FileNotFound/.test(name) || /not found locally|local file missing|local_files_only|ENOENT|no such file|could not locate/i.test(message);
    throw new ChunkwiseError(
      missing ? 'NOT_FOUND' : 'UPSTREAM',
      missing
        ? `No usable transformers.js model at ${modelPath}: ${message} Remote loading is disabled; put the model folder there first (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx).`
        : `transformers.js could not load the model at ${modelPath}: ${message}`,
      { cause, details: { modelPath } },
    );
  }
}

function splitRows(tensor: { dims: number[]; data: ArrayLike<number> }, rows: number): Float32Array[] {
  const width = tensor.dims.at(-1) ?? 0;
  if (tensor.dims.length !== 2 || tensor.dims[0] !== rows || tensor.data.length !== rows * width) {
    throw new ChunkwiseError('UPSTREAM', `Expected a [${rows}, dimensions] tensor from feature-extraction, got [${tensor.dims.join(', ')}].`, {
      details: { dims: tensor.dims },
    });
  }
  const out: Float32Array[] = [];
  for (let row = 0; row < rows; row++) out.push(Float32Array.from({ length: width }, (_, i) => tensor.data[row * width + i]!));
  return out;
}
