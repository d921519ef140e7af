import { RecursiveChunker } from '@chunkwise/chunking';
import { ChunkwiseError } from '@chunkwise/core';
import { splitSentences } from '@chunkwise/chunking';
import type { PromptBudget } from './token-budget.js';

/**
 * Cuts `text` into consecutive pieces of at most `budgetTokens` (as the budget counts them) with
 * `@chunkwise/chunking`'s RecursiveChunker: paragraphs, then lines, sentences and words, so a piece
 * that cannot fit is split further and nothing is ever dropped or truncated.
 */
export async function splitToBudget(text: string, budgetTokens: number, budget: PromptBudget, signal?: AbortSignal): Promise<string[]> {
  const maxTokens = budget.toTokenizerTokens(budgetTokens);
  if (maxTokens < 1) {
    throw new ChunkwiseError('LIMIT_EXCEEDED', `No room for text in the prompt (${budgetTokens} tokens left).`, {
      details: { budgetTokens },
    });
  }
  const chunker = new RecursiveChunker({ tokenizer: budget.tokenizer, maxTokens });
  const chunks = await chunker.chunk(text, signal ? { signal } : {});
  return chunks.map((chunk) => chunk.text).filter((piece) => piece.trim().length > 0);
}

/**
 * The end of `text` that fits in `maxTokens`, cut at a sentence boundary: BooookScore gives the
 * previous merged summary as context capped at a share of the budget. We keep the end rather than
 * the start because the end is what the next summaries continue. Empty when not one sentence fits.
 */
export function tailWithin(text: string, maxTokens: number, budget: PromptBudget): string {
  if (budget.count(text) <= maxTokens) return text;
  const spans = splitSentences(text);
  let start = text.length;
  for (let i = spans.length - 1; i >= 0; i--) {
    if (budget.count(text.slice(spans[i]!.start, text.length)) > maxTokens) break;
    start = spans[i]!.start;
  }
  return text.slice(start).trim();
}
