import { ChunkwiseError, type TokenOffsets, type TokenOffsetsOptions, type Tokenizer } from '@chunkwise/core';
import { describeValue } from '../describe-value.js';
import { AddedTokenMatcher } from './added-tokens.js';
import { alignedText, originalSpan, sliceAligned } from './aligned-text.js';
import { preTokenizeSteps, type PreTokenizeStep } from './hf-pre-tokenizer.js';
import { checkIds } from '../encoding.js';
import { createModel } from './models/create-model.js';
import type { TokenizerModel, TokenSink } from './models/model.js';
import { createNormalizer, type Normalize } from './normalizer.js';
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

function checkText(text: unknown, what = 'text'): asserts text is string {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Expected ${what} as a string, got ${describeValue(text)}.`);
}

/** Options objects may be left out, never null or another type (`{}` is the default). */
function optionsOf<T extends object>(options: T | undefined): T | Record<string, never> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', `Expected options as an object, got ${describeValue(options)}.`);
  return options;
}


/**
 * A Hugging Face tokenizer.json tokenizer: BPE (byte-level as in GPT-2, Llama 3, Qwen; or
 * SentencePiece-style with byte fallback as in Llama 2, Gemma), WordPiece (BERT) and Unigram (T5,
 * XLM-R), with their normalizers, pre-tokenizers, added tokens and post-processors. Parts of a file
 * that are not implemented throw `UNSUPPORTED` from `fromJSON`, naming the feature.
 */
export class HfTokenizer implements Tokenizer {
  readonly name: string;
  /** The file's model (one class per model type, as tokenizers' `Model` trait). */
  private readonly model: TokenizerModel;
  private readonly decoders: ReturnType<typeof decodeSteps> = [];
  private readonly hasDecoder: boolean;
  private readonly normalize: Normalize | null;
  private readonly steps: PreTokenizeStep[];
  private readonly postProcess: PostProcessor;
  private readonly addedTexts = new Map<number, { text: string; bytes: Uint8Array; special: boolean }>();
  /** Added tokens matched in the raw text (`normalized: false`) and in the normalized text. */
  private readonly rawAdded: AddedTokenMatcher;
  private readonly normalizedAdded: AddedTokenMatcher;
  private readonly encoder = new TextEncoder();

  private constructor(json: TokenizerJson, name: string) {
    this.name = name;
    this.model = createModel(json, name);
    if (!this.model.byteLevel) this.decoders = decodeSteps(json.decoder);
    this.hasDecoder = json.decoder !== null && json.decoder !== undefined;
    this.normalize = createNormalizer(json.normalizer);
    this.steps = preTokenizeSteps(json.pre_tokenizer);
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

  /** Builds a tokenizer from the text or parsed object of a tokenizer.json. */
  static fromJSON(json: string | TokenizerJson, options?: { name?: string }): HfTokenizer {
    const { name = 'tokenizer.json' } = optionsOf(options);
    if (typeof name !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `options.name must be a string, got ${describeValue(name)}.`);
    let parsed: TokenizerJson;
    try {
      parsed = typeof json === 'string' ? (JSON.parse(json) as TokenizerJson) : json;
    } catch (error) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'tokenizer.json is not valid JSON.', { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.model !== 'object' || parsed.model === null) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'tokenizer.json has no "model" object; pass the whole file, not tokenizer_config.json.');
    }
    return new HfTokenizer(parsed, name);
  }

  /** Token ids, with added tokens matched anywhere in the text and the post-processor's special tokens. */
  encode(text: string, options?: HfEncodeOptions): Uint32Array {
    const opts = optionsOf(options);
    checkText(text);
    const sink: TokenSink = { ids: [], starts: null, ends: null };
    this.encodeSequence(text, sink);
    return this.assemble([sink], opts.addSpecialTokens !== false).ids;
  }

  /**
   * Ids with UTF-16 `[start, end)` spans in `text`, the same contract as `Encoding.encodeWithOffsets`:
   * spans are in order and never overlap. A token's span is the original text its normalized
   * characters came from; where several tokens come from one original character (a character split
   * into byte-fallback tokens or byte-level bytes, a ligature a normalizer expanded), the first
   * gets the character and the rest an empty span at its end. Text that the normalizer or
   * pre-tokenizer drops (BERT's whitespace and control characters, stripped spaces) lies between
   * spans; tokens the post-processor adds, and characters a normalizer inserts (a prepended "▁"),
   * have empty spans where they stand. Core's `allowedSpecial`/`disallowedSpecial` are accepted for
   * the `Tokenizer` contract and have no effect: added tokens are always matched, as in tokenizers.
   */
  encodeWithOffsets(text: string, options?: HfEncodeOptions & TokenOffsetsOptions): TokenOffsets {
    const opts = optionsOf(options);
    checkText(text);
    const sink: TokenSink = { ids: [], starts: [], ends: [] };
    this.encodeSequence(text, sink);
    const { ids, sequenceIds, spans } = this.assemble([sink], opts.addSpecialTokens !== false, text.length);
    return { ids, ...HfTokenizer.orderSpans(spans!, sequenceIds) };
  }

  /**
   * `encodePair` with spans: each token's span is in its own text (`sequenceIds` says which: 0 for
   * `first`, 1 for `second`, -1 for the post-processor's special tokens, whose span is (0, 0) as in
   * tokenizers), with `encodeWithOffsets`' rules within each text. For question answering, the
   * tokens with sequence id 1 map an answer back into the context.
   */
  encodePairWithOffsets(first: string, second: string, options?: HfEncodeOptions): EncodedPair & TokenOffsets & { sequenceIds: Int8Array } {
    const opts = optionsOf(options);
    checkText(first, 'the first text');
    checkText(second, 'the second text');
    const a: TokenSink = { ids: [], starts: [], ends: [] };
    const b: TokenSink = { ids: [], starts: [], ends: [] };
    this.encodeSequence(first, a);
    this.encodeSequence(second, b);
    const { ids, typeIds, sequenceIds, spans } = this.assemble([a, b], opts.addSpecialTokens !== false);
    return { ids, typeIds, sequenceIds, ...HfTokenizer.orderSpans(spans!, sequenceIds) };
  }

  /**
   * Ids of a pair of sequences (question and context, query and passage) as the post-processor
   * joins them, e.g. `[CLS] a [SEP] b [SEP]` for BERT, with each token's type id (0 for the first
   * sequence's part, 1 for the second's where the model uses them).
   */
  encodePair(first: string, second: string, options?: HfEncodeOptions): EncodedPair {
    const opts = optionsOf(options);
    checkText(first, 'the first text');
    checkText(second, 'the second text');
    const a: TokenSink = { ids: [], starts: null, ends: null };
    const b: TokenSink = { ids: [], starts: null, ends: null };
    this.encodeSequence(first, a);
    this.encodeSequence(second, b);
    const { ids, typeIds } = this.assemble([a, b], opts.addSpecialTokens !== false);
    return { ids, typeIds };
  }

  count(text: string): number {
    return this.encode(text).length;
  }

  /** UTF-8 of `decode(ids)` for models whose tokens are strings; the exact token bytes for byte-level ones. */
  decodeBytes(ids: ArrayLike<number>, options?: HfDecodeOptions): Uint8Array {
    const opts = optionsOf(options);
    checkIds(ids);
    const model = this.model;
    if (!model.tokenBytes) return this.encoder.encode(this.decode(ids, options));
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) this.unknownToken(id);
      const added = this.addedTexts.get(id);
      let part: Uint8Array;
      if (added) {
        if (added.special && opts.skipSpecialTokens) continue;
        part = added.bytes;
      } else {
        part = model.tokenBytes(id) ?? this.unknownToken(id);
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

  /** Text of the ids: ByteLevel decoding, or the file's decoder chain for models whose tokens are strings. */
  decode(ids: ArrayLike<number>, options?: HfDecodeOptions): string {
    const opts = optionsOf(options);
    checkIds(ids);
    if (this.model.tokenBytes) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.decodeBytes(ids, options));
    let tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) this.unknownToken(id);
      const added = this.addedTexts.get(id);
      if (added) {
        if (!(added.special && opts.skipSpecialTokens)) tokens.push(added.text);
        continue;
      }
      tokens.push(this.model.tokenText(id) ?? this.unknownToken(id));
    }
    // tokenizers joins the tokens with spaces when the file has no decoder.
    if (!this.hasDecoder) return tokens.join(' ');
    for (const step of this.decoders) tokens = step(tokens);
    return tokens.join('');
  }

  private unknownToken(id: number): never {
    throw new ChunkwiseError('NOT_FOUND', `Token id ${describeValue(id)} is not in ${this.name}.`, { details: { id: describeValue(id) } });
  }

  /**
   * The post-processor's template over the sequences: ids, type ids and, when the first sink has
   * spans, a span per id (special tokens get an empty span at 0 before the text, at its end after).
   */
  private assemble(sinks: TokenSink[], addSpecialTokens: boolean, textLength = 0): { ids: Uint32Array; typeIds: Uint32Array; sequenceIds: Int8Array; spans: number[] | null } {
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
  private encodeSequence(text: string, sink: TokenSink): void {
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
        for (const piece of pieces) if (piece.text) this.model.encodePiece(piece, sink);
      }
    }
  }

  private push(sink: TokenSink, id: number, start: number, end: number): void {
    sink.ids.push(id);
    sink.starts?.push(start);
    sink.ends?.push(end);
  }
}
