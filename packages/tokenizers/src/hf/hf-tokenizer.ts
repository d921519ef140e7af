import { ChunkwiseError, type Tokenizer as TokenizerContract } from '@chunkwise/core';
import type { EncodedWithOffsets } from '../encoding.js';
import { PackedHeap } from '../packed-heap.js';
import { RankTable } from '../rank-table.js';
import { AddedTokenMatcher } from './added-tokens.js';
import { alignedText, originalSpan, pushOriginalSpan, sliceAligned, type AlignedText } from './aligned-text.js';
import { byteLevelToBytes } from './byte-level-alphabet.js';
import { preTokenizeSteps, type PreTokenizeStep } from './hf-pre-tokenizer.js';
import { createNormalizer, type Normalize } from './normalizer.js';
import { mergePairs, PairMerges } from './pair-merge.js';
import { createPostProcessor, type PostProcessor } from './post-processor.js';
import { decodeSteps } from './sentencepiece-decoder.js';
import type { AddedTokenJson, TokenizerJson } from './tokenizer-json.js';

export interface HfEncodeOptions {
  /** Apply the post-processor's special tokens (e.g. a BOS token), as `add_special_tokens` does. Default true. */
  addSpecialTokens?: boolean;
}

export interface HfDecodeOptions {
  /** Leave out added tokens marked special. Default false. */
  skipSpecialTokens?: boolean;
}

/** Ids of a pair of sequences with the post-processor's token type id (segment id) of each. */
export interface EncodedPair {
  ids: Uint32Array;
  typeIds: Uint32Array;
}

/** Where a model writes ids and, when offsets are wanted, each token's original UTF-16 span. */
interface Sink {
  ids: number[];
  starts: number[] | null;
  ends: number[] | null;
}

function unsupported(message: string): never {
  throw new ChunkwiseError('UNSUPPORTED', message);
}

