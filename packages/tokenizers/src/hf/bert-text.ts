import { pinnedRegExp } from '../unicode/pinned-pattern.js';

/**
 * BERT's text rules as tokenizers implements them (normalizers/bert.rs, pre_tokenizers/bert.rs):
 * what counts as control, whitespace, punctuation and a CJK ideograph.
 */
// Cc, Cf, Co and lone surrogates, as tokenizers.js has it. The Rust library also drops unassigned
// code points (Cn), but which code points are unassigned depends on each side's Unicode version.
const CONTROL = pinnedRegExp('^[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]$');
const WHITESPACE = pinnedRegExp('^[\\t\\n\\r\\p{White_Space}]$');
const PUNCTUATION = pinnedRegExp('^\\p{P}$');

export function isBertControl(char: string): boolean {
  return char !== '\t' && char !== '\n' && char !== '\r' && CONTROL.test(char);
}

export function isBertWhitespace(char: string): boolean {
  return WHITESPACE.test(char);
}

/** ASCII symbols count as punctuation in BERT, as well as Unicode P*. */
export function isBertPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return PUNCTUATION.test(char);
}

/** The CJK Unified Ideograph blocks BERT pads with spaces. */
export function isChineseCharacter(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}

export interface BertNormalizerOptions {
  clean_text?: boolean;
  handle_chinese_chars?: boolean;
  strip_accents?: boolean | null;
  lowercase?: boolean;
}
