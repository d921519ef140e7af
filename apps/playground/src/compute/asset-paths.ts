// Files the page fetches on demand, relative to the document. The Vite plugins in vite-plugins/
// write them at build time (and serve them in dev); the worker fetches them only when needed.

/** Meta's Llama 3 tokenizer.json, minified (5.2 MB): fetched when someone picks Llama 3. */
export const LLAMA3_TOKENIZER_PATH = 'data/llama3-tokenizer.json';

/** GloVe 100-d vectors for the words of the bundled corpora (a `.cwv` table): fetched for dense search. */
export const GLOVE_SUBSET_PATH = 'data/glove-100d-subset.cwv';
