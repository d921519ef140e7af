import type { Chunk } from '@chunkwise/core';
import { sentenceLevel, wordLevel } from './boundaries/levels.js';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, previousChunk } from './chunker.js';

/**
 * Packs whole sentences (UAX #29 with abbreviation and initial repair) up to the limit. A sentence
 * longer than the limit is split at words, then graphemes — never emitted oversize (cf. chonkie #170).
 */
export class SentenceChunker extends BaseChunker {
  protected chunkText(planner: ChunkPlanner): Chunk[] {
    return this.chunkFrom(planner, 0, undefined);
  }

  protected override resumable(): boolean {
    return true;
  }

  protected override chunkFrom(planner: ChunkPlanner, from: number, previousStart: number | undefined): Chunk[] {
    const levels = [sentenceLevel, wordLevel];
    return planner.chunk(from, planner.text.length, levels, this.maxTokens, this.overlap, previousChunk(from, previousStart));
  }
}
