import { ChunkwiseError } from '@chunkwise/core';
import type { PreTokenizer } from '../pre-tokenizer.js';
import { cl100kPieceEnd, o200kPieceEnd, r50kPieceEnd } from '../split-scanners.js';
import { AlignedBuilder, originalStart, sliceAligned, type AlignedText } from './aligned-text.js';
import { isBertPunctuation, isBertWhitespace } from './bert-text.js';
import { compilePattern } from './pattern.js';
import type { PreTokenizerJson } from './tokenizer-json.js';
import { pinnedRegExp } from '../unicode/pinned-pattern.js';

/** Splits (and for Metaspace/ByteLevel, rewrites) a list of pieces; one per tokenizer.json pre-tokenizer step. */
export type PreTokenizeStep = (pieces: AlignedText[]) => AlignedText[];

const SUPPORTED = 'Sequence, Split, ByteLevel, Metaspace, BertPreTokenizer, Whitespace, WhitespaceSplit, Digits, Punctuation, CharDelimiterSplit';

function unsupported(message: string): never {
  throw new ChunkwiseError('UNSUPPORTED', message);
}

// Patterns shipped by byte-level tokenizer.json files that tiktoken's encodings also use: these get
// the hand-written scanners (Rust regex semantics, like the HF Rust library).
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const KNOWN_PATTERNS = new Map<string, (text: string, start: number) => number>([
  [GPT2_PATTERN, r50kPieceEnd],
  ["(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", cl100kPieceEnd],
  [
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    o200kPieceEnd,
  ],
]);

/** Split with "Isolated" behaviour through a scanner: every scanned piece is a piece. */
function isolatedScan(pieceEnd: PreTokenizer['pieceEnd']): PreTokenizeStep {
  return (pieces) => {
    const out: AlignedText[] = [];
    for (const piece of pieces) {
      for (let at = 0; at < piece.text.length; ) {
        const end = pieceEnd(piece.text, at);
        out.push(sliceAligned(piece, at, end));
        at = end;
      }
    }
    return out;
  };
}

/** Split with "Isolated" behaviour through a regex: matches and the gaps between them are pieces. */
function isolatedRegex(regex: RegExp): PreTokenizeStep {
  return (pieces) => {
    const out: AlignedText[] = [];
    for (const piece of pieces) {
      const { text } = piece;
      let previous = 0;
      regex.lastIndex = 0;
      for (let match = regex.exec(text); match; match = regex.exec(text)) {
        const end = match.index + match[0].length;
        if (end === match.index) {
          regex.lastIndex++;
          continue;
        }
        if (match.index > previous) out.push(sliceAligned(piece, previous, match.index));
        out.push(sliceAligned(piece, match.index, end));
        previous = end;
      }
      if (previous < text.length) out.push(sliceAligned(piece, previous, text.length));
    }
    return out;
  };
}

type Behavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
const BEHAVIORS = new Set(['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous']);

/**
 * tokenizers' NormalizedString::split: matches and the gaps between them, each flagged as a match,
 * (flags flipped by `invert`), then combined by the delimiter behaviour; empty pieces are dropped.
 */
