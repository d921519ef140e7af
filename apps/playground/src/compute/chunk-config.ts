import { CHUNKING_STRATEGIES, createChunker, RecursiveChunker, RECIPES, STRATEGIES, type Chunker } from '@chunkwise/chunking';
import type { Tokenizer } from '@chunkwise/core';

/** The chunk settings the Chunks view edits and the Search view indexes with. */
export interface ChunkConfig {
  /** One of chunking's `STRATEGIES` (those that need no embedding model). */
  strategy: string;
  /** The recursive strategy's recipe (`RECIPES`); ignored by the others. */
  recipe: string;
  tokenizer: string;
  maxTokens: number;
  overlap: number;
}

export const DEFAULT_CHUNK_CONFIG: ChunkConfig = { strategy: 'recursive', recipe: 'plain', tokenizer: 'o200k_base', maxTokens: 128, overlap: 0 };

/** The strategies a page can build from a name alone, with chunking's own one-line descriptions. */
export const PAGE_STRATEGIES = CHUNKING_STRATEGIES.filter((info) => (STRATEGIES as readonly string[]).includes(info.name));

export const RECIPE_NAMES = Object.keys(RECIPES);

/**
 * The chunker a config names, built as a user of @chunkwise/chunking would: `createChunker` by
 * strategy name, or `RecursiveChunker` with a recipe. Limits are passed as typed, so a bad overlap
 * is the chunker's own INVALID_ARGUMENT, shown in the page, never silently clamped.
 */
export function createConfiguredChunker(config: ChunkConfig, tokenizer: Tokenizer): Chunker {
  const options = { tokenizer, maxTokens: config.maxTokens, overlap: config.overlap };
  if (config.strategy === 'recursive' && config.recipe !== 'plain') return new RecursiveChunker({ ...options, recipe: config.recipe as keyof typeof RECIPES });
  return createChunker(config.strategy, options);
}

/** "RecursiveChunker (markdown recipe), at most 128 o200k_base tokens, 16 overlap". */
export function describeChunkConfig(config: ChunkConfig): string {
  const info = PAGE_STRATEGIES.find((candidate) => candidate.name === config.strategy);
  const name = info ? info.className : config.strategy;
  const recipe = config.strategy === 'recursive' ? ` (${config.recipe} recipe)` : '';
  return `${name}${recipe}, at most ${String(config.maxTokens)} ${config.tokenizer} tokens${config.overlap > 0 ? `, ${String(config.overlap)} overlap` : ''}`;
}
