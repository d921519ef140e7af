import { ChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { Embedder } from '@chunkwise/core';
import { onAbort } from './abort-listeners.js';
import { createHttpClient, wrongShape, type HttpClientOptions, type JsonResponse } from './http-client.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './response-body.js';
import { show, signalOf } from './argument-checks.js';

export interface OpenAICompatibleEmbedderOptions extends HttpClientOptions {
  /** The embedding model the server knows, e.g. `nomic-embed-text`, `text-embedding-3-small`. */
  model: string;
  /**
   * The vector size you expect. Every answer is checked against it (DIMENSION_MISMATCH otherwise).
   * Without it, the size is learned from the first answer and `dimensions` reads 0 until then.
   */
  dimensions?: number | undefined;
  /**
   * Also send `dimensions` in the request, asking the server to shorten vectors (OpenAI
   * text-embedding-3, Matryoshka models on vLLM). Off by default: most servers reject or ignore it.
   */
  requestDimensions?: boolean | undefined;
  /** Texts per request. Default 64; requests of one `embed()` call run concurrently up to `maxConcurrency`. */
  batchSize?: number | undefined;
  /** `'base64'` halves the bytes on the wire where the server supports it (OpenAI, vLLM). Default `'float'`. */
  encodingFormat?: 'float' | 'base64' | undefined;
  /** Extra fields merged into every request body. */
  extraBody?: Record<string, unknown> | undefined;
}

export interface OpenAICompatibleEmbedder extends Embedder {
  readonly model: string;
  readonly baseURL: string;
  /** The response size limit in force: `maxResponseBytes`, or max(16 MiB, batchSize × dimensions × 32 bytes). */
  readonly maxResponseBytes: number;
}

/** A core `Embedder` over `/v1/embeddings` of any OpenAI-compatible server (Ollama, vLLM, TEI, LM Studio, OpenAI). */
export function openAICompatibleEmbedder(options: OpenAICompatibleEmbedderOptions): OpenAICompatibleEmbedder {
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', `openAICompatibleEmbedder needs { baseURL, model }, got ${show(options)}.`);
  if (options.encodingFormat !== undefined && options.encodingFormat !== 'float' && options.encodingFormat !== 'base64') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `encodingFormat must be 'float' or 'base64', got ${show(options.encodingFormat)}.`);
  }
  if (options.extraBody !== undefined && (typeof options.extraBody !== 'object' || options.extraBody === null)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `extraBody must be an object, got ${show(options.extraBody)}.`);
  }
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'model must name the embedding model the server serves, e.g. "nomic-embed-text".');
  }
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `batchSize must be an integer ≥ 1, got ${show(batchSize)}.`);
  }
  if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer ≥ 1, got ${show(options.dimensions)}.`);
  }
  if (options.requestDimensions !== undefined && typeof options.requestDimensions !== 'boolean') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `requestDimensions must be a boolean, got ${show(options.requestDimensions)}.`);
  }
  if (options.requestDimensions && options.dimensions === undefined) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'requestDimensions needs dimensions: the number of dimensions to ask for.');
  }
  const encodingFormat = options.encodingFormat ?? 'float';
  // A float prints as at most ~24 JSON characters; 32 bytes per value leaves room for the rest of
  // the answer. Unknown dimensions are taken as 4096, the largest common embedding size.
  const maxResponseBytes = options.maxResponseBytes ?? Math.max(DEFAULT_MAX_RESPONSE_BYTES, batchSize * (options.dimensions ?? 4096) * 32);
  const client = createHttpClient({ ...options, maxResponseBytes });
  let dimensions = options.dimensions ?? 0;

  async function embedBatch(texts: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const body: Record<string, unknown> = { ...options.extraBody, model: options.model, input: texts, encoding_format: encodingFormat };
    if (options.requestDimensions) body.dimensions = options.dimensions;
    const response = await client.postJSON('/embeddings', body, signal);
    const vectors = readEmbeddings(response, texts.length);
    for (const vector of vectors) {
      // The first answer fixes the size when the caller did not; later answers must agree with it.
      if (dimensions === 0) dimensions = vector.length;
      if (vector.length !== dimensions) {
        throw new ChunkwiseError(
          'DIMENSION_MISMATCH',
          `${response.url} returned a ${vector.length}-dimensional vector, expected ${dimensions}. Check the model name${options.dimensions === undefined ? '' : ' and the dimensions option'}.`,
          { details: { expected: dimensions, actual: vector.length, model: options.model } },
        );
      }
    }
    return vectors;
  }

  async function embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'embed(texts) needs an array of strings.');
    }
    const signal = signalOf(opts);
    throwIfAborted(signal);
    if (texts.length === 0) return [];
    const batches: string[][] = [];
    for (let at = 0; at < texts.length; at += batchSize) batches.push(texts.slice(at, at + batchSize));
    // Batches share the client's semaphore, so a big call cannot exceed maxConcurrency. If one fails,
    // the others are cancelled instead of running on for a result nobody will read.
    const controller = new AbortController();
    const unsubscribe = signal ? onAbort(signal, () => controller.abort(signal.reason)) : undefined;
    try {
      const results = await Promise.all(
        batches.map((batch) =>
          embedBatch(batch, controller.signal).catch((error: unknown) => {
            controller.abort(error);
            throw error;
          }),
        ),
      );
      return results.flat();
    } catch (error) {
      throwIfAborted(signal);
      throw error;
    } finally {
      unsubscribe?.();
    }
  }

  return {
    model: options.model,
    baseURL: client.baseURL,
    maxResponseBytes: client.maxResponseBytes,
    get dimensions() {
      return dimensions;
    },
    embed,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `data[]` into vectors in input order: servers may answer out of order, `index` is authoritative. */
function readEmbeddings(response: JsonResponse, expected: number): Float32Array[] {
  const json = response.json;
  if (!isRecord(json) || !Array.isArray(json.data)) throw wrongShape(response, 'no data array');
  if (json.data.length !== expected) throw wrongShape(response, `${json.data.length} embeddings for ${expected} inputs`);
  const out = new Array<Float32Array | undefined>(expected);
  json.data.forEach((item: unknown, position) => {
    if (!isRecord(item)) throw wrongShape(response, `data[${position}] is not an object`);
    const index = item.index ?? position;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected) {
      throw wrongShape(response, `data[${position}].index ${String(index)} is out of range`);
    }
    if (out[index] !== undefined) throw wrongShape(response, `index ${index} appears twice`);
    out[index] = toVector(response, item.embedding, position);
  });
  return out as Float32Array[];
}

function toVector(response: JsonResponse, embedding: unknown, position: number): Float32Array {
  if (typeof embedding === 'string') return decodeBase64Float32(response, embedding, position);
  if (!Array.isArray(embedding)) throw wrongShape(response, `data[${position}].embedding is neither an array nor base64`);
  const vector = new Float32Array(embedding.length);
  for (let i = 0; i < embedding.length; i++) {
    const value: unknown = embedding[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongShape(response, `data[${position}].embedding[${i}] is not a finite number`);
    vector[i] = value;
  }
  return vector;
}

/** OpenAI's base64 format: little-endian float32 bytes. atob keeps this browser-safe (no Buffer). */
function decodeBase64Float32(response: JsonResponse, text: string, position: number): Float32Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch (cause) {
    throw Object.assign(wrongShape(response, `data[${position}].embedding is not valid base64`), { cause });
  }
  if (binary.length % 4 !== 0) throw wrongShape(response, `data[${position}].embedding has ${binary.length} bytes, not a multiple of 4`);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const vector = new Float32Array(binary.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}
