import { sentenceSpans } from '@chunkwise/chunking';
import { ChunkwiseError, seededRandom, type Span } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireInteger } from './argument-checks.js';
import type { EvalDataset, EvalQuestion } from './dataset.js';

export interface HeldOutSentenceOptions {
  text: string;
  /** Id of the corpus written (the text without the held-out sentences). */
  corpusId: string;
  /** How many questions; default 50. */
  questions?: number;
  /** Default 1. */
  seed?: number;
  /** Sentences kept on each side as the gold context; default 2. */
  context?: number;
  /** Only sentences with at least this many words become questions; default 10. */
  minWords?: number;
}

const WORDS = /[\p{L}\p{N}]+/gu;

/**
 * Held-out-sentence retrieval (the inverse cloze task of Lee et al. 2019): a sentence is cut out
 * of the text and becomes the question; the gold span is what surrounded it, `context` sentences
 * on each side, which after the cut are one contiguous span. Chosen sentences are at least
 * 2·context + 1 sentences apart so no gold span contains another cut. Seeded.
 */
export function heldOutSentenceTasks(options: HeldOutSentenceOptions): EvalDataset {
  if (!isObject(options)) invalid(`heldOutSentenceTasks needs options { text, corpusId }, got ${describeValue(options)}.`);
  const { text, corpusId, questions = 50, seed = 1, context = 2, minWords = 10 } = options;
  if (typeof text !== 'string') invalid(`heldOutSentenceTasks needs a text string, got ${describeValue(text)}.`);
  if (typeof corpusId !== 'string' || corpusId === '') invalid(`corpusId must be a non-empty string, got ${describeValue(corpusId)}.`);
  requireInteger(questions, 'questions', 1);
  requireInteger(context, 'context', 1);
  requireInteger(minWords, 'minWords', 0);
  const sentences = sentenceSpans(text);
  const eligible: number[] = [];
  for (let i = context; i < sentences.length - context; i++) {
    const s = sentences[i] as Span;
    if ((text.slice(s.start, s.end).match(WORDS)?.length ?? 0) >= minWords) eligible.push(i);
  }
  const random = seededRandom(seed);
  const chosen: number[] = [];
  const blocked = new Uint8Array(sentences.length);
  // Draw without replacement; skip sentences within 2·context of one already chosen.
  for (let i = eligible.length - 1; i >= 0 && chosen.length < questions; i--) {
    const j = Math.floor(random() * (i + 1));
    [eligible[i], eligible[j]] = [eligible[j] as number, eligible[i] as number];
    const index = eligible[i] as number;
    if (blocked[index]) continue;
    chosen.push(index);
    for (let b = Math.max(0, index - 2 * context); b <= Math.min(sentences.length - 1, index + 2 * context); b++) blocked[b] = 1;
  }
  if (chosen.length < questions) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `The text has room for ${chosen.length} held-out sentences of ${minWords}+ words, not ${questions}; use a longer text or fewer questions.`);
  }
  chosen.sort((a, b) => a - b);

  // Build the text without the chosen sentences, mapping old offsets to new ones as we go.
  let out = '';
  let from = 0;
  const shifts: { at: number; removed: number }[] = [];
  let removed = 0;
  for (const index of chosen) {
    const s = sentences[index] as Span;
    out += text.slice(from, s.start);
    from = s.end;
    removed += s.end - s.start;
    shifts.push({ at: s.end, removed });
  }
  out += text.slice(from);
  const mapOffset = (offset: number) => {
    let shift = 0;
    for (const { at, removed: r } of shifts) if (at <= offset) shift = r;
    return offset - shift;
  };

  const result: EvalQuestion[] = chosen.map((index) => {
    const s = sentences[index] as Span;
    const start = mapOffset((sentences[index - context] as Span).start);
    const end = mapOffset((sentences[index + context] as Span).end);
    return { question: text.slice(s.start, s.end).trim(), corpusId, references: [{ content: out.slice(start, end), start, end }] };
  });
  return { questions: result, corpora: { [corpusId]: out } };
}
