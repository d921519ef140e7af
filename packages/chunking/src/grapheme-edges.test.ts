import { describe, expect, it } from 'vitest';
import type { Tokenizer } from '@chunkwise/core';
import { cl100k_base } from '@chunkwise/tokenizers/cl100k_base';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { EVERY_CHUNKER } from './__fixtures__/every-chunker.js';

/**
 * chonkie's grapheme edge cases, ported: scripts and emoji where one user-perceived character is
 * several code points and, in byte-level BPE, several tokens. With overlap set, a grapheme that fits
 * `maxTokens` must still never be cut (before: cut in 9 of these cases, since the planner's fallback
 * only kept graphemes whole up to `maxTokens − overlap`).
 */
const EDGE_TEXTS: Record<string, string> = {
  flags: '🇫🇷🇩🇪🇯🇵🇺🇸🇧🇷 🏴󠁧󠁢󠁳󠁣󠁴󠁿🏴󠁧󠁢󠁷󠁬󠁳󠁿 flags 🇨🇦🇲🇽',
  'combining marks': 'e\u0301\u0302\u0303 a\u0308\u0304 Z\u0338\u0322\u035a\u034ea\u0336l\u0337g\u0335o\u0334 n\u0303o\u0308',
  devanagari: 'नमस्ते दुनिया क्षत्रिय श्रीमद्भगवद्गीता हिन्दी',
  'ZWJ emoji': '👨‍👩‍👧‍👦 👩🏽‍💻 🧑‍🤝‍🧑 🏳️‍🌈 👁️‍🗨️',
  'skin tones and keycaps': '👍🏿👋🏼 1️⃣2️⃣#️⃣ ✌🏾',
  'Hangul jamo': '\u1100\u1161\u11a8\u1102\u1161 \u1112\u1161\u11ab\u1100\u1173\u11af',
  thai: 'ภาษาไทยกำลังทดสอบ น้ำ',
};

const TOKENIZERS: Record<string, Tokenizer> = { o200k_base, cl100k_base };
const CHUNKERS = ['token', 'recursive', 'sentence', 'markdown'] as const;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Graphemes of `text` cut by a chunk edge although they alone fit `maxTokens`. */
function cutGraphemes(text: string, cuts: readonly number[], tokenizer: Tokenizer, maxTokens: number): string[] {
  const cut: string[] = [];
  for (const { index, segment } of segmenter.segment(text)) {
    const end = index + segment.length;
    if (cuts.some((position) => position > index && position < end) && tokenizer.count(segment) <= maxTokens) cut.push(segment);
  }
  return cut;
}

describe('graphemes that fit the limit are never cut, with or without overlap', () => {
  it('holds for every edge text × tokenizer × chunker × limit × overlap', async () => {
    const failures: string[] = [];
    let cases = 0;
    for (const [textName, piece] of Object.entries(EDGE_TEXTS)) {
      const text = `${piece} ${piece}\n\n${piece}`;
      for (const [tokenizerName, tokenizer] of Object.entries(TOKENIZERS)) {
        for (const chunkerName of CHUNKERS) {
          for (const maxTokens of [6, 10, 16]) {
            for (const overlap of [0, 2, maxTokens - 1]) {
              cases++;
              const chunks = await EVERY_CHUNKER[chunkerName]!({ tokenizer, maxTokens, overlap }).chunk(text);
              const cut = cutGraphemes(text, chunks.flatMap((chunk) => [chunk.start, chunk.end]), tokenizer, maxTokens);
              if (cut.length > 0) failures.push(`${textName} / ${tokenizerName} / ${chunkerName} ${String(maxTokens)}/${String(overlap)}: ${cut.join(' ')}`);
            }
          }
        }
      }
    }
    expect(cases).toBe(504);
    expect(failures).toEqual([]);
  });
});
