import type { EmbedderSource } from '@chunkwise/eval';

/**
 * The dense retriever's embedder for the quality suite. Chunkwise's offline default (static GloVe
 * vectors with SIF weighting, from `@chunkwise/providers`) is not available in this build, so the
 * suite runs BM25 rows only and says so.
 */
export async function loadQualityEmbedder(): Promise<{ source: EmbedderSource | undefined; note: string }> {
  return { source: undefined, note: 'BM25 only: no offline embedder is available to this build yet, so the dense and hybrid rows are not run (they run as soon as `loadQualityEmbedder` returns one).' };
}
