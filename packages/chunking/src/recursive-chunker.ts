import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import { lineLevel, paragraphLevel, punctuationSentenceLevel, wordLevel, type Level } from './boundaries/levels.js';
import { markdownLevels } from './boundaries/markdown-blocks.js';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, previousChunk } from './chunker.js';
import { describeValue, type BaseChunkerOptions } from './chunk-options.js';

/** A named hierarchy of levels, coarse to fine; graphemes are always the implicit last level. */
export interface Recipe {
  readonly name: string;
  /** Levels for one text (a recipe may pre-scan the text, as `markdown` does for fences). */
  levels(text: string): readonly Level[];
}

/** Paragraphs → lines → sentences → words → graphemes. */
export const plainRecipe: Recipe = {
  name: 'plain',
  levels: () => [paragraphLevel, lineLevel, punctuationSentenceLevel, wordLevel],
};

/** Sections by heading depth → blocks (fences, tables, lists whole) → list items → lines → sentences → words. */
export const markdownRecipe: Recipe = { name: 'markdown', levels: markdownLevels };

export const RECIPES = { plain: plainRecipe, markdown: markdownRecipe } as const;

export interface RecursiveChunkerOptions extends BaseChunkerOptions {
  /** `'plain'` (default), `'markdown'`, or your own levels. */
  recipe?: keyof typeof RECIPES | Recipe;
}

/**
 * Splits at the coarsest level that makes pieces fit, descending only into pieces that do not, then
 * packs pieces greedily up to the limit (text-splitter / LangChain recursive splitting), at the cost
 * of one tokenization pass plus one count per chunk.
 */
export class RecursiveChunker extends BaseChunker {
  readonly recipe: Recipe;

  constructor(options: RecursiveChunkerOptions) {
    super(options);
    const { recipe = 'plain' } = options;
    if (typeof recipe === 'string' ? !Object.hasOwn(RECIPES, recipe) : typeof recipe !== 'object' || recipe === null || typeof recipe.levels !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `recipe must be 'plain', 'markdown' or { name, levels(text) }, got ${describeValue(recipe)}.`);
    }
    this.recipe = typeof recipe === 'string' ? RECIPES[recipe] : recipe;
  }

  protected chunkText(planner: ChunkPlanner): Chunk[] {
    return this.chunkFrom(planner, 0, undefined);
  }

  /** `plain` levels look only at the range they split; `markdown` pre-scans the text for fences. */
  protected override resumable(): boolean {
    return this.recipe === plainRecipe;
  }

  protected override chunkFrom(planner: ChunkPlanner, from: number, previousStart: number | undefined): Chunk[] {
    const levels = this.recipe.levels(planner.text);
    return planner.chunk(from, planner.text.length, levels, this.maxTokens, this.overlap, previousChunk(from, previousStart));
  }
}
