// Node-only parts of the static embedders: files, folders, the wink GloVe conversion and the
// on-disk table cache. The embedders themselves come from `@chunkwise/providers/static`.
export { loadGloveVectors, gloveEmbedder, resolveWinkVectors } from './glove.js';
export type { GloveOptions } from './glove.js';
export { loadWordVectorsFile } from './word-vectors-file.js';
export type { WordVectorsFileOptions } from './word-vectors-file.js';
export { loadStaticModel } from './static-model-folder.js';
export { defaultCacheDir } from './cache-dir.js';
export type { VectorCacheOptions } from './vector-cache.js';
