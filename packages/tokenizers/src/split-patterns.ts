/**
 * tiktoken's split patterns (tiktoken_ext/openai_public.py), translated to JavaScript `u` regexes.
 *
 * Two translations matter for exactness:
 * - Rust's `\s` is Unicode White_Space; JavaScript's `\s` also matches U+FEFF and misses U+0085, so
 *   we spell `\p{White_Space}` out.
 * - `(?i:'s|…)` uses simple case folding in Rust, where `s` also matches U+017F (ſ); JavaScript has
 *   no scoped `(?i:)`, so the case variants are listed.
 * Possessive quantifiers in the newer tiktoken patterns (`\p{L}++`) do not change any match for
 * these alternations, which is why the older greedy forms are used here.
 */
const WS = '\\p{White_Space}';
const NOT_WS = '\\P{White_Space}';
const CONTRACTION = "'(?:[sSſ]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])";

/** r50k_base, p50k_base, p50k_edit (GPT-2). */
export const R50K_PATTERN = [
  "'(?:[sdmt]|ll|ve|re)",
  ' ?\\p{L}+',
  ' ?\\p{N}+',
  ` ?[^${WS}\\p{L}\\p{N}]+`,
  `${WS}+(?!${NOT_WS})`,
  `${WS}+`,
].join('|');

/** cl100k_base. */
export const CL100K_PATTERN = [
  CONTRACTION,
  '[^\\r\\n\\p{L}\\p{N}]?\\p{L}+',
  '\\p{N}{1,3}',
  ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*`,
  `${WS}*[\\r\\n]+`,
  `${WS}+(?!${NOT_WS})`,
  `${WS}+`,
].join('|');

/** o200k_base and o200k_harmony. */
export const O200K_PATTERN = [
  `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:${CONTRACTION})?`,
  `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:${CONTRACTION})?`,
  '\\p{N}{1,3}',
  ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n/]*`,
  `${WS}*[\\r\\n]+`,
  `${WS}+(?!${NOT_WS})`,
  `${WS}+`,
].join('|');
