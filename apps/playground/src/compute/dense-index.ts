// Dense search in the page: GloVe word vectors with SIF weights (@chunkwise/providers/static) over
// a flat cosine VectorIndex. Imported only when someone picks dense or hybrid, so BM25 users never
// load it or the vector table.
import type { ScoredId } from '@chunkwise/retrieval';
import { VectorIndex } from '@chunkwise/retrieval';
import { SifEmbedder, WordVectors } from '@chunkwise/providers/static';

/** The word-vector table the page fetched, as the Search view reports it. */
export interface VectorTableInfo {
  words: number;
  dimensions: number;
  bytes: number;
  /** Fetching and opening the table (checksum verified), in milliseconds. */
  loadMs: number;
}

export interface LoadedVectorTable extends VectorTableInfo {
  vectors: WordVectors;
}

/** Opens a `.cwv` table from its bytes, checking its checksum. */
export async function openVectorTable(fetchBytes: () => Promise<Uint8Array>): Promise<LoadedVectorTable> {
  const started = performance.now();
  const bytes = await fetchBytes();
  const vectors = WordVectors.fromBytes(bytes);
  return { vectors, words: vectors.size, dimensions: vectors.dimensions, bytes: bytes.length, loadMs: performance.now() - started };
}

/** Chunks embedded between two progress reports. */
const EMBED_BATCH = 2_000;

function isZero(vector: Float32Array): boolean {
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) return false;
  return true;
}

/**
 * A dense index of one set of chunks: a SIF embedder fitted on exactly these texts (word
 * frequencies and the removed principal component come from the indexed corpus), every chunk
 * embedded, and the vectors in a cosine `VectorIndex`. A chunk with no word the table knows embeds
 * to the zero vector, which has no cosine: it is left out of dense search (BM25 still finds it).
 */
export class DenseIndex {
  private constructor(
    private readonly embedder: SifEmbedder,
    private readonly index: VectorIndex,
    /** Chunks embedded, chunks left out (zero vector), and the time fitting and embedding took. */
    readonly embedded: number,
    readonly withoutVector: number,
    readonly embedMs: number,
  ) {}

  /** Fits, embeds and indexes; `onProgress` hears how far it got (a book's chunks take seconds). */
  static async build(vectors: WordVectors, ids: readonly string[], texts: readonly string[], onProgress?: (message: string) => void): Promise<DenseIndex> {
    const started = performance.now();
    const embedder = new SifEmbedder(vectors);
    const count = texts.length.toLocaleString('en-US');
    onProgress?.(`Fitting SIF word weights on ${count} chunks…`);
    embedder.fit(texts);
    const index = new VectorIndex({ dimensions: vectors.dimensions, metric: 'cosine' });
    let withoutVector = 0;
    for (let from = 0; from < texts.length; from += EMBED_BATCH) {
      onProgress?.(`Embedding chunks: ${from.toLocaleString('en-US')} of ${count}…`);
      const batch = await embedder.embed(texts.slice(from, from + EMBED_BATCH));
      batch.forEach((vector, i) => {
        if (isZero(vector)) withoutVector++;
        else index.add(ids[from + i]!, vector);
      });
    }
    return new DenseIndex(embedder, index, texts.length - withoutVector, withoutVector, performance.now() - started);
  }

  /** The k nearest chunks by cosine, or null when no word of the query is in the table. */
  async search(query: string, k: number): Promise<ScoredId[] | null> {
    const [vector] = await this.embedder.embed([query]);
    if (!vector || isZero(vector)) return null;
    return this.index.size === 0 ? [] : this.index.search(vector, { k });
  }
}