function checkText(text: unknown, what = 'text'): asserts text is string {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Expected ${what} as a string, got ${typeof text}.`);
}

/**
 * For each UTF-8 byte offset of `text` (0 … byteLength), the UTF-16 index of the character starting
 * there, or of the next character for a continuation byte: a token boundary inside a character
 * gives the character to the token holding its first byte.
 */
function unitAtByte(text: string, byteLength: number): Int32Array {
  const map = new Int32Array(byteLength + 1);
  let byte = 0;
  for (let unit = 0; unit < text.length; ) {
    const code = text.codePointAt(unit)!;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    const units = code > 0xffff ? 2 : 1;
    map[byte] = unit;
    for (let k = 1; k < width; k++) map[byte + k] = unit + units;
    byte += width;
    unit += units;
  }
  map[byteLength] = text.length;
  return map;
}

/**
 * A Hugging Face tokenizer.json tokenizer: BPE (byte-level as in GPT-2, Llama 3, Qwen; or
 * SentencePiece-style with byte fallback as in Llama 2, Gemma), WordPiece (BERT) and Unigram (T5,
 * XLM-R), with their normalizers, pre-tokenizers, added tokens and post-processors. Parts of a file
 * that are not implemented throw `UNSUPPORTED` from `fromJSON`, naming the feature.
 */
export class Tokenizer implements TokenizerContract {
  readonly name: string;
  /** Byte-level models: the vocabulary as raw bytes. */
  private readonly vocab: RankTable | null = null;
  /** Other models: token strings, ids of <0xXX> tokens, unknown-token handling. */
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceTokens: string[] = [];
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly byteFallback: boolean = false;
  private readonly unknownId: number = -1;
  private readonly fuseUnknown: boolean = false;
  private readonly decoders: ReturnType<typeof decodeSteps> = [];
  private readonly hasDecoder: boolean;
  private readonly wordPiece: boolean;
  private readonly wordLevel: boolean;
  private readonly unigram: boolean;
  private readonly scores: Float64Array = new Float64Array(0);
  private maxPieceChars = 0;
  private readonly continuingPrefix: string = '##';
  private readonly maxWordChars: number = 100;
  private readonly merges: PairMerges;
  private readonly ignoreMerges: boolean;
  private readonly normalize: Normalize | null;
  private readonly steps: PreTokenizeStep[];
  private readonly postProcess: PostProcessor;
  private readonly addedTexts = new Map<number, { text: string; bytes: Uint8Array; special: boolean }>();
  /** Added tokens matched in the raw text (`normalized: false`) and in the normalized text. */
  private readonly rawAdded: AddedTokenMatcher;
  private readonly normalizedAdded: AddedTokenMatcher;
  private readonly encoder = new TextEncoder();
  private readonly scratch = { next: new Int32Array(0), prev: new Int32Array(0), heap: new PackedHeap() };
  private symbols = new Int32Array(256);
  private positions = new Int32Array(256);
  private symbolUnits = new Int32Array(256);
  private readonly pieceCache = new Map<string, Int32Array>();

  private constructor(json: TokenizerJson, name: string) {
    this.name = name;
    const { model } = json;
    if (model.type !== 'BPE' && model.type !== 'WordPiece' && model.type !== 'Unigram' && model.type !== 'WordLevel') {
      unsupported(`Model type ${model.type} is not supported; BPE, WordPiece, Unigram and WordLevel are.`);
    }
    this.wordPiece = model.type === 'WordPiece';
    this.wordLevel = model.type === 'WordLevel';
    this.unigram = model.type === 'Unigram';
    if (model.type === 'BPE' && (model.continuing_subword_prefix || model.end_of_word_suffix)) unsupported('BPE with subword prefixes or word suffixes is not supported yet.');
    if (model.dropout) unsupported('BPE dropout is not supported (it makes encoding random).');
    const entries = checkModel(model);

    if (this.unigram) {
      const pieces = model.vocab as [string, number][];
      this.scores = new Float64Array(pieces.length);
      let minScore = Number.POSITIVE_INFINITY;
      pieces.forEach(([piece, score], id) => {
        if (!this.pieceIds.has(piece)) this.pieceIds.set(piece, id);
        this.pieceTokens[id] = piece;
        this.scores[id] = score;
        minScore = Math.min(minScore, score);
        this.maxPieceChars = Math.max(this.maxPieceChars, Array.from(piece).length);
      });
      if (model.unk_id === undefined || model.unk_id === null) unsupported('Unigram model without unk_id.');
      this.unknownId = model.unk_id;
      // tokenizers: an unknown character costs 10 nats more than the rarest piece (K_UNK_PENALTY).
      this.scores[this.unknownId] = minScore - 10;
      this.byteFallback = model.byte_fallback === true;
      this.indexByteTokens();
      this.decoders = decodeSteps(json.decoder);
    } else if (this.wordPiece || this.wordLevel) {
      for (const [token, id] of entries) {
        this.pieceIds.set(token, id);
        this.pieceTokens[id] = token;
      }
      this.unknownId = this.pieceIds.get(model.unk_token ?? '[UNK]') ?? -1;
      if (this.unknownId < 0) unsupported(`${model.type} model without its unknown token ${JSON.stringify(model.unk_token ?? '[UNK]')} in the vocabulary.`);
      this.continuingPrefix = model.continuing_subword_prefix ?? '##';
      this.maxWordChars = model.max_input_chars_per_word ?? 100;
      this.decoders = decodeSteps(json.decoder);
    } else if (model.byte_fallback) {
      // SentencePiece-style BPE (Llama 2, Gemma): symbols are characters, unknown characters fall
      // back to their UTF-8 bytes as <0xXX> tokens (tokenizers' BPE::merge_word with byte_fallback).
      for (const [token, id] of entries) {
        this.pieceIds.set(token, id);
        this.pieceTokens[id] = token;
      }
      this.indexByteTokens();
      this.unknownId = model.unk_token ? (this.pieceIds.get(model.unk_token) ?? -1) : -1;
      this.fuseUnknown = model.fuse_unk === true;
      this.decoders = decodeSteps(json.decoder);
    } else {
      this.vocab = byteLevelVocabulary(entries);
    }

    this.hasDecoder = json.decoder !== null && json.decoder !== undefined;
    this.merges = new PairMerges();
    const vocabIds = this.vocab ? new Map(entries) : this.pieceIds;
    (model.merges ?? []).forEach((merge, rank) => {
      let left: string;
      let right: string;
      if (typeof merge === 'string') {
        const space = merge.indexOf(' ');
        if (space < 0 || merge.indexOf(' ', space + 1) >= 0) invalid(`merge ${JSON.stringify(merge)} is not "left right".`);
        left = merge.slice(0, space);
        right = merge.slice(space + 1);
      } else {
        if (!Array.isArray(merge) || merge.length !== 2 || typeof merge[0] !== 'string' || typeof merge[1] !== 'string') invalid(`merge ${JSON.stringify(merge)} is not [left, right].`);
        [left, right] = merge;
      }
      const leftId = vocabIds.get(left);
      const rightId = vocabIds.get(right);
      const merged = vocabIds.get(left + right);
      if (leftId !== undefined && rightId !== undefined && merged !== undefined) this.merges.add(leftId, rightId, rank, merged);
    });
    this.ignoreMerges = model.ignore_merges === true;
    this.normalize = createNormalizer(json.normalizer);
    this.steps = preTokenizeSteps(json.pre_tokenizer);
    if (this.vocab && !this.steps.length) unsupported('A byte-level BPE tokenizer needs a ByteLevel pre-tokenizer.');
    this.postProcess = createPostProcessor(json.post_processor);

    const added = (json.added_tokens ?? []).filter((token: AddedTokenJson) => token.content.length > 0);
    for (const token of added) {
      this.addedTexts.set(token.id, { text: token.content, bytes: this.encoder.encode(token.content), special: token.special === true });
    }
    // tokenizers: `normalized` defaults to true, but not for special tokens added through the API;
    // tokenizer.json files always spell it out.
    const normalizedToken = (token: AddedTokenJson) => token.normalized ?? !token.special;
    this.rawAdded = new AddedTokenMatcher(
      added.filter((token) => !normalizedToken(token)),
      (token) => token.content,
    );
    this.normalizedAdded = new AddedTokenMatcher(added.filter(normalizedToken), (token) => (this.normalize ? this.normalize(alignedText(token.content, false)).text : token.content));
  }

  private indexByteTokens(): void {
    this.pieceIds.forEach((id, token) => {
      if (token.length !== 6 || !token.startsWith('<0x')) return;
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
      if (byte) this.byteIds[Number.parseInt(byte[1]!, 16)] = id;
    });
  }

  /** Builds a tokenizer from the text or parsed object of a tokenizer.json. */
  static fromJSON(json: string | TokenizerJson, options: { name?: string } = {}): Tokenizer {
    let parsed: TokenizerJson;
    try {
      parsed = typeof json === 'string' ? (JSON.parse(json) as TokenizerJson) : json;
    } catch (error) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'tokenizer.json is not valid JSON.', { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.model !== 'object' || parsed.model === null) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'tokenizer.json has no "model" object; pass the whole file, not tokenizer_config.json.');
    }
    return new Tokenizer(parsed, options.name ?? 'tokenizer.json');
  }

  /** Token ids, with added tokens matched anywhere in the text and the post-processor's special tokens. */
  encode(text: string, options: HfEncodeOptions = {}): Uint32Array {
    checkText(text);
    const sink: Sink = { ids: [], starts: null, ends: null };
    this.encodeSequence(text, sink);
    return this.assemble([sink], options.addSpecialTokens !== false).ids;
  }

  /**
   * Ids with UTF-16 `[start, end)` spans in `text`, the same contract as `Encoding.encodeWithOffsets`:
   * spans are in order and never overlap. A token's span is the original text its normalized
   * characters came from; where several tokens come from one original character (a character split
   * into byte-fallback tokens or byte-level bytes, a ligature a normalizer expanded), the first
   * gets the character and the rest an empty span at its end. Text that the normalizer or
   * pre-tokenizer drops (BERT's whitespace and control characters, stripped spaces) lies between
   * spans; tokens the post-processor adds, and characters a normalizer inserts (a prepended "▁"),
   * have empty spans where they stand.
   */
  encodeWithOffsets(text: string, options: HfEncodeOptions = {}): EncodedWithOffsets {
    checkText(text);
    const sink: Sink = { ids: [], starts: [], ends: [] };
    this.encodeSequence(text, sink);
    const { ids, sequenceIds, spans } = this.assemble([sink], options.addSpecialTokens !== false, text.length);
    return { ids, ...Tokenizer.orderSpans(spans!, sequenceIds) };
  }

  /**
   * `encodePair` with spans: each token's span is in its own text (`sequenceIds` says which: 0 for
   * `first`, 1 for `second`, -1 for the post-processor's special tokens, whose span is (0, 0) as in
   * tokenizers), with `encodeWithOffsets`' rules within each text. For question answering, the
   * tokens with sequence id 1 map an answer back into the context.
   */
  encodePairWithOffsets(first: string, second: string, options: HfEncodeOptions = {}): EncodedPair & EncodedWithOffsets & { sequenceIds: Int8Array } {
    checkText(first, 'the first text');
    checkText(second, 'the second text');
    const a: Sink = { ids: [], starts: [], ends: [] };
    const b: Sink = { ids: [], starts: [], ends: [] };
    this.encodeSequence(first, a);
    this.encodeSequence(second, b);
    const { ids, typeIds, sequenceIds, spans } = this.assemble([a, b], options.addSpecialTokens !== false);
    return { ids, typeIds, sequenceIds, ...Tokenizer.orderSpans(spans!, sequenceIds) };
  }

  /**
   * Ids of a pair of sequences (question and context, query and passage) as the post-processor
   * joins them, e.g. `[CLS] a [SEP] b [SEP]` for BERT, with each token's type id (0 for the first
   * sequence's part, 1 for the second's where the model uses them).
   */
  encodePair(first: string, second: string, options: HfEncodeOptions = {}): EncodedPair {
    checkText(first, 'the first text');
    checkText(second, 'the second text');
    const a: Sink = { ids: [], starts: null, ends: null };
    const b: Sink = { ids: [], starts: null, ends: null };
    this.encodeSequence(first, a);
    this.encodeSequence(second, b);
    const { ids, typeIds } = this.assemble([a, b], options.addSpecialTokens !== false);
    return { ids, typeIds };
  }

  count(text: string): number {
    return this.encode(text).length;
  }

  /** UTF-8 of `decode(ids)` for SentencePiece models; the exact token bytes for byte-level ones. */
  decodeBytes(ids: ArrayLike<number>, options: HfDecodeOptions = {}): Uint8Array {
    if (!this.vocab) return this.encoder.encode(this.decode(ids, options));
    const parts: Uint8Array[] = [];
    let total = 0;
    const { bytes, starts, lengths, size } = this.vocab;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const added = this.addedTexts.get(id);
      let part: Uint8Array;
      if (added) {
        if (added.special && options.skipSpecialTokens) continue;
        part = added.bytes;
      } else if (id >= 0 && id < size && lengths[id] !== 0) {
        part = bytes.subarray(starts[id]!, starts[id]! + lengths[id]!);
      } else {
        this.unknownToken(id);
      }
      parts.push(part);
      total += part.length;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Text of the ids: ByteLevel decoding, or the file's decoder chain for SentencePiece models. */
  decode(ids: ArrayLike<number>, options: HfDecodeOptions = {}): string {
    if (this.vocab) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.decodeBytes(ids, options));
    let tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const added = this.addedTexts.get(id);
      if (added) {
        if (!(added.special && options.skipSpecialTokens)) tokens.push(added.text);
        continue;
      }
      const token = this.pieceTokens[id];
      if (token === undefined) this.unknownToken(id);
      tokens.push(token);
    }
    // tokenizers joins the tokens with spaces when the file has no decoder.
    if (!this.hasDecoder) return tokens.join(' ');
    for (const step of this.decoders) tokens = step(tokens);
    return tokens.join('');
  }

  private unknownToken(id: number): never {
    throw new ChunkwiseError('NOT_FOUND', `Token id ${String(id)} is not in ${this.name}.`, { details: { id } });
  }

  /**
   * The post-processor's template over the sequences: ids, type ids and, when the first sink has
   * spans, a span per id (special tokens get an empty span at 0 before the text, at its end after).
   */
  private assemble(sinks: Sink[], addSpecialTokens: boolean, textLength = 0): { ids: Uint32Array; typeIds: Uint32Array; sequenceIds: Int8Array; spans: number[] | null } {
    const pieces = this.postProcess(sinks.length === 2, addSpecialTokens);
    const ids: number[] = [];
    const typeIds: number[] = [];
    const sequenceIds: number[] = [];
    const spans: number[] | null = sinks[0]!.starts ? [] : null;
    let seenText = false;
    for (const piece of pieces) {
      if ('ids' in piece) {
        for (const id of piece.ids) {
          ids.push(id);
          typeIds.push(piece.typeId);
          sequenceIds.push(-1);
          // One text: before it or after it. A pair: (0, 0), as tokenizers reports special tokens.
          const at = seenText && sinks.length === 1 ? textLength : 0;
          spans?.push(at, at);
        }
        continue;
      }
      const sink = sinks[piece.sequence]!;
      seenText = true;
      for (let i = 0; i < sink.ids.length; i++) {
        ids.push(sink.ids[i]!);
        typeIds.push(piece.typeId);
        sequenceIds.push(piece.sequence);
        spans?.push(sink.starts![i]!, sink.ends![i]!);
      }
    }
    return { ids: Uint32Array.from(ids), typeIds: Uint32Array.from(typeIds), sequenceIds: Int8Array.from(sequenceIds), spans };
  }

  /** Ordered, non-overlapping spans within each sequence (special tokens keep theirs). */
  private static orderSpans(spans: number[], sequenceIds: Int8Array): { starts: Uint32Array; ends: Uint32Array } {
    const starts = new Uint32Array(sequenceIds.length);
    const ends = new Uint32Array(sequenceIds.length);
    const previous = [0, 0];
    for (let i = 0; i < sequenceIds.length; i++) {
      const sequence = sequenceIds[i]!;
      let start = spans[2 * i]!;
      let end = spans[2 * i + 1]!;
      if (sequence >= 0) {
        start = Math.max(start, previous[sequence]!);
        end = Math.max(end, start);
        previous[sequence] = end;
      }
      starts[i] = start;
      ends[i] = end;
    }
    return { starts, ends };
  }

  /** tokenizers' extract_and_normalize + pre-tokenize + model over one sequence. */
  private encodeSequence(text: string, sink: Sink): void {
    const track = sink.starts !== null;
    for (const split of this.rawAdded.split(text)) {
      if (split.id >= 0) {
        this.push(sink, split.id, split.start, split.end);
        continue;
      }
      if (split.end <= split.start) continue;
      const segment = alignedText(split.start === 0 && split.end === text.length ? text : text.slice(split.start, split.end), track, split.start);
      const normalized = this.normalize ? this.normalize(segment) : segment;
      for (const inner of this.normalizedAdded.split(normalized.text)) {
        if (inner.id >= 0) {
          const [start, end] = originalSpan(normalized, inner.start, inner.end);
          this.push(sink, inner.id, start, end);
          continue;
        }
        if (inner.end <= inner.start) continue;
        let pieces = [sliceAligned(normalized, inner.start, inner.end)];
        for (const step of this.steps) pieces = step(pieces);
        for (const piece of pieces) {
          if (!piece.text) continue;
          if (this.wordLevel) this.pushUnits(sink, this.pieceIds.get(piece.text) ?? this.unknownId, piece, 0, piece.text.length);
          else if (this.wordPiece) this.encodeWordPiece(piece, sink);
          else if (this.unigram) this.encodeUnigram(piece, sink);
          else if (this.vocab) this.encodeBytes(piece, sink);
          else this.encodeCharacters(piece, sink);
        }
      }
    }
  }

  private push(sink: Sink, id: number, start: number, end: number): void {
    sink.ids.push(id);
    sink.starts?.push(start);
    sink.ends?.push(end);
  }

  /** Pushes a token made of units [from, to) of `piece`, with its original span when tracking. */
  private pushUnits(sink: Sink, id: number, piece: AlignedText, from: number, to: number): void {
    sink.ids.push(id);
    if (sink.starts && sink.ends) pushOriginalSpan(piece, from, to, sink.starts, sink.ends);
  }

  private ensureSymbols(length: number): void {
    if (this.symbols.length < length) {
      this.symbols = new Int32Array(length * 2);
      this.positions = new Int32Array(length * 2);
      this.symbolUnits = new Int32Array(length * 2);
    }
  }

  /**
   * Byte-level BPE on one piece: its UTF-8 bytes as symbols, then merges. Merged pieces shorter
   * than 256 units are cached (as tokenizers caches words): `[count, byteLength, ids…, byte starts…]`.
   */
  private encodeBytes(piece: AlignedText, sink: Sink): void {
    const text = piece.text;
    const track = sink.starts !== null;
    let merged = text.length < 256 ? this.pieceCache.get(text) : undefined;
    if (!merged) {
      const vocab = this.vocab!;
      const bytes = this.encoder.encode(text);
      const whole = this.ignoreMerges ? vocab.rankOf(bytes, 0, bytes.length) : -1;
      if (whole >= 0) merged = Int32Array.of(1, bytes.length, whole, 0);
      else {
        this.ensureSymbols(bytes.length);
        const symbols = this.symbols;
        for (let i = 0; i < bytes.length; i++) symbols[i] = vocab.byteRanks[bytes[i]!]!;
        const count = mergePairs(this.merges, symbols, bytes.length, this.scratch, this.positions);
        merged = new Int32Array(2 + 2 * count);
        merged[0] = count;
        merged[1] = bytes.length;
        merged.set(symbols.subarray(0, count), 2);
        merged.set(this.positions.subarray(0, count), 2 + count);
      }
      if (text.length < 256) {
        if (this.pieceCache.size >= 50_000) this.pieceCache.clear();
        this.pieceCache.set(text, merged);
      }
    }
    const count = merged[0]!;
    if (!track) {
      for (let i = 0; i < count; i++) sink.ids.push(merged[2 + i]!);
      return;
    }
    const byteLength = merged[1]!;
    const units = unitAtByte(text, byteLength);
    for (let i = 0; i < count; i++) {
      const end = i + 1 < count ? merged[3 + count + i]! : byteLength;
      this.pushUnits(sink, merged[2 + i]!, piece, units[merged[2 + count + i]!]!, units[end]!);
    }
  }

  /** Ids of the <0xXX> tokens for `char`'s UTF-8 bytes, or null if one is missing. */
  private byteTokens(char: string): number[] | null {
    const ids: number[] = [];
    for (const byte of this.encoder.encode(char)) {
      const id = this.byteIds[byte]!;
      if (id < 0) return null;
      ids.push(id);
    }
    return ids;
  }

  /** SentencePiece-style BPE on one piece: characters, byte fallback for unknown ones, then merges. */
  private encodeCharacters(piece: AlignedText, sink: Sink): void {
    const text = piece.text;
    if (this.ignoreMerges) {
      const whole = this.pieceIds.get(text);
      if (whole !== undefined) {
        this.pushUnits(sink, whole, piece, 0, text.length);
        return;
      }
    }
    this.ensureSymbols(text.length * 4);
    const { symbols, symbolUnits } = this;
    let length = 0;
    let previousUnknown = false;
    for (let at = 0; at < text.length; ) {
      const width = text.codePointAt(at)! > 0xffff ? 2 : 1;
      const char = width === 1 ? text[at]! : text.slice(at, at + 2);
      const id = this.pieceIds.get(char);
      if (id !== undefined) {
        symbolUnits[length] = at;
        symbols[length++] = id;
        previousUnknown = false;
      } else {
        const bytes = this.byteTokens(char);
        if (bytes) {
          // The first byte carries the character; the others get an empty span at its end.
          bytes.forEach((byteId, k) => {
            symbolUnits[length] = k === 0 ? at : at + width;
            symbols[length++] = byteId;
          });
          previousUnknown = false;
        } else {
          if (this.unknownId < 0) throw new ChunkwiseError('NOT_FOUND', `${JSON.stringify(char)} is not in the vocabulary of ${this.name}, which has no unknown token.`);
          if (!(this.fuseUnknown && previousUnknown)) {
            symbolUnits[length] = at;
            symbols[length++] = this.unknownId;
          }
          previousUnknown = true;
        }
      }
      at += width;
    }
    const track = sink.starts !== null;
    const count = mergePairs(this.merges, symbols, length, this.scratch, track ? this.positions : undefined);
    for (let i = 0; i < count; i++) {
      if (!track) {
        sink.ids.push(symbols[i]!);
        continue;
      }
      const from = symbolUnits[this.positions[i]!]!;
      const to = i + 1 < count ? symbolUnits[this.positions[i + 1]!]! : text.length;
      this.pushUnits(sink, symbols[i]!, piece, from, to);
    }
  }

  /** WordPiece (BERT): greedy longest match first, `##` on continuations; a word with no match is [UNK]. */
  private encodeWordPiece(piece: AlignedText, sink: Sink): void {
    const chars = Array.from(piece.text);
    if (chars.length > this.maxWordChars) {
      this.pushUnits(sink, this.unknownId, piece, 0, piece.text.length);
      return;
    }
    const found: [id: number, from: number, to: number][] = [];
    let unit = 0;
    for (let start = 0; start < chars.length; ) {
      let end = chars.length;
      let id: number | undefined;
      let word = '';
      while (end > start) {
        word = chars.slice(start, end).join('');
        id = this.pieceIds.get(start > 0 ? this.continuingPrefix + word : word);
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) {
        this.pushUnits(sink, this.unknownId, piece, 0, piece.text.length);
        return;
      }
      found.push([id, unit, unit + word.length]);
      unit += word.length;
      start = end;
    }
    for (const [id, from, to] of found) this.pushUnits(sink, id, piece, from, to);
  }

  /**
   * Unigram (Kudo 2018, arXiv 1804.10959): the segmentation with the highest total log probability,
   * by Viterbi over characters. A character no piece starts with is unknown; a run of them becomes
   * one unknown token, or with byte_fallback the <0xXX> tokens of its UTF-8 bytes, as in
   * tokenizers. Ties keep the earliest candidate, like tokenizers' lattice.
   */
  private encodeUnigram(piece: AlignedText, sink: Sink): void {
    const chars = Array.from(piece.text);
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const from = new Int32Array(n + 1);
    const token = new Int32Array(n + 1);
    best[0] = 0;
    for (let begin = 0; begin < n; begin++) {
      const base = best[begin]!;
      if (base === Number.NEGATIVE_INFINITY) continue;
      let single = false;
      let text = '';
      for (let length = 1; length <= this.maxPieceChars && begin + length <= n; length++) {
        text += chars[begin + length - 1]!;
        const id = this.pieceIds.get(text);
        if (id === undefined) continue;
        if (length === 1) single = true;
        const score = base + this.scores[id]!;
        if (score > best[begin + length]!) {
          best[begin + length] = score;
          from[begin + length] = begin;
          token[begin + length] = id;
        }
      }
      if (!single) {
        const score = base + this.scores[this.unknownId]!;
        if (score > best[begin + 1]!) {
          best[begin + 1] = score;
          from[begin + 1] = begin;
          token[begin + 1] = -1; // an unknown character, not the literal unknown piece
        }
      }
    }
    const ends: number[] = [];
    for (let end = n; end > 0; end = from[end]!) ends.push(end);
    ends.reverse();
    const unitOfChar = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) unitOfChar[i + 1] = unitOfChar[i]! + chars[i]!.length;
    for (let k = 0, begin = 0; k < ends.length; k++) {
      let end = ends[k]!;
      if (token[end] !== -1) {
        this.pushUnits(sink, token[end]!, piece, unitOfChar[begin]!, unitOfChar[end]!);
        begin = end;
        continue;
      }
      while (k + 1 < ends.length && token[ends[k + 1]!] === -1) end = ends[++k]!; // fuse a run of unknown characters
      const bytes = this.byteFallback ? this.byteTokens(chars.slice(begin, end).join('')) : null;
      if (!bytes) this.pushUnits(sink, this.unknownId, piece, unitOfChar[begin]!, unitOfChar[end]!);
      else {
        // Byte tokens: each character goes to the token of its first byte.
        let byte = 0;
        for (let c = begin; c < end; c++) {
          const width = this.encoder.encode(chars[c]!).length;
          for (let k2 = 0; k2 < width; k2++) {
            const at = k2 === 0 ? unitOfChar[c]! : unitOfChar[c + 1]!;
            this.pushUnits(sink, bytes[byte++]!, piece, at, k2 === 0 ? unitOfChar[c + 1]! : at);
          }
        }
      }
      begin = end;
    }
  }
}

