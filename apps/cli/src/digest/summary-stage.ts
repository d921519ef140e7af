import type { LanguageModel, Span } from '@chunkwise/core';
import { countWords, extractiveSummary, summarize, type SummarizationMethod, type SummarizeResult } from '@chunkwise/summarization';
import { llmCallCache } from '../llm-cache.js';
import { languageModelFromOptions } from '../llm-options.js';
import { WHOLE_TEXT_CHARS, readParts } from './text-parts.js';
import type { DigestContext, DigestStage } from './types.js';

/** Words in the digest's summary. */
export const DIGEST_SUMMARY_WORDS = 250;

/** Parts keep this many times their share of the target for the final round (summarization's own pool factor). */
const POOL_FACTOR = 3;

type SummaryFigures = Pick<SummarizeResult, 'summary' | 'words' | 'method' | 'targetWords' | 'lengthError' | 'calls' | 'cacheHits' | 'promptTokens' | 'completionTokens' | 'levels' | 'retries'>;

/**
 * The digest's summary: extractive (offline, chapters first) by default; hierarchical merging with
 * the LLM configured through CHUNKWISE_LLM_URL / CHUNKWISE_LLM_MODEL when there is one. Every
 * finished LLM call is kept in the digest's content cache, so a rerun after a failure makes only
 * the calls that are missing. A book over WHOLE_TEXT_CHARS is summarised part by part, then the
 * parts' extracts together, so its text is never held whole.
 */
export function createSummaryStage(resolveModel: () => LanguageModel | undefined = () => languageModelFromOptions({})): DigestStage {
  return {
    name: 'summary',
    async run(context) {
      const { report } = context;
      const model = resolveModel();
      const method: SummarizationMethod = model ? 'hierarchical' : 'extractive';
      const wholeText = context.document.characters <= (context.options.wholeTextChars ?? WHOLE_TEXT_CHARS);
      const result = wholeText ? await summaryOfText(context, await context.document.text(), method, model) : await summaryOfParts(context, method, model);
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
        ...(wholeText ? {} : { parts: true }),
      };
      const calls = model ? `, ${result.calls} calls${result.cacheHits ? ` (${result.cacheHits} reused)` : ''}` : '';
      return `${result.method}, ${result.words} words (target ${DIGEST_SUMMARY_WORDS})${calls}${wholeText ? '' : ', book read in parts'}`;
    },
  };
}

function summaryOfText(
  { document, cache, options, onProgress }: DigestContext,
  text: string,
  method: SummarizationMethod,
  model: LanguageModel | undefined,
  targetWords = DIGEST_SUMMARY_WORDS,
  sections: readonly Span[] = document.sections,
): Promise<SummarizeResult> {
  return summarize(text, {
    method,
    targetWords,
    ...(model ? { model } : {}),
    ...(model && cache ? { cache: llmCallCache(cache) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    extractive: { sections },
    onProgress: (event) => onProgress({ ...event, stage: 'summary' }),
  });
}

/**
 * Summarization's chapters-first extraction with the chapters read a part at a time: each part is
 * summarised to its share of POOL_FACTOR × the target (by its words), then the pooled extracts,
 * one section per part, to the target.
 */
async function summaryOfParts(context: DigestContext, method: SummarizationMethod, model: LanguageModel | undefined): Promise<SummaryFigures> {
  const totalWords = Math.max(1, context.report.document.words);
  const extracts: string[] = [];
  const tally = { calls: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, retries: 0 };
  const count = (result: SummarizeResult) => {
    for (const key of Object.keys(tally) as (keyof typeof tally)[]) tally[key] += result[key];
  };
  for await (const part of readParts(context.document)) {
    const words = countWords(part.text);
    if (words === 0) continue;
    const share = Math.max(Math.round((POOL_FACTOR * DIGEST_SUMMARY_WORDS * words) / totalWords), 20);
    if (words <= share) {
      extracts.push(part.text.trim());
    } else if (!model) {
      const signal = context.options.signal ? { signal: context.options.signal } : {};
      extracts.push(extractiveSummary(part.text, { targetWords: share, tolerance: 0.5, sections: part.sections, ...signal }).summary);
    } else {
      const result = await summaryOfText(context, part.text, method, model, share, part.sections);
      extracts.push(result.summary);
      count(result);
    }
  }
  // One section per part, so the final round spreads its choice over the whole book.
  const sections: Span[] = [];
  let at = 0;
  for (const extract of extracts) {
    sections.push({ start: at, end: at + extract.length });
    at += extract.length + 2;
  }
  const final = await summaryOfText(context, extracts.join('\n\n'), method, model, DIGEST_SUMMARY_WORDS, sections);
  count(final);
  return { ...final, ...tally, levels: final.levels + 1 };
}

export const summaryStage = createSummaryStage();
