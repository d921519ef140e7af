import { ChunkwiseError } from '@chunkwise/core';
import { AlignedBuilder, mapCodePoints, replaceMatches, type AlignedText } from './aligned-text.js';
import { isBertControl, isBertWhitespace, isChineseCharacter, type BertNormalizerOptions } from './bert-text.js';
import { compilePattern } from './pattern.js';
import { PrecompiledCharsmap } from './precompiled.js';
import type { NormalizerJson } from './tokenizer-json.js';
import { pinnedRegExp } from '../unicode/pinned-pattern.js';

/** A tokenizer.json normalizer over text with original-offset alignments. */
export type Normalize = (source: AlignedText) => AlignedText;

const SUPPORTED = 'NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, Prepend, Replace, Nmt, Precompiled, BertNormalizer, Sequence';

function unsupported(message: string): never {
  throw new ChunkwiseError('UNSUPPORTED', message);
}

// eslint-disable-next-line no-control-regex -- the ASCII range
const ASCII = /^[\x00-\x7f]*$/;
// A starter followed by the marks and conjoining jamo that canonical composition can pull into it.
const COMPOSITION_SEGMENT = /[^\p{M}\u1160-\u11ff\ud7b0-\ud7ff][\p{M}\u1160-\u11ff\ud7b0-\ud7ff]*|[\p{M}\u1160-\u11ff\ud7b0-\ud7ff]+/gsu;

/**
 * Unicode normalization. The text is normalized whole (the ids depend only on that); with
 * alignments, each starter-and-marks segment is normalized on its own so its characters map back
 * to it, and if the pieces do not add up to the whole (rare cross-segment compositions), the whole
 * text maps to the whole original span.
 */
function unicodeNormalizer(form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'): Normalize {
  return (source) => {
    const { text } = source;
    if (ASCII.test(text)) return source;
    const whole = text.normalize(form);
    if (!source.starts) return whole === text ? source : { ...source, text: whole };
    if (whole === text) return source;
    const builder = new AlignedBuilder(source);
    let joined = '';
    for (const match of text.matchAll(COMPOSITION_SEGMENT)) {
      const segment = match[0];
      const normalized = segment.normalize(form);
      if (normalized === segment) builder.copy(match.index, match.index + segment.length);
      else builder.replace(match.index, match.index + segment.length, normalized);
      joined += normalized;
    }
    if (joined === whole) return builder.build();
    const coarse = new AlignedBuilder(source);
    coarse.replace(0, text.length, whole);
    return coarse.build();
  };
}

/** Per code point, as Rust's `char::to_lowercase` (no final-sigma rule, unlike String.toLowerCase). */
const lowercase: Normalize = (source) => {
  if (!source.starts && !source.text.includes('\u03a3')) return { ...source, text: source.text.toLowerCase() };
  return mapCodePoints(source, (char) => {
    const lower = char.toLowerCase();
    return lower === char ? null : lower;
  });
};

const WHITE_SPACE = pinnedRegExp('^\\p{White_Space}$');
const NONSPACING_MARK = pinnedRegExp('^\\p{Mn}$');
const stripAccents: Normalize = (source) => mapCodePoints(source, (char) => (NONSPACING_MARK.test(char) ? '' : null));

// tokenizers' Nmt normalizer (SentencePiece's nmt_nfkc control-character rules).
// eslint-disable-next-line no-control-regex -- these are the control characters it removes
const NMT_REMOVED = /[\u0001-\u0008\u000b\u000e-\u001f\u007f\u008f\u009f]/gu;
// eslint-disable-next-line no-control-regex -- and the ones it turns into spaces
const NMT_SPACES = /[\u0009\u000a\u000c\u000d\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]/gu;

function bertNormalizer(options: BertNormalizerOptions): Normalize {
  const { clean_text = true, handle_chinese_chars = true, lowercase: lower = true } = options;
  const strip = options.strip_accents ?? lower;
  const nfd = unicodeNormalizer('NFD');
  return (source) => {
    let text = mapCodePoints(source, (char) => {
      const code = char.codePointAt(0)!;
      if (clean_text) {
        if (code === 0 || code === 0xfffd || isBertControl(char)) return '';
        if (isBertWhitespace(char)) return char === ' ' ? null : ' ';
      }
      return handle_chinese_chars && isChineseCharacter(code) ? ` ${char} ` : null;
    });
    if (strip) text = stripAccents(nfd(text));
    if (lower) text = lowercase(text);
    return text;
  };
}

function regexOf(pattern: NormalizerJson['pattern'], where: string): RegExp {
  if (pattern?.String !== undefined) return new RegExp(pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
  if (pattern?.Regex !== undefined) {
    try {
      return compilePattern(pattern.Regex);
    } catch (error) {
      throw new ChunkwiseError('UNSUPPORTED', `The ${where} pattern ${JSON.stringify(pattern.Regex)} has no JavaScript equivalent.`, { cause: error });
    }
  }
  return unsupported(`The ${where} has no String or Regex pattern.`);
}

/** Builds a tokenizer.json normalizer; throws UNSUPPORTED for kinds not implemented. */
export function createNormalizer(json: NormalizerJson | null | undefined): Normalize | null {
  if (!json) return null;
  switch (json.type) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return unicodeNormalizer(json.type);
    case 'Prepend': {
      // tokenizers' Prepend: only a non-empty string gets the prefix.
      const prefix = json.prepend ?? '';
      return (source) => {
        if (!source.text || !prefix) return source;
        const builder = new AlignedBuilder(source);
        builder.replace(0, 0, prefix);
        builder.copy(0, source.text.length);
        return builder.build();
      };
    }
    case 'Replace': {
      const regex = regexOf(json.pattern, 'Replace normalizer');
      const content = json.content ?? '';
      return (source) => replaceMatches(source, regex, () => content);
    }
    case 'Strip': {
      // Rust's char::is_whitespace is Unicode White_Space.
      const left = json.strip_left !== false;
      const right = json.strip_right !== false;
      return (source) => {
        const { text } = source;
        let from = 0;
        let to = text.length;
        if (left) while (from < to && WHITE_SPACE.test(text[from]!)) from++;
        if (right) while (to > from && WHITE_SPACE.test(text[to - 1]!)) to--;
        if (from === 0 && to === text.length) return source;
        const builder = new AlignedBuilder(source);
        builder.copy(from, to);
        return builder.build();
      };
    }
    case 'StripAccents':
      return stripAccents;
    case 'Lowercase':
      return lowercase;
    case 'Nmt':
      return (source) => replaceMatches(replaceMatches(source, NMT_REMOVED, () => ''), NMT_SPACES, () => ' ');
    case 'Precompiled': {
      if (!json.precompiled_charsmap) return (source) => source; // tokenizers: an empty charsmap is the identity
      const charsmap = new PrecompiledCharsmap(json.precompiled_charsmap);
      return (source) => charsmap.normalize(source);
    }
    case 'BertNormalizer':
      return bertNormalizer(json as BertNormalizerOptions);
    case 'Sequence': {
      const steps = (json.normalizers ?? []).map(createNormalizer).filter((step) => step !== null);
      return (source) => steps.reduce((value, step) => step(value), source);
    }
    default:
      return unsupported(`The ${json.type} normalizer is not supported yet (supported: ${SUPPORTED}).`);
  }
}
