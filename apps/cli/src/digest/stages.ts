import { cachedStage } from './cached-stage.js';
import { chunksStage } from './chunks-stage.js';
import { indexStage } from './index-stage.js';
import { loadStage } from './load-stage.js';
import { DIGEST_SUMMARY_WORDS, summaryStage } from './summary-stage.js';
import { TOKEN_ENCODINGS, tokensStage } from './tokens-stage.js';
import { WHOLE_TEXT_CHARS } from './text-parts.js';
import { DIGEST_DEFAULTS, type DigestStage } from './types.js';
import { writeStage } from './write-stage.js';

/**
 * The pipeline, in order: load → tokens → chunks → index + questions → summary → report. A cached
 * stage's key holds every setting its result depends on, so changing one recomputes it.
 */
export const DIGEST_STAGES: DigestStage[] = [
  loadStage,
  cachedStage(tokensStage, 'tokens-v1', () => ({ encodings: [...TOKEN_ENCODINGS] })),
  cachedStage(chunksStage, 'chunks-v3', ({ options }) => ({
    maxTokens: options.maxTokens ?? DIGEST_DEFAULTS.maxTokens,
    tokenizer: options.tokenizer ?? DIGEST_DEFAULTS.tokenizer,
  })),
  indexStage,
  // An LLM summary depends on the model; its finished calls are cached one by one as well.
  cachedStage(summaryStage, 'summary-v3', ({ options }) => ({
    wholeTextChars: options.wholeTextChars ?? WHOLE_TEXT_CHARS,
    llm: process.env.CHUNKWISE_LLM_URL ?? null,
    model: process.env.CHUNKWISE_LLM_MODEL ?? null,
    contextWindow: process.env.CHUNKWISE_LLM_CONTEXT_WINDOW ?? null,
    words: DIGEST_SUMMARY_WORDS,
  })),
  writeStage,
];
