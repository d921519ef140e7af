import type { Chunk } from '@chunkwise/core';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, previousChunk } from './chunker.js';
import type { BaseChunkerOptions } from './chunk-options.js';

export type TokenChunkerOptions = BaseChunkerOptions;

/**
 * Fixed windows of `maxTokens` tokens, each starting `overlap` tokens before the previous one
 * ended. Cuts come from the token offsets of one `encodeWithOffsets` pass and are moved back to the
 * nearest grapheme boundary, so a window never splits an emoji or a byte-level BPE character.
 */
export class TokenChunker extends BaseChunker {
  protected chunkText(planner: ChunkPlanner): Chunk[] {
    return this.chunkFrom(planner, 0, undefined);
  }

  protected override resumable(): boolean {
    return true;
  }

  protected override chunkFrom(planner: ChunkPlanner, from: number, previousStart: number | undefined): Chunk[] {
    return planner.chunk(from, planner.text.length, [], this.maxTokens, this.overlap, previousChunk(from, previousStart));
  }
}
