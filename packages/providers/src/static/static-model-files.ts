import { ChunkwiseError } from '@chunkwise/core';
import { HfTokenizer } from '@chunkwise/tokenizers';
import { optionsOf, show } from '../argument-checks.js';
import { parseSafetensors } from './safetensors.js';
import { StaticModelEmbedder } from './static-model-embedder.js';

/** The files of a static model folder, already read (strings may also be parsed JSON). */
export interface StaticModelFiles {
  /** `model.safetensors` (Model2Vec: tensor `embeddings`; sentence-transformers: `embedding.weight`). */
  safetensors: Uint8Array;
  /** `tokenizer.json`. */
  tokenizer: string | object;
  /** Model2Vec's `config.json` (`normalize`). */
  config?: string | object | undefined;
  /** sentence-transformers' `modules.json`: a `Normalize` module turns normalisation on. */
  modules?: string | object | undefined;
}

export interface StaticModelFileOptions {
  /** Overrides the model's own normalisation setting. */
  normalize?: boolean | undefined;
  /** Tokens per text kept by `embed` (default 512, as Model2Vec). */
  truncateTokens?: number | undefined;
  /** Shown in errors and as the tokenizer's name. */
  name?: string | undefined;
}

function json(value: string | object | undefined, what: string): Record<string, unknown> | unknown[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  if (typeof value !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be its JSON text or the parsed object.`);
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch (cause) {
    throw new ChunkwiseError('CORRUPT_DATA', `${what} is not valid JSON (truncated or damaged).`, { cause });
  }
}

/**
 * A `StaticModelEmbedder` from the files of a Model2Vec folder (`model.safetensors`,
 * `tokenizer.json`, `config.json`, e.g. `minishlab/potion-base-8M`) or a sentence-transformers
 * `StaticEmbedding`, tokenized with `@chunkwise/tokenizers`. Browser-safe: pass bytes and text you
 * fetched; in Node, `loadStaticModel(dir)` from `@chunkwise/providers/static/node` reads the folder.
 */
export function staticModelFromFiles(files: StaticModelFiles, options?: StaticModelFileOptions): StaticModelEmbedder {
  if (typeof files !== 'object' || files === null) throw new ChunkwiseError('INVALID_ARGUMENT', 'staticModelFromFiles needs { safetensors, tokenizer }.');
  options = optionsOf(options, 'staticModelFromFiles options');
  if (options.normalize !== undefined && typeof options.normalize !== 'boolean') throw new ChunkwiseError('INVALID_ARGUMENT', `normalize must be a boolean, got ${show(options.normalize)}.`);
  const name = typeof options.name === 'string' ? options.name : 'static model';
  const model = parseSafetensors(files.safetensors);
  const sentenceTransformers = model.tensors.has('embedding.weight') && !model.tensors.has('embeddings');
  const tensor = model.tensors.get('embeddings') ?? model.tensors.get('embedding.weight');
  if (tensor === undefined) {
    throw new ChunkwiseError('CORRUPT_DATA', `${name}: model.safetensors has no "embeddings" (Model2Vec) or "embedding.weight" (sentence-transformers) tensor; it has ${[...model.tensors.keys()].join(', ') || 'none'}.`, {
      details: { tensors: [...model.tensors.keys()] },
    });
  }
  for (const extra of ['mapping', 'weights']) {
    if (model.tensors.has(extra)) {
      throw new ChunkwiseError('UNSUPPORTED', `${name}: vocabulary-quantised Model2Vec models (with a "${extra}" tensor) are not supported yet; use a model with a plain "embeddings" table.`, {
        details: { tensor: extra },
      });
    }
  }
  if (tensor.shape.length !== 2) throw new ChunkwiseError('CORRUPT_DATA', `${name}: the embedding tensor has shape [${tensor.shape.join(', ')}], expected [vocabulary, dimensions].`);
  const [rows, dimensions] = tensor.shape as [number, number];
  const tokenizerJson = json(files.tokenizer, 'tokenizer.json') as { model?: { vocab?: unknown; unk_token?: unknown; unk_id?: unknown }; added_tokens?: Array<{ id?: unknown }> };
  let tokenizer: HfTokenizer;
  try {
    tokenizer = HfTokenizer.fromJSON(tokenizerJson as never, { name });
  } catch (cause) {
    if (cause instanceof ChunkwiseError) throw cause;
    throw new ChunkwiseError('CORRUPT_DATA', `${name}: tokenizer.json could not be read.`, { cause });
  }
  const vocabulary = vocabularySize(tokenizerJson);
  if (vocabulary > rows) {
    throw new ChunkwiseError('DIMENSION_MISMATCH', `${name}: tokenizer.json has ${vocabulary} tokens but the embedding table has ${rows} rows; the files do not belong together.`, {
      details: { tokens: vocabulary, rows },
    });
  }
  const config = json(files.config, 'config.json') as { normalize?: unknown } | undefined;
  const modules = json(files.modules, 'modules.json');
  const normalizeModule = Array.isArray(modules) && modules.some((m) => typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.endsWith('Normalize'));
  const normalize = options.normalize ?? (typeof config?.normalize === 'boolean' ? config.normalize : normalizeModule);
  // Model2Vec leaves the unknown token out of the mean (its row carries no meaning); sentence-transformers keeps every id.
  const unknown = sentenceTransformers ? undefined : unknownId(tokenizerJson);
  return new StaticModelEmbedder({
    tokenizer,
    embeddings: tensor.values(),
    dimensions,
    normalize,
    ...(unknown === undefined ? {} : { skipIds: [unknown] }),
    ...(options.truncateTokens === undefined ? {} : { truncateTokens: options.truncateTokens }),
  });
}

function vocabularySize(json: { model?: { vocab?: unknown }; added_tokens?: Array<{ id?: unknown }> }): number {
  let size = 0;
  const vocab = json.model?.vocab;
  if (Array.isArray(vocab)) size = vocab.length;
  else if (typeof vocab === 'object' && vocab !== null) for (const id of Object.values(vocab)) if (typeof id === 'number') size = Math.max(size, id + 1);
  for (const added of json.added_tokens ?? []) if (typeof added.id === 'number') size = Math.max(size, added.id + 1);
  return size;
}

function unknownId(json: { model?: { vocab?: unknown; unk_token?: unknown; unk_id?: unknown } }): number | undefined {
  const model = json.model;
  if (typeof model?.unk_id === 'number') return model.unk_id;
  if (typeof model?.unk_token !== 'string' || typeof model.vocab !== 'object' || model.vocab === null || Array.isArray(model.vocab)) return undefined;
  const id = (model.vocab as Record<string, unknown>)[model.unk_token];
  return typeof id === 'number' ? id : undefined;
}
