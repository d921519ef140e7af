import { ChunkwiseError } from '@chunkwise/core';
import type { PreTokenizer } from '../pre-tokenizer.js';
import { cl100kPieceEnd, o200kPieceEnd, r50kPieceEnd } from '../split-scanners.js';
import { bertPreTokenize } from './bert-text.js';
import type { PreTokenizerJson } from './tokenizer-json.js';

/** Splits a list of pieces into finer pieces; one per tokenizer.json pre-tokenizer step. */
export type PreTokenizeStep = (pieces: string[]) => string[];

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

/**
 * Translates the Rust/Oniguruma regex of a tokenizer.json Split into a JavaScript one: scoped
 * case-insensitive groups `(?i:…)` (not in Node 20's RegExp) become explicit letter classes, and
 * `\s` becomes Unicode White_Space as in Rust.
 */
export function translatePattern(pattern: string): string {
  let out = pattern.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_, body: string) => {
    let expanded = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === '\\') {
        expanded += body.slice(i, i + 2);
        i++;
      } else if (/[a-z]/i.test(c)) expanded += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      else expanded += c;
    }
    return `(?:${expanded})`;
  });
  out = out.replace(/\\s/g, '\\p{White_Space}').replace(/\\S/g, '\\P{White_Space}');
  return out;
}

/** A regex pre-tokenizer with Split's "Isolated" behaviour: matches and the gaps between them are pieces. */
function regexPieceEnd(source: string): PreTokenizer['pieceEnd'] {
  let regex: RegExp;
  try {
    regex = new RegExp(translatePattern(source), 'gu');
  } catch (error) {
    throw new ChunkwiseError('UNSUPPORTED', `The Split pattern ${JSON.stringify(source)} has no JavaScript equivalent.`, { cause: error });
  }
  return (text, start) => {
    regex.lastIndex = start;
    const match = regex.exec(text);
    if (!match) return text.length;
    if (match.index > start) return match.index;
    return match[0].length > 0 ? match.index + match[0].length : start + 1;
  };
}

function splitWith(pieceEnd: PreTokenizer['pieceEnd']): PreTokenizeStep {
  return (pieces) => {
    const out: string[] = [];
    for (const piece of pieces) {
      for (let at = 0; at < piece.length; ) {
        const end = pieceEnd(piece, at);
        out.push(piece.slice(at, end));
        at = end;
      }
    }
    return out;
  };
}

/** Builds the pre-tokenizer steps of a tokenizer.json; throws UNSUPPORTED for kinds not implemented. */
export function preTokenizeSteps(json: PreTokenizerJson | null | undefined): PreTokenizeStep[] {
  if (!json) return [];
  switch (json.type) {
    case 'Sequence':
      return (json.pretokenizers ?? []).flatMap(preTokenizeSteps);
    case 'Split': {
      if (json.invert || (json.behavior !== undefined && json.behavior !== 'Isolated')) {
        throw new ChunkwiseError('UNSUPPORTED', `Split pre-tokenizer with behavior ${String(json.behavior)} / invert ${String(json.invert)} is not supported yet.`);
      }
      const regex = json.pattern?.Regex;
      if (regex === undefined) throw new ChunkwiseError('UNSUPPORTED', 'Split pre-tokenizer with a String pattern is not supported yet.');
      return [splitWith(KNOWN_PATTERNS.get(regex) ?? regexPieceEnd(regex))];
    }
    case 'ByteLevel': {
      const steps: PreTokenizeStep[] = [];
      // As in tokenizers' ByteLevel::pre_tokenize: a space is prepended to every current piece.
      if (json.add_prefix_space) steps.push((pieces) => pieces.map((piece) => (piece.startsWith(' ') ? piece : ` ${piece}`)));
      if (json.use_regex !== false) steps.push(splitWith(r50kPieceEnd));
      return steps;
    }
    case 'Metaspace': {
      // Spaces become ▁ and a ▁ is prepended; with split (tokenizers ≥ 0.19), each piece then starts
      // at a ▁ (MergedWithNext). "first" prepends only at the start of the text.
      const replacement = json.replacement ?? '\u2581';
      const scheme = json.prepend_scheme ?? 'always';
      const split = json.split !== false;
      return [
        (pieces) =>
          pieces.flatMap((piece, index) => {
            let text = piece.replaceAll(' ', replacement);
            if (!text.startsWith(replacement) && (scheme === 'always' || (scheme === 'first' && index === 0))) text = replacement + text;
            if (!split) return [text];
            const out: string[] = [];
            let start = 0;
            for (let at = text.indexOf(replacement, 1); at > 0; at = text.indexOf(replacement, at + 1)) {
              out.push(text.slice(start, at));
              start = at;
            }
            out.push(text.slice(start));
            return out.filter((part) => part.length > 0);
          }),
      ];
    }
    case 'BertPreTokenizer':
      return [(pieces) => pieces.flatMap(bertPreTokenize)];
    default:
      throw new ChunkwiseError('UNSUPPORTED', `The ${json.type} pre-tokenizer is not supported yet (supported: Sequence, Split, ByteLevel, BertPreTokenizer, Metaspace).`);
  }
}
