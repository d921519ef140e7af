import type { LanguageModel, Tokenizer } from '@chunkwise/core';
import { hitsToContext, selectContext, type ContextPassage, type ContextStrategy, type StoredRecord } from '@chunkwise/retrieval';
import { answer, answerStream, type AnswerMethod, type AnswerResult, type Citation, type SummaryCache } from '@chunkwise/summarization';
import { QUALITY_DEFAULTS } from './quality-defaults.js';
import type { IndexRetriever } from './retriever-option.js';
import type { StoreTarget } from './store-target.js';

/** What an answer's sentence may be without any passage: summarization's own words. */
export const NO_PASSAGES = 'No indexed passage matches this question.';

export interface QuestionSettings {
  retriever: IndexRetriever;
  tokenizer: Tokenizer;
  budgetTokens: number;
  strategy: ContextStrategy;
  /** At most this many passages (only when the user asked for a cap). */
  k?: number | undefined;
  /** The document a record belongs to, for citations and document order (default meta.source). */
  docId?: (record: StoredRecord) => string | undefined;
  method: AnswerMethod;
  model?: LanguageModel | undefined;
  /** Finished model answers, so a rerun makes no call twice. */
  cache?: SummaryCache | undefined;
  /** Longest answer in words. */
  targetWords?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** An answer and the passages it was given: every citation points into one of them. */
export interface CitedAnswer {
  result: AnswerResult;
  passages: ContextPassage[];
}

/**
 * Retrieves, assembles a context that fits the budget (retrieval's selectContext), and answers
 * from it with summarization's `answer`: the one path `ask` and the digest's questions take.
 * `onText` receives the answer as it arrives (a model's stream; extractive answers in one piece).
 */
export async function answerQuestion(target: StoreTarget, question: string, settings: QuestionSettings, onText?: (text: string) => void): Promise<CitedAnswer> {
  const found = await settings.retriever.search(question, Math.max(QUALITY_DEFAULTS.candidates, settings.k ?? 0), {
    fusionDepth: Math.max(QUALITY_DEFAULTS.fusionDepth, settings.k ?? 0),
    ...(settings.signal === undefined ? {} : { signal: settings.signal }),
  });
  const hits = await hitsToContext(target.store, found, settings.docId ? { docId: settings.docId } : {});
  const context = selectContext(hits, {
    budgetTokens: settings.budgetTokens,
    tokenizer: settings.tokenizer,
    strategy: settings.strategy,
    ...(settings.k === undefined ? {} : { k: settings.k }),
  });
  const passages = context.passages;
  if (passages.length === 0) {
    onText?.(NO_PASSAGES);
    return { result: unanswered(settings.method), passages };
  }
  const options = {
    method: settings.method,
    ...(settings.model && { model: settings.model }),
    ...(settings.cache && { cache: settings.cache }),
    ...(settings.targetWords !== undefined && { targetWords: settings.targetWords }),
    ...(settings.signal && { signal: settings.signal }),
  };
  if (!onText) return { result: await answer(question, passages, options), passages };
  for await (const part of answerStream(question, passages, options)) {
    if (part.type === 'text') onText(part.text);
    else return { result: part.result, passages };
  }
  /* c8 ignore next */
  throw new Error('answerStream ended without its result.');
}

function unanswered(method: AnswerMethod): AnswerResult {
  return { text: NO_PASSAGES, citations: [], answered: false, method, words: 0, usage: { promptTokens: 0, completionTokens: 0 }, calls: 0, cacheHits: 0, retries: 0, repairs: [] };
}

/** A citation as the CLI prints it: the source file and the evidence's offsets in it. */
export interface CitationRow {
  marker: number;
  source: string;
  start: number;
  end: number;
  /** Exactly the source's characters [start, end). */
  text: string;
}

/**
 * Citations in source terms. The passage's document offsets come from the store (`meta.start`), so
 * `source.slice(start, end) === text`; `sourceOf` maps a passage's docId back to the file name.
 */
export function citationRows(citations: readonly Citation[], sourceOf: (docId: string) => string = (docId) => docId): CitationRow[] {
  return citations.map((citation) => ({
    marker: citation.marker,
    source: sourceOf(citation.docId ?? citation.sourceId),
    start: citation.documentStart ?? citation.start,
    end: citation.documentEnd ?? citation.end,
    text: citation.text,
  }));
}

/** One line per repair the answer step made to a model's answer, for stderr. */
export function describeRepairs(result: AnswerResult, passages: number): string[] {
  return result.repairs.map((repair) => {
    switch (repair.kind) {
      case 'unknown-marker':
        return `the model cited passage [${repair.marker}], but the context had ${passages}; that citation was removed.`;
      case 'attributed':
        return `the model cited nothing; ${repair.sentences} of its sentences were matched to the passages they draw on.`;
      case 'unsupported':
        return `${repair.sentences} sentence(s) of the model's answer share no words with any passage and are left uncited.`;
      case 'truncated':
        return 'the model stopped at its token limit; the answer was cut back to its last complete sentence.';
      case 'split':
        return `passage ${repair.sourceId} was longer than one prompt and was read in ${repair.pieces} pieces.`;
      case 'fallback':
        return 'the passages did not fit one prompt: compact fell back to refine.';
    }
  });
}
