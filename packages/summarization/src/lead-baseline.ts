import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from './argument-checks.js';
import { countWords } from './count-words.js';
import { splitSentences } from '@chunkwise/chunking';

export interface LeadBaseline {
  summary: string;
  words: number;
  sentences: number;
}

/**
 * The lead baseline of summarisation evaluation: the first sentences of the text. With
 * `{ sentences: k }` it is lead-k (lead-3 on CNN/DailyMail, See et al. 2017); with
 * `{ targetWords }` it takes whole sentences while the total stays nearest the target.
 */
export function leadBaseline(text: string, size: { sentences: number } | { targetWords: number }): LeadBaseline {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `leadBaseline() takes a string, got ${text === null ? 'null' : typeof text}.`);
  if (typeof size !== 'object' || size === null || !('sentences' in size || 'targetWords' in size)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'leadBaseline() needs a size: { sentences: k } or { targetWords: n }.');
  }
  const spans = splitSentences(text);
  const sentences = spans.map((span) => text.slice(span.start, span.end).replace(/\s+/g, ' '));
  let count: number;
  if ('sentences' in size) {
    if (!Number.isInteger(size.sentences) || size.sentences < 1) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `sentences must be a positive integer, got ${describeValue(size.sentences)}.`);
    }
    count = Math.min(size.sentences, sentences.length);
  } else {
    if (!Number.isInteger(size.targetWords) || size.targetWords < 1) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `targetWords must be a positive integer, got ${describeValue(size.targetWords)}.`);
    }
    count = 0;
    let total = 0;
    for (const sentence of sentences) {
      const words = countWords(sentence);
      // Take the next sentence when that lands nearer the target than stopping here.
      if (count > 0 && Math.abs(total + words - size.targetWords) >= Math.abs(total - size.targetWords)) break;
      total += words;
      count++;
    }
  }
  const summary = sentences.slice(0, count).join(' ');
  return { summary, words: countWords(summary), sentences: count };
}