function invalid(message: string): never {
  throw new ChunkwiseError('INVALID_ARGUMENT', `tokenizer.json: ${message}`);
}

/**
 * The shapes the model section must have before anything reads it (a malformed file is
 * INVALID_ARGUMENT, not a TypeError); returns the vocab as [token or piece, id or score] entries.
 */
function checkModel(model: TokenizerJson['model']): [string, number][] {
  if (model.type === 'Unigram') {
    if (!Array.isArray(model.vocab)) invalid('a Unigram model needs its vocab as an array of [piece, score].');
    for (const entry of model.vocab as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') invalid(`Unigram vocab entry ${JSON.stringify(entry)} is not [piece, score].`);
    }
    const unk = model.unk_id;
    if (unk !== undefined && unk !== null && !(Number.isInteger(unk) && unk >= 0 && unk < model.vocab.length)) invalid(`unk_id ${String(unk)} is not an index into the vocab.`);
    if (model.merges !== undefined && model.merges !== null && !Array.isArray(model.merges)) invalid('merges must be an array.');
    return model.vocab;
  }
  if (typeof model.vocab !== 'object' || model.vocab === null || Array.isArray(model.vocab)) invalid(`a ${model.type} model needs its vocab as an object of token → id.`);
  const entries = Object.entries(model.vocab);
  for (const [token, id] of entries) {
    if (!(Number.isInteger(id) && id >= 0 && id < 2 ** 21)) invalid(`vocab id ${JSON.stringify(id)} of ${JSON.stringify(token)} is not an integer in [0, 2^21).`);
  }
  if (model.merges !== undefined && model.merges !== null && !Array.isArray(model.merges)) invalid('merges must be an array.');
  return entries;
}

/** The byte-level vocabulary as raw bytes in our rank-table format, so lookups reuse the tiktoken engine's table. */
function byteLevelVocabulary(entries: [string, number][]): RankTable {
  let size = 0;
  for (const [, id] of entries) size = Math.max(size, id + 1);
  const tokens: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(size);
  let total = 0;
  for (const [token, id] of entries) {
    const bytes = byteLevelToBytes(token);
    if (!bytes) unsupported(`Vocabulary entry ${JSON.stringify(token)} is not in the byte-level alphabet, and the model has no byte_fallback: this kind of BPE is not supported yet.`);
    if (bytes.length > 255) unsupported(`Vocabulary entry ${id} is longer than 255 bytes.`);
    tokens[id] = bytes;
    total += bytes.length;
  }
  const blob = new Uint8Array(8 + size + total);
  blob.set([0x43, 0x57, 0x52, 0x31, size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, size >>> 24]);
  let at = 8 + size;
  tokens.forEach((bytes, id) => {
    if (!bytes) return;
    blob[8 + id] = bytes.length;
    blob.set(bytes, at);
    at += bytes.length;
  });
  return RankTable.fromBinary(blob);
}
