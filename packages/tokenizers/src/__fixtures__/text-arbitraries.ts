// fast-check generators for tokenizer property tests: the inputs where tokenizers disagree.
import fc from 'fast-check';

const FRAGMENTS = [
  // emoji, ZWJ sequences, flags, skin tones, keycaps
  '👨‍👩‍👧‍👦', '🏳️‍🌈', '👩🏽‍💻', '🇺🇸', '1️⃣', '🐋', '❤️',
  // combining marks and precomposed/decomposed pairs
  'e\u0301', 'é', 'n\u0303\u0323', 'ก\u0e31\u0e49', 'अ\u093e', 'Z\u0351\u036b\u0343',
  // CJK, kana, Hangul
  '鯨', '白鯨記', 'くじら', 'クジラ', '고래', '𠀀', '𪜀',
  // RTL scripts and bidi controls
  'الحوت', 'לויתן', 'نهنگ', '\u200f', '\u202e',
  // code
  'const x = a[i] ?? 0;', 'def f(x):\n\treturn x', '</div>', '/* */', '=>', 'http://ex.com/a?b=c', '{"a":1}',
  // whitespace, including Unicode spaces and NEL/BOM that JS \s and Rust \s disagree on
  ' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', '\r', '\u00a0', '\u0085', '\u2028', '\u3000', '\ufeff', '\u200b', '\u000b\u000c',
  // digits
  '1', '12', '123', '1234', '12345678', '٣٤٥', '①', '½', '3.14',
  // contractions, cased and with long s
  "'s", "'S", "'t", "'re", "'RE", "'Ve", "'m", "'ll", "'LL", "'d", "'ſ", "’s", "don't", "I'M", "y'all",
  // special-token look-alikes
  '<|endoftext|>', '<|endoftext|', '<|endofprompt|>', '<|fim_prefix|>', '<|', '|>', 'endoftext', '<|im_start|>', '<|start|>',
  // odd code units
  '\u0000', '\ud800', '\udc00', '\uffff', '\ufffd',
  // words
  'whale', 'Whale', 'WHALE', 'Ishmael', 'naïve', 'straße', 'İstanbul', 'ΑΒΓ', 'Моби Дик',
];

/** Concatenations of tricky fragments, mixed with arbitrary strings from every Unicode plane. */
export const trickyText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '1', 'a', '.').chain((c) => fc.integer({ min: 2, max: 40 }).map((n) => c.repeat(n))) },
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

/** Well-formed strings only (no lone surrogates), for round-trip properties. */
export const wellFormedText = trickyText.map((text) => text.replace(/[\ud800-\udfff]/gu, '\ufffd'));
