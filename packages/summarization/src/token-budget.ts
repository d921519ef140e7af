import { ChunkwiseError, type GenerateRequest, type LanguageModel, type Tokenizer } from '@chunkwise/core';

/**
 * When the model brings no tokenizer we count with o200k_base and add this margin: other
 * vocabularies (Llama, Mistral, Qwen) spend up to about a fifth more tokens on English prose.
 */
export const FALLBACK_MARGIN = 1.25;
/** Chat-template tokens around the messages (role markers, separators, reply priming). */
export const MESSAGE_OVERHEAD = 12;

/**
 * The prompt budget of one model call: `model.contextWindow − maxTokens`, measured with the
 * model's own tokenizer, or o200k × FALLBACK_MARGIN when the model has none.
 */
export class PromptBudget {
  /** Tokens a prompt (system + user + template overhead) may take. */
  readonly limit: number;
  readonly tokenizer: Tokenizer;
  /** 1 for the model's own tokenizer, FALLBACK_MARGIN for o200k. */
  readonly margin: number;

  constructor(contextWindow: number, readonly maxTokens: number, tokenizer: Tokenizer, exact: boolean) {
    this.limit = contextWindow - maxTokens;
    this.tokenizer = tokenizer;
    this.margin = exact ? 1 : FALLBACK_MARGIN;
  }

  /** Tokens `text` may cost the model (with the margin when inexact). */
  count(text: string): number {
    if (text.length === 0) return 0;
    return Math.ceil(this.tokenizer.count(text) * this.margin);
  }

  /** Tokens a whole request costs: its messages plus template overhead. */
  requestTokens(request: Pick<GenerateRequest, 'system' | 'prompt'>): number {
    return this.count(request.system ?? '') + this.count(request.prompt) + MESSAGE_OVERHEAD;
  }

  /** The same budget with `tokens` fewer for prompts: room kept for text every request adds (a question to focus on). */
  reserving(tokens: number): PromptBudget {
    return new PromptBudget(this.limit + this.maxTokens - tokens, this.maxTokens, this.tokenizer, this.margin === 1);
  }

  /** A limit in budget tokens as a limit in tokenizer tokens (for chunkers that count raw). */
  toTokenizerTokens(budgetTokens: number): number {
    return Math.floor(budgetTokens / this.margin);
  }

  /** The last line of defence: a request over budget is a bug, and is never sent. */
  assertFits(request: Pick<GenerateRequest, 'system' | 'prompt'>): number {
    const tokens = this.requestTokens(request);
    if (tokens > this.limit) {
      throw new ChunkwiseError(
        'LIMIT_EXCEEDED',
        `A ${tokens}-token prompt would exceed the ${this.limit}-token budget (contextWindow − maxTokens).`,
        { details: { tokens, limit: this.limit } },
      );
    }
    return tokens;
  }
}

/** The budget for `model`, loading o200k_base lazily only when the model has no tokenizer. */
export async function promptBudgetFor(model: LanguageModel, maxTokens: number): Promise<PromptBudget> {
  if (model.tokenizer) return new PromptBudget(model.contextWindow, maxTokens, model.tokenizer, true);
  const { getEncoding } = await import('@chunkwise/tokenizers');
  return new PromptBudget(model.contextWindow, maxTokens, await getEncoding('o200k_base'), false);
}