function splitBy(findMatches: (text: string) => [number, number][], behavior: Behavior, invert = false): PreTokenizeStep {
  return (pieces) => {
    const out: AlignedText[] = [];
    for (const piece of pieces) {
      const { text } = piece;
      const spans: [number, number, boolean][] = [];
      let previous = 0;
      for (const [start, end] of findMatches(text)) {
        if (start > previous) spans.push([previous, start, invert]);
        spans.push([start, end, !invert]);
        previous = end;
      }
      if (previous < text.length) spans.push([previous, text.length, invert]);
      let kept: [number, number][] = [];
      if (behavior === 'Isolated') kept = spans.map(([start, end]) => [start, end]);
      else if (behavior === 'Removed') kept = spans.filter(([, , match]) => !match).map(([start, end]) => [start, end]);
      else if (behavior === 'Contiguous') {
        let previousMatch: boolean | null = null;
        for (const [start, end, match] of spans) {
          if (match === previousMatch && kept.length) kept[kept.length - 1]![1] = end;
          else kept.push([start, end]);
          previousMatch = match;
        }
      } else if (behavior === 'MergedWithPrevious') {
        let previousMatch = false;
        for (const [start, end, match] of spans) {
          if (match && !previousMatch && kept.length) kept[kept.length - 1]![1] = end;
          else kept.push([start, end]);
          previousMatch = match;
        }
      } else {
        let previousMatch = false;
        for (let i = spans.length - 1; i >= 0; i--) {
          const [start, end, match] = spans[i]!;
          if (match && !previousMatch && kept.length) kept[kept.length - 1]![0] = start;
          else kept.push([start, end]);
          previousMatch = match;
        }
        kept.reverse();
      }
      for (const [start, end] of kept) if (end > start) out.push(sliceAligned(piece, start, end));
    }
    return out;
  };
}

function regexMatches(regex: RegExp): (text: string) => [number, number][] {
  return (text) => {
    const found: [number, number][] = [];
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      if (match[0].length === 0) {
        regex.lastIndex += 1;
        continue;
      }
      found.push([match.index, match.index + match[0].length]);
    }
    return found;
  };
}

/** Each code point for which `test` holds is a match of its own. */
function charMatches(test: (char: string) => boolean): (text: string) => [number, number][] {
  return (text) => {
    const found: [number, number][] = [];
    for (let i = 0; i < text.length; ) {
      const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
      if (test(width === 1 ? text[i]! : text.slice(i, i + width))) found.push([i, i + width]);
      i += width;
    }
    return found;
  };
}

/** A tokenizer.json (Rust/Oniguruma) regex, translated and pinned; UNSUPPORTED when JavaScript cannot express it. */
function compileRust(pattern: string, where: string): RegExp {
  try {
    return compilePattern(pattern);
  } catch (error) {
    throw new ChunkwiseError('UNSUPPORTED', `The ${where} pattern ${JSON.stringify(pattern)} has no JavaScript equivalent.`, { cause: error });
  }
}

function compile(source: string, where: string): RegExp {
  try {
    return new RegExp(source, 'gu');
  } catch (error) {
    throw new ChunkwiseError('UNSUPPORTED', `The ${where} pattern ${JSON.stringify(source)} has no JavaScript equivalent.`, { cause: error });
  }
}

/** Inserts `text` at the start of every piece for which `when(piece)` holds. */
function prefixPieces(pieces: AlignedText[], text: string, when: (piece: AlignedText) => boolean): AlignedText[] {
  return pieces.map((piece) => {
    if (!when(piece)) return piece;
    const builder = new AlignedBuilder(piece);
    builder.replace(0, 0, text);
    builder.copy(0, piece.text.length);
    return builder.build();
  });
}

const WHITE_SPACE = pinnedRegExp('^\\p{White_Space}$');
const NUMERIC = pinnedRegExp('^\\p{N}$');
// Rust's char::is_ascii_punctuation || char::is_punctuation (Unicode P*).
const PUNCTUATION = pinnedRegExp('^[\\p{P}!-/:-@[-`{-~]$');

