export type { Span, Chunk, Tokenizer, TokenOffsets, TokenOffsetsOptions, SliceCounter, Embedder, LanguageModel, GenerateRequest, GenerateResult, GenerateStreamPart } from './types.js';
export { ChunkwiseError, isChunkwiseError, throwIfAborted } from './errors.js';
export type { ChunkwiseErrorCode, ChunkwiseErrorOptions } from './errors.js';
export { createProgress } from './progress.js';
export type { ProgressEvent, ProgressCallback, ProgressReporter, ProgressOptions } from './progress.js';
export { hashKey, canonicalEncode, toHex } from './hash-key.js';
export { seededRandom } from './seeded-random.js';
export { requireOptionalPeer, importOptionalPeer } from './optional-peer.js';
export type { OptionalPeer } from './optional-peer.js';
