// A small BERT-style WordPiece tokenizer.json written for the tests (no npm package ships one):
// vocabulary from Moby Dick's most frequent words plus every character, alone and as "##x".
import { mobyDickText } from './corpora.js';

export function wordPieceTokenizerJson(): object {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const vocab = new Map<string, number>();
  const add = (token: string) => {
    if (!vocab.has(token)) vocab.set(token, vocab.size);
  };
  specials.forEach(add);
  const text = mobyDickText().toLowerCase();
  const counts = new Map<string, number>();
  for (const word of text.match(/\p{L}+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  const chars = new Set<string>();
  for (let c = 0x21; c < 0x7f; c++) chars.add(String.fromCharCode(c));
  for (const char of text) if (!/\s/u.test(char)) chars.add(char);
  for (const char of [...chars].sort()) {
    add(char);
    add(`##${char}`);
  }
  const frequent = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3000);
  for (const [word] of frequent) add(word);
  for (const suffix of ['ing', 'ed', 'ly', 's', 'er', 'est', 'tion', 'ness', 'ful', 'less', 'ish']) add(`##${suffix}`);
  return {
    version: '1.0',
    added_tokens: specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
}