/** Builds the pre-tokenizer steps of a tokenizer.json; throws UNSUPPORTED for kinds not implemented. */
export function preTokenizeSteps(json: PreTokenizerJson | null | undefined): PreTokenizeStep[] {
  if (!json) return [];
  switch (json.type) {
    case 'Sequence':
      return (json.pretokenizers ?? []).flatMap(preTokenizeSteps);
    case 'Split': {
      const behavior = (json.behavior ?? 'Isolated') as Behavior;
      if (!BEHAVIORS.has(behavior)) unsupported(`Split pre-tokenizer behavior ${JSON.stringify(behavior)} is not one tokenizers defines.`);
      const regex = json.pattern?.Regex;
      const literal = json.pattern?.String;
      if (regex !== undefined) {
        const known = KNOWN_PATTERNS.get(regex);
        if (behavior === 'Isolated' && !json.invert) return [known ? isolatedScan(known) : isolatedRegex(compileRust(regex, 'Split'))];
        return [splitBy(regexMatches(compileRust(regex, 'Split')), behavior, json.invert === true)];
      }
      if (literal === undefined) unsupported('Split pre-tokenizer without a String or Regex pattern.');
      if (literal === '') return [];
      return [splitBy(regexMatches(compile(literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'Split')), behavior, json.invert === true)];
    }
    case 'ByteLevel': {
      const steps: PreTokenizeStep[] = [];
      // As in tokenizers' ByteLevel::pre_tokenize: a space is prepended to every current piece.
      if (json.add_prefix_space) steps.push((pieces) => prefixPieces(pieces, ' ', (piece) => !piece.text.startsWith(' ')));
      if (json.use_regex !== false) steps.push(isolatedScan(r50kPieceEnd));
      return steps;
    }
    case 'Metaspace': {
      // Spaces become ▁ and a ▁ is prepended; with split (tokenizers ≥ 0.19), each piece then starts
      // at a ▁ (MergedWithNext). "first" prepends only to the first piece of the text.
      const replacement = json.replacement ?? '\u2581';
      const scheme = json.prepend_scheme ?? (json.add_prefix_space === false ? 'never' : 'always');
      const split = json.split !== false;
      const spaces = / /g;
      const splitter = splitBy(regexMatches(compile(replacement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'Metaspace')), 'MergedWithNext');
      return [
        (pieces) => {
          const replaced = pieces.map((piece) => {
            if (!piece.text.includes(' ')) return piece;
            if (!piece.starts) return { ...piece, text: piece.text.replace(spaces, replacement) };
            const builder = new AlignedBuilder(piece);
            let copied = 0;
            for (let at = piece.text.indexOf(' '); at >= 0; at = piece.text.indexOf(' ', at + 1)) {
              builder.copy(copied, at);
              builder.replace(at, at + 1, replacement);
              copied = at + 1;
            }
            builder.copy(copied, piece.text.length);
            return builder.build();
          });
          const prefixed = prefixPieces(replaced, replacement, (piece) => !piece.text.startsWith(replacement) && (scheme === 'always' || (scheme === 'first' && originalStart(piece) === 0)));
          return split ? splitter(prefixed) : prefixed;
        },
      ];
    }
    case 'BertPreTokenizer':
      return [splitBy(charMatches(isBertWhitespace), 'Removed'), splitBy(charMatches(isBertPunctuation), 'Isolated')];
    case 'Whitespace':
      // tokenizers: \w+|[^\w\s]+ with Rust's Unicode \w and \s; what matches is kept.
      return [splitBy(regexMatches(compileRust('\\w+|[^\\w\\s]+', 'Whitespace')), 'Removed', true)];
    case 'WhitespaceSplit':
      return [splitBy(charMatches((char) => WHITE_SPACE.test(char)), 'Removed')];
    case 'CharDelimiterSplit': {
      const delimiter = (json as { delimiter?: string }).delimiter;
      if (typeof delimiter !== 'string' || Array.from(delimiter).length !== 1) unsupported('CharDelimiterSplit needs a one-character delimiter.');
      return [splitBy(charMatches((char) => char === delimiter), 'Removed')];
    }
    case 'Digits':
      return [splitBy(charMatches((char) => NUMERIC.test(char)), (json as { individual_digits?: boolean }).individual_digits ? 'Isolated' : 'Contiguous')];
    case 'Punctuation': {
      const behavior = (json.behavior ?? 'Isolated') as Behavior;
      if (!BEHAVIORS.has(behavior)) unsupported(`Punctuation pre-tokenizer behavior ${JSON.stringify(behavior)} is not one tokenizers defines.`);
      return [splitBy(charMatches((char) => PUNCTUATION.test(char)), behavior)];
    }
    default:
      return unsupported(`The ${json.type} pre-tokenizer is not supported yet (supported: ${SUPPORTED}).`);
  }
}
