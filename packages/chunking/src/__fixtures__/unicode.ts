import fc from 'fast-check';

/** Pieces that stress chunkers: CJK, emoji ZWJ sequences, flags, combining marks, CR LF, runs of spaces. */
const TRICKY = [
  '日本語の文です。', '😀', '👨‍👩‍👧‍👦', '🇫🇷🇩🇪', 'e\u0301', 'Ünïcødé', '\r\n', '\n\n', '   ', '\t', '. ', 'Mr. Smith ',
  '3.14 ', '# Heading\n', '```js\nconst a = 1;\n```\n', '| a | b |\n|---|---|\n| 1 | 2 |\n', '- item\n', 'whale ', 'Ishmael',
  'אבג ', 'Ωμέγα ', '\u0000', '\uFFFD',
];

/** Random well-formed text mixing arbitrary graphemes with the tricky pieces above. */
export const unicodeText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom(...TRICKY), fc.lorem({ maxCount: 8 })), {
    maxLength: 40,
  })
  .map((pieces) => pieces.join(''));
