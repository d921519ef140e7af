import { ChunkwiseError } from '@chunkwise/core';
import { decodeBase64 } from '../base64.js';
import { AlignedBuilder, type AlignedText } from './aligned-text.js';

/**
 * SentencePiece's `precompiled_charsmap` (T5, XLM-R, mBART, Marian tokenizer.json files): a
 * little-endian u32 trie size, a darts-clone double-array trie over UTF-8 bytes whose values are
 * offsets into the rest of the blob, and NUL-terminated replacement strings there.
 *
 * Normalization follows tokenizers' Precompiled normalizer exactly, quirks included: the text is
 * cut into extended grapheme clusters; a cluster shorter than 6 UTF-8 bytes is looked up whole and,
 * if any prefix of it is in the trie, replaced by the *shortest* such prefix's replacement (the rest
 * of the cluster is dropped, as tokenizers does); otherwise each code point is looked up alone and
 * replaced when it has an entry.
 */
export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly normalized: Uint8Array;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly encoder = new TextEncoder();
  private readonly cache = new Map<string, string | null>();

  constructor(base64: string) {
    if (typeof base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'Precompiled normalizer: precompiled_charsmap is not a base64 string.');
    }
    const blob = decodeBase64(base64);
    if (blob.length < 4) throw new ChunkwiseError('INVALID_ARGUMENT', 'Precompiled normalizer: precompiled_charsmap is too short.');
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieBytes = view.getUint32(0, true);
    if (trieBytes % 4 !== 0 || 4 + trieBytes > blob.length || trieBytes === 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Precompiled normalizer: trie size ${String(trieBytes)} does not fit the ${String(blob.length)}-byte charsmap.`);
    }
    this.units = new Uint32Array(trieBytes / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + i * 4, true);
    this.normalized = blob.subarray(4 + trieBytes);
  }

  /**
   * Walks the trie along `bytes` (darts-clone's commonPrefixSearch); returns the byte length and
   * replacement of the shortest key that is a prefix of them, or with `longest` the longest one.
   */
  prefixMatch(bytes: Uint8Array, longest = false): [length: number, replacement: string] | null {
    const units = this.units;
    const offset = (unit: number) => (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    let node = offset(units[0]!);
    let found: [number, number] | null = null;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === 0) break;
      node ^= byte;
      const unit = units[node];
      if (unit === undefined || (unit & 0x800000ff) >>> 0 !== byte) break;
      node ^= offset(unit);
      if ((unit >>> 8) & 1) {
        found = [i + 1, units[node]! & 0x7fffffff];
        if (!longest) break;
      }
    }
    if (!found) return null;
    const [length, value] = found;
    let end = value;
    while (end < this.normalized.length && this.normalized[end] !== 0) end++;
    try {
      return [length, this.decoder.decode(this.normalized.subarray(value, end))];
    } catch (error) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'Precompiled normalizer: a replacement in precompiled_charsmap is not UTF-8.', { cause: error });
    }
  }

  private shortestPrefix(bytes: Uint8Array): string | null {
    return this.prefixMatch(bytes)?.[1] ?? null;
  }

  private transform(chunk: string): string | null {
    let found = this.cache.get(chunk);
    if (found === undefined) {
      found = this.shortestPrefix(this.encoder.encode(chunk));
      if (this.cache.size < 50_000) this.cache.set(chunk, found);
    }
    return found;
  }

  normalize(source: AlignedText): AlignedText {
    const { text } = source;
    const builder = new AlignedBuilder(source);
    let copied = 0;
    let modified = false;
    const replace = (from: number, to: number, replacement: string) => {
      builder.copy(copied, from);
      builder.replace(from, to, replacement);
      copied = to;
      modified = true;
    };
    for (const { segment, index } of graphemes(text)) {
      if (utf8Length(segment) < 6) {
        const whole = this.transform(segment);
        if (whole !== null) {
          replace(index, index + segment.length, whole);
          continue;
        }
      }
      for (let i = 0; i < segment.length; ) {
        const width = segment.codePointAt(i)! > 0xffff ? 2 : 1;
        const replacement = this.transform(segment.slice(i, i + width));
        if (replacement !== null) replace(index + i, index + i + width, replacement);
        i += width;
      }
    }
    if (!modified) return source;
    builder.copy(copied, text.length);
    return builder.build();
  }
}

function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

let segmenter: Intl.Segmenter | undefined;

/** Extended grapheme clusters (UAX #29), as Rust's unicode-segmentation `graphemes(true)` gives them. */
function graphemes(text: string): Iterable<{ segment: string; index: number }> {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  return segmenter.segment(text);
}
