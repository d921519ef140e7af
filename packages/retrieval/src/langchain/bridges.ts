// Everything here imports @langchain/core; index.ts loads this module only after checking that it is installed.
export { ChunkwiseRetriever, RETRIEVER_MODES, type ChunkwiseRetrieverFields, type RetrieverMode } from './chunkwise-retriever.js';
export { ChunkwiseVectorStore, type ChunkwiseAddOptions, type ChunkwiseDeleteParams, type ChunkwiseVectorStoreArgs } from './chunkwise-vector-store.js';
export { NESTED_METADATA_KEY } from './document-metadata.js';
export type { IndexedDocument } from './search-source.js';
