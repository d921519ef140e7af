import { Option, type Command } from 'commander';
import { ChunkwiseError, type Embedder, type ProgressCallback } from '@chunkwise/core';
import { RETRIEVERS, type RetrieverName } from '@chunkwise/eval';
import { reciprocalRankFusion, type ScoredId, type Store } from '@chunkwise/retrieval';
import { EMBEDDER_HELP, parseEmbedderSpec, type EmbedderSpec, type LoadedEmbedder } from './embedder-option.js';
import { UsageError } from './errors.js';
import { queryEmbedder } from './index-embedder.js';
import { QUALITY_DEFAULTS } from './quality-defaults.js';
import type { StoreTarget } from './store-target.js';

export interface RetrieverFlags {
  retriever: RetrieverName;
  embedder?: EmbedderSpec;
}

/**
 * Adds `--retriever bm25|dense|hybrid` (default BM25: see quality-defaults.ts for the figures) and
 * `--embedder <spec>` (optional: an index that recorded its embedder is queried with that one).
 */
export function addRetrieverOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--retriever <name>', `bm25 (exact BM25), dense (the index's embedder) or hybrid (reciprocal rank fusion of both)`)
        .argParser(parseRetriever)
        .default(QUALITY_DEFAULTS.retriever),
    )
    .addOption(new Option('--embedder <spec>', `for dense and hybrid: must be the index's own (recorded by index --embedder): ${EMBEDDER_HELP}`).argParser((value: string) => parseEmbedderSpec(value)));
}

function parseRetriever(value: string): RetrieverName {
  if (!(RETRIEVERS as readonly string[]).includes(value)) throw new UsageError(`--retriever takes ${RETRIEVERS.join(', ')}, got ${JSON.stringify(value)}.`);
  return value as RetrieverName;
}

/** A retriever over one opened index: BM25, or with the index's embedder loaded, dense or hybrid. */
export interface IndexRetriever {
  name: RetrieverName;
  /** The embedder in use (dense and hybrid). */
  embedder?: LoadedEmbedder;
  /**
   * Ranked ids, best first, at most `k`. Hybrid fuses each ranking's top `fusionDepth` (default
   * `QUALITY_DEFAULTS.fusionDepth`, at most `k`), not `k`: see `rank`.
   */
  search(query: string, k: number, options?: { signal?: AbortSignal; fusionDepth?: number }): Promise<ScoredId[]>;
  close(): Promise<void>;
}

/**
 * Opens the retriever the flags ask for on an index. Dense and hybrid need the vectors an
 * `index --embedder` run stored: an index without them is refused with what to run.
 */
export async function openRetriever(target: StoreTarget, flags: RetrieverFlags, options: { onProgress?: ProgressCallback } = {}): Promise<IndexRetriever> {
  if (flags.retriever === 'bm25') return bm25Retriever(target.store);
  const found = await queryEmbedder(target, flags.embedder, options);
  if (found === undefined) {
    throw new ChunkwiseError('NOT_FOUND', `${target.label} holds no vectors, so --retriever ${flags.retriever} has nothing to search; index the files with --embedder glove (or another embedder) first, or use --retriever bm25.`);
  }
  const name = flags.retriever;
  return retrieverWith(target.store, name, found.loaded);
}

/** Dense or hybrid search over a store with an embedder already loaded (the digest's own). */
export function retrieverWith(store: Store, name: Exclude<RetrieverName, 'bm25'>, loaded: LoadedEmbedder): IndexRetriever {
  return { name, embedder: loaded, search: (query, k, options = {}) => rank(store, loaded.embedder, name, query, k, options), close: () => loaded.close() };
}

/** BM25 over a store. */
export function bm25Retriever(store: Store): IndexRetriever {
  return { name: 'bm25', search: (query, k) => store.searchText(query, { k }), close: () => Promise.resolve() };
}

/**
 * Dense: nearest chunk vectors to the query's. Hybrid: reciprocal rank fusion (k = 60, weights
 * BM25 1 : dense 0.5, chosen on the tune split) of the BM25 and dense rankings' top `fusionDepth`
 * (10 unless asked): fusing the 50 candidates a budget offers put chunks both rank middling above
 * BM25's first (recall at 1,200 tokens 0.295 against 0.613 for 10-deep lists at 1 : 1, and 0.642 at
 * 1 : 0.5; quality-retrievers in docs/benchmarks.md). A query with no known
 * word embeds to the zero vector, which is near nothing: dense finds nothing, hybrid is BM25's.
 */
async function rank(store: Store, embedder: Embedder, retriever: RetrieverName, query: string, k: number, options: { signal?: AbortSignal; fusionDepth?: number }): Promise<ScoredId[]> {
  const { signal, fusionDepth = QUALITY_DEFAULTS.fusionDepth } = options;
  const [vector] = await embedder.embed([query], signal === undefined ? undefined : { signal });
  const depth = retriever === 'dense' ? k : Math.min(k, fusionDepth);
  const dense = vector === undefined || vector.every((x) => x === 0) ? [] : await store.searchVector(vector, { k: depth });
  if (retriever === 'dense') return dense;
  return reciprocalRankFusion([await store.searchText(query, { k: depth }), dense], { limit: k, weights: QUALITY_DEFAULTS.fusionWeights });
}
