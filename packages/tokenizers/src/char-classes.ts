import { categoryMask, generalCategoryIndex, isWhiteSpace } from './unicode/unicode-classes.js';

/**
 * Unicode classes the split patterns use, per code point, as bit flags. They come from the pinned
 * Unicode 16.0 tables (unicode/unicode-data.ts, the version of tiktoken's regex engine), not from
 * the JavaScript engine's `\p{…}`, so ids are the same on every Node version.
 */
export const LETTER = 1; // \p{L}
export const NUMBER = 2; // \p{N}
export const SPACE = 4; // \p{White_Space} (Rust's \s)
/** o200k's "upper-ish" class [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]. */
export const UPPERISH = 8;
/** o200k's "lower-ish" class [\p{Ll}\p{Lm}\p{Lo}\p{M}]. */
export const LOWERISH = 16;
const KNOWN = 128;

const LETTERS = categoryMask('L');
const NUMBERS = categoryMask('N');
const UPPERISH_CATEGORIES = categoryMask('Lu', 'Lt', 'Lm', 'Lo', 'M');
const LOWERISH_CATEGORIES = categoryMask('Ll', 'Lm', 'Lo', 'M');

function compute(codePoint: number): number {
  const category = 1 << generalCategoryIndex(codePoint);
  return (
    KNOWN |
    (category & LETTERS ? LETTER : 0) |
    (category & NUMBERS ? NUMBER : 0) |
    (isWhiteSpace(codePoint) ? SPACE : 0) |
    (category & UPPERISH_CATEGORIES ? UPPERISH : 0) |
    (category & LOWERISH_CATEGORIES ? LOWERISH : 0)
  );
}

const BMP = new Uint8Array(0x10000);
// Surrogates stand alone only when unpaired: like U+FFFD (what tiktoken sees), they are in no class.
for (let c = 0xd800; c <= 0xdfff; c++) BMP[c] = KNOWN;
const ASTRAL = new Map<number, number>();

/** Flags of the BMP code unit `code` (not a surrogate). */
export function bmpFlags(code: number): number {
  const flags = BMP[code]!;
  if (flags !== 0) return flags;
  return (BMP[code] = compute(code));
}

/** Flags of a supplementary-plane code point. */
export function astralFlags(codePoint: number): number {
  let flags = ASTRAL.get(codePoint);
  if (flags === undefined) {
    flags = compute(codePoint);
    ASTRAL.set(codePoint, flags);
  }
  return flags;
}
