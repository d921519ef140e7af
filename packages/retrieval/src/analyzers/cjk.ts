import { simpleAnalyzer } from './simple.js';

// Han, Hiragana, Katakana and Hangul: scripts written without spaces between words.
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/u;
const CJK_SPLIT = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)/u;

/**
 * `simple` tokens, where runs of CJK characters become overlapping character bigrams (a lone
 * character stays a unigram), as Lucene's CJKAnalyzer does: bigrams need no dictionary and recall
 * most words of scripts written without spaces.
 */
export function cjkAnalyzer(text: string): string[] {
  const out: string[] = [];
  // simpleAnalyzer checks that text is a string.
  for (const token of simpleAnalyzer(text)) {
    if (!CJK_RUN.test(token)) {
      out.push(token);
      continue;
    }
    for (const part of token.split(CJK_SPLIT)) {
      if (part === '') continue;
      if (!CJK_RUN.test(part)) {
        out.push(part);
        continue;
      }
      const chars = Array.from(part);
      if (chars.length === 1) out.push(part);
      for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
    }
  }
  return out;
}
