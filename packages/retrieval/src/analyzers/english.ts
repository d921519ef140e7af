// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- wink-porter2-stemmer ships no types; this keeps our declaration with the file when sibling packages typecheck our source.
/// <reference path="./wink-porter2-stemmer.d.ts" />
import stem from 'wink-porter2-stemmer';
import { simpleAnalyzer } from './simple.js';

/**
 * Lucene's default English stop set (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET): short on purpose,
 * since BM25's idf already discounts common words and long stop lists hurt phrase-like queries.
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

/**
 * `simple` tokens without English stopwords, each reduced by the Porter2 (Snowball English) stemmer
 * (wink-porter2-stemmer, a port of Martin Porter's Snowball algorithm).
 */
export function englishAnalyzer(text: string): string[] {
  const out: string[] = [];
  // simpleAnalyzer checks that text is a string.
  for (const token of simpleAnalyzer(text)) {
    if (ENGLISH_STOPWORDS.has(token)) continue;
    out.push(stem(token));
  }
  return out;
}
