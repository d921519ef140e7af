// Browser-safe static embedders over bytes you already have. Reading folders, converting the
// wink GloVe vectors and the on-disk cache live in `@chunkwise/providers/static/node`.
export { WordVectors } from './word-vectors.js';
export type { WordVectorsLoadOptions } from './word-vectors.js';
export { WordVectorsBuilder } from './word-vectors-builder.js';
export type { WordVectorsBuilderOptions } from './word-vectors-builder.js';
export type { VectorEncoding } from './word-vectors-format.js';
export { SifEmbedder } from './sif-embedder.js';
export type { SifOptions } from './sif-embedder.js';
export type { SifState } from './sif-state.js';
export { TextVectorsParser, parseTextVectors } from './text-vectors.js';
export { parseSafetensors } from './safetensors.js';
export type { Safetensors, SafetensorsTensor } from './safetensors.js';
export { StaticModelEmbedder } from './static-model-embedder.js';
export type { StaticModelEmbedderOptions, StaticModelTokenizer } from './static-model-embedder.js';
export { staticModelFromFiles } from './static-model-files.js';
export type { StaticModelFiles, StaticModelFileOptions } from './static-model-files.js';
export { CodeUnitTokenizer } from './code-unit-tokenizer.js';
