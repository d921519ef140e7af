import { ChunkwiseError, throwIfAborted, type Embedder } from '@chunkwise/core';
import type { StoreRecord } from '@chunkwise/retrieval';

/** Texts per embed call: bounds one request's size and memory. */
const EMBED_BATCH = 256;

/**
 * Sets each record's `vector` to its text's embedding, in batches. A static embedder maps a text
 * with no known word to the zero vector, which has no cosine to anything: such a record is stored
 * without a vector (BM25 still finds it), as retrieval's ingestSource does.
 */
export async function embedRecords(records: StoreRecord[], embedder: Embedder, signal?: AbortSignal): Promise<void> {
  for (let from = 0; from < records.length; from += EMBED_BATCH) {
    throwIfAborted(signal);
    const batch = records.slice(from, from + EMBED_BATCH);
    const vectors = await embedder.embed(
      batch.map((record) => record.text),
      signal === undefined ? undefined : { signal },
    );
    if (!Array.isArray(vectors) || vectors.length !== batch.length) {
      throw new ChunkwiseError('UPSTREAM', `The embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts.`);
    }
    batch.forEach((record, i) => {
      const vector = vectors[i]!;
      if (vector.some((value) => value !== 0)) record.vector = vector;
      else delete record.vector;
    });
  }
}
