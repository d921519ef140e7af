import { sentenceSpans } from '@chunkwise/chunking';
import { ChunkwiseError, type Span } from '@chunkwise/core';
import { optionsObject, requireBoolean, requireInteger, requireSpans, requireStrings } from './argument-checks.js';
import { dialogueShare } from './dialogue-share.js';
import { rougeMulti, type RougeScores } from './rouge.js';
import { salientTermCoverage, type TermCoverage } from './salient-terms.js';
import { equalSections, locateSentences, sectionCoverage, type SectionCoverage } from './section-coverage.js';

export interface EvaluateSummaryOptions {
  /** Reference summaries, when the dataset has them: ROUGE takes the best per variant. */
  references?: readonly string[];
  /** Porter stemming for ROUGE; default false. */
  stem?: boolean;
  /**
   * The source's sections (chapters, addresses) as spans, or a number of equal parts. Default 10
   * equal parts.
   */
  sections?: readonly Span[] | number;
  /**
   * Where the summary's sentences come from in the source (an extractive summary's spans). Default:
   * each summary sentence is looked up verbatim (whitespace-insensitive); rewritten sentences are
   * not found and count as covering nothing.
   */
  summarySpans?: readonly Span[];
  /** How many salient terms of the source to look for; default 50. */
  salientTerms?: number;
}

export interface SummaryEvaluation {
  rouge?: RougeScores;
  sections: SectionCoverage;
  terms: TermCoverage;
  /** Share of the summary's letters inside quotation or dialogue (`dialogueShare`). */
  dialogueShare: number;
  /** Summary sentences, and how many were found in the source (when `summarySpans` was not given). */
  sentences: number;
  located: number;
}

/**
 * Summarization's hook: ROUGE against references when there are any, coverage of the source's
 * sections and salient terms, and the share of dialogue, so a summary that is a run of quoted lines
 * from one chapter shows it in numbers.
 */
export function evaluateSummary(summary: string, source: string, options: EvaluateSummaryOptions = {}): SummaryEvaluation {
  if (typeof summary !== 'string' || typeof source !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'evaluateSummary needs the summary and the source as strings.');
  const { references, stem = false, sections = 10, summarySpans, salientTerms = 50 } = optionsObject(options, 'evaluateSummary options');
  if (references !== undefined) requireStrings(references, 'references');
  requireBoolean(stem, 'stem');
  if (typeof sections !== 'number') requireSpans(sections, 'sections');
  if (summarySpans !== undefined) requireSpans(summarySpans, 'summarySpans');
  requireInteger(salientTerms, 'salientTerms', 1);
  const sectionSpans = typeof sections === 'number' ? equalSections(source.length, sections) : sections;
  const sentences = sentenceSpans(summary).map(({ start, end }) => summary.slice(start, end)).filter((s) => s.trim() !== '');
  const located = summarySpans ? { spans: [...summarySpans], located: sentences.length } : locateSentences(sentences, source);
  const result: SummaryEvaluation = {
    sections: sectionCoverage(located.spans, sectionSpans),
    terms: salientTermCoverage(summary, source, { count: salientTerms }),
    dialogueShare: dialogueShare(summary),
    sentences: sentences.length,
    located: located.located,
  };
  if (references !== undefined && references.length > 0) result.rouge = rougeMulti(summary, references, { stem });
  return result;
}
