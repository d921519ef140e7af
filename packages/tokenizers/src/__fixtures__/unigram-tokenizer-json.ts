// A small SentencePiece-style Unigram tokenizer.json written for the tests (no npm package ships
// one): pieces are Moby Dick's frequent words with and without "▁", frequent 2–4 letter fragments
// and single characters, scored by log frequency.
import { mobyDickText } from './corpora.js';

export function unigramTokenizerJson(): object {
  const text = mobyDickText().slice(0, 400_000);
  const counts = new Map<string, number>();
  const bump = (piece: string, by = 1) => counts.set(piece, (counts.get(piece) ?? 0) + by);
  for (const word of text.match(/\p{L}+/gu) ?? []) {
    bump(`▁${word}`);
    bump(word);
    for (let length = 2; length <= 4; length++) {
      for (let i = 0; i + length <= word.length; i++) bump(word.slice(i, i + length));
    }
  }
  for (const char of text) if (char !== ' ') bump(char.replace(/\s/u, '▁'));
  bump('▁', 1000);
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const pieces = [...counts]
    .filter(([piece, count]) => count >= 3 || Array.from(piece).length === 1)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 8000)
    .map(([piece, count]): [string, number] => [piece, Math.log(count / total)]);
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
    model: { type: 'Unigram', unk_id: 0, byte_fallback: false, vocab: [['<unk>', 0], ...pieces] },
  };
}
