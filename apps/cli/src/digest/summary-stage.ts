import type { LanguageModel } from '@chunkwise/core';
import { summarize, type SummarizationMethod } from '@chunkwise/summarization';
import { llmCallCache } from '../llm-cache.js';
import { languageModelFromOptions } from '../llm-options.js';
import type { DigestStage } from './types.js';

/** Words in the digest's summary. */
export const DIGEST_SUMMARY_WORDS = 250;

/**
 * The digest's summary: extractive (offline, chapters first) by default; hierarchical merging with
 * the LLM configured through CHUNKWISE_LLM_URL / CHUNKWISE_LLM_MODEL when there is one. Every
 * finished LLM call is kept in the digest's content cache, so a rerun after a failure makes only
 * the calls that are missing.
 */
export function createSummaryStage(resolveModel: () => LanguageModel | undefined = () => languageModelFromOptions({})): DigestStage {
  return {
    name: 'summary',
    async run({ document, report, onProgress, cache, options }) {
      const model = resolveModel();
      const method: SummarizationMethod = model ? 'hierarchical' : 'extractive';
      const result = await summarize(document.text, {
        method,
        targetWords: DIGEST_SUMMARY_WORDS,
        ...(model ? { model } : {}),
        ...(model && cache ? { cache: llmCallCache(cache) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        extractive: { sections: document.sections },
        onProgress: (event) => onProgress({ ...event, stage: 'summary' }),
      });
      report.summary = {
        text: result.summary,
        words: result.words,
        method: result.method,
        targetWords: result.targetWords,
        lengthError: result.lengthError,
        calls: result.calls,
        cacheHits: result.cacheHits,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        levels: result.levels,
        retries: result.retries,
      };
      const calls = model ? `, ${result.calls} calls${result.cacheHits ? ` (${result.cacheHits} reused)` : ''}` : '';
      return `${result.method}, ${result.words} words (target ${DIGEST_SUMMARY_WORDS})${calls}`;
    },
  };
}

export const summaryStage = createSummaryStage();
