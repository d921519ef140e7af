/**
 * Unicode classes the split patterns use, per code point, as bit flags. Computed lazily from the
 * engine's own `\p{…}` tables (the same data the regex form used), so loading costs nothing and the
 * hand-written scanners agree with the regexes by construction.
 */
export const LETTER = 1; // \p{L}
export const NUMBER = 2; // \p{N}
export const SPACE = 4; // \p{White_Space} (Rust's \s)
/** o200k's "upper-ish" class [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]. */
export const UPPERISH = 8;
/** o200k's "lower-ish" class [\p{Ll}\p{Lm}\p{Lo}\p{M}]. */
export const LOWERISH = 16;
const KNOWN = 128;

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\p{White_Space}$/u;
const IS_UPPERISH = /^[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]$/u;
const IS_LOWERISH = /^[\p{Ll}\p{Lm}\p{Lo}\p{M}]$/u;

function compute(char: string): number {
  return (
    KNOWN |
    (IS_LETTER.test(char) ? LETTER : 0) |
    (IS_NUMBER.test(char) ? NUMBER : 0) |
    (IS_SPACE.test(char) ? SPACE : 0) |
    (IS_UPPERISH.test(char) ? UPPERISH : 0) |
    (IS_LOWERISH.test(char) ? LOWERISH : 0)
  );
}

const BMP = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) BMP[c] = compute(String.fromCharCode(c));
// Surrogates stand alone only when unpaired: like U+FFFD (what tiktoken sees), they are in no class.
for (let c = 0xd800; c <= 0xdfff; c++) BMP[c] = KNOWN;
const ASTRAL = new Map<number, number>();

/** Flags of the BMP code unit `code` (not a surrogate). */
export function bmpFlags(code: number): number {
  const flags = BMP[code]!;
  if (flags !== 0) return flags;
  return (BMP[code] = compute(String.fromCharCode(code)));
}

/** Flags of a supplementary-plane code point. */
export function astralFlags(codePoint: number): number {
  let flags = ASTRAL.get(codePoint);
  if (flags === undefined) {
    flags = compute(String.fromCodePoint(codePoint));
    ASTRAL.set(codePoint, flags);
  }
  return flags;
}
