import { ChunkwiseError, type Tokenizer as TokenizerContract } from '@chunkwise/core';
import { RankTable } from '../rank-table.js';
import { byteLevelToBytes } from './byte-level-alphabet.js';
import { preTokenizeSteps, type PreTokenizeStep } from './hf-pre-tokenizer.js';
import { createNormalizer } from './normalizer.js';
import { decodeSteps } from './sentencepiece-decoder.js';
import { mergePairs, PairMerges } from './pair-merge.js';
import type { AddedTokenJson, PostProcessorJson, TokenizerJson } from './tokenizer-json.js';

export interface HfEncodeOptions {
  /** Apply the post-processor's special tokens (e.g. a BOS token), as `add_special_tokens` does. Default true. */
  addSpecialTokens?: boolean;
}

export interface HfDecodeOptions {
  /** Leave out added tokens marked special. Default false. */
  skipSpecialTokens?: boolean;
}

type PostProcess = (ids: number[]) => number[];

function unsupported(message: string): never {
  throw new ChunkwiseError('UNSUPPORTED', message);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function postProcessor(json: PostProcessorJson | null | undefined): PostProcess {
  if (!json) return (ids) => ids;
  switch (json.type) {
    case 'ByteLevel':
      return (ids) => ids; // only trims offsets
    case 'Sequence': {
      const steps = (json.processors ?? []).map(postProcessor);
      return (ids) => steps.reduce((value, step) => step(value), ids);
    }
    case 'TemplateProcessing': {
      const single = json.single ?? [];
      const specials = json.special_tokens ?? {};
      return (ids) => {
        const out: number[] = [];
        for (const item of single) {
          if ('SpecialToken' in item) {
            const special = specials[item.SpecialToken.id];
            if (!special) unsupported(`TemplateProcessing names ${item.SpecialToken.id}, which its special_tokens do not define.`);
            out.push(...special.ids);
          } else if (item.Sequence.id === 'A') {
            out.push(...ids);
          }
        }
        return out;
      };
    }
    case 'BertProcessing': {
      const cls = json.cls?.[1];
      const sep = json.sep?.[1];
      if (cls === undefined || sep === undefined) unsupported('BertProcessing without cls/sep tokens.');
      return (ids) => [cls, ...ids, sep];
    }
    default:
      return unsupported(`The ${json.type} post-processor is not supported yet (supported: ByteLevel, TemplateProcessing, BertProcessing, Sequence).`);
  }
}

/**
 * A Hugging Face tokenizer.json tokenizer. Supported today: BPE models, byte-level (GPT-2 style,
 * Llama 3, Qwen 2/3) or SentencePiece-style with byte fallback (Llama 2), with NFC/NFD/NFKC/NFKD,
 * Lowercase, Prepend and string Replace normalizers, Split/ByteLevel pre-tokenizers, added tokens
 * and TemplateProcessing; WordPiece (BERT); Unigram with Metaspace. Unsupported parts of a file throw
 * `UNSUPPORTED` from `fromJSON`.
 */
export class Tokenizer implements TokenizerContract {
  readonly name: string;
  /** Byte-level models: the vocabulary as raw bytes. */
  private readonly vocab: RankTable | null = null;
  /** SentencePiece-style models (byte_fallback): token strings, ids of <0xXX> tokens, unknown-token handling. */
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceTokens: string[] = [];
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly unknownId: number = -1;
  private readonly fuseUnknown: boolean = false;
  private readonly decoders: ReturnType<typeof decodeSteps> = [];
  private readonly wordPiece: boolean;
  private readonly unigram: boolean;
  private readonly scores: Float64Array = new Float64Array(0);
  private maxPieceChars = 0;
  private readonly continuingPrefix: string = '##';
  private readonly maxWordChars: number = 100;
  private readonly merges: PairMerges;
  private readonly ignoreMerges: boolean;
  private readonly normalize: ((text: string) => string) | null;
  private readonly steps: PreTokenizeStep[];
  private readonly postProcess: PostProcess;
  private readonly addedIds = new Map<string, number>();
  private readonly addedTexts = new Map<number, { text: string; bytes: Uint8Array; special: boolean }>();
  private readonly addedRegex: RegExp | null;
  private readonly encoder = new TextEncoder();
  private readonly scratch = { next: new Int32Array(0), prev: new Int32Array(0), heap: new Float64Array(0) };
  private symbols = new Int32Array(256);

  private constructor(json: TokenizerJson, name: string) {
    this.name = name;
    const { model } = json;
    if (model.type !== 'BPE' && model.type !== 'WordPiece' && model.type !== 'Unigram') unsupported(`Model type ${model.type} is not supported; BPE, WordPiece and Unigram are.`);
    this.wordPiece = model.type === 'WordPiece';
    this.unigram = model.type === 'Unigram';
    if (!this.wordPiece && (model.continuing_subword_prefix || model.end_of_word_suffix)) unsupported('BPE with subword prefixes or word suffixes is not supported yet.');
    if (model.dropout) unsupported('BPE dropout is not supported (it makes encoding random).');
    const entries = Array.isArray(model.vocab) ? model.vocab : Object.entries(model.vocab);

    if (this.unigram) {
      if (model.byte_fallback) unsupported('Unigram with byte_fallback is not supported yet.');
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
      this.decoders = decodeSteps(json.decoder);
    } else if (this.wordPiece) {
      for (const [token, id] of entries) {
        this.pieceIds.set(token, id);
        this.pieceTokens[id] = token;
      }
      this.unknownId = this.pieceIds.get(model.unk_token ?? '[UNK]') ?? -1;
      if (this.unknownId < 0) unsupported(`WordPiece model without its unknown token ${JSON.stringify(model.unk_token ?? '[UNK]')} in the vocabulary.`);
      this.continuingPrefix = model.continuing_subword_prefix ?? '##';
      this.maxWordChars = model.max_input_chars_per_word ?? 100;
      this.decoders = decodeSteps(json.decoder);
    } else if (model.byte_fallback) {
      // SentencePiece-style BPE (Llama 2): symbols are characters, unknown characters fall back to
      // their UTF-8 bytes as <0xXX> tokens (tokenizers' BPE::merge_word with byte_fallback).
      for (const [token, id] of entries) {
        this.pieceIds.set(token, id);
        this.pieceTokens[id] = token;
        const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
        if (byte) this.byteIds[Number.parseInt(byte[1]!, 16)] = id;
      }
      this.unknownId = model.unk_token ? (this.pieceIds.get(model.unk_token) ?? -1) : -1;
      this.fuseUnknown = model.fuse_unk === true;
      this.decoders = decodeSteps(json.decoder);
    } else {
      // Byte-level BPE: the vocabulary as raw bytes in our rank-table format, so lookups reuse the
      // tiktoken engine's typed-array table.
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
      this.vocab = RankTable.fromBinary(blob);
    }

    this.merges = new PairMerges();
    const vocabIds = new Map(this.unigram ? [] : entries);
    (model.merges ?? []).forEach((merge, rank) => {
      const [left, right] = typeof merge === 'string' ? (merge.split(' ') as [string, string]) : merge;
      const leftId = vocabIds.get(left);
      const rightId = vocabIds.get(right);
      const merged = vocabIds.get(left + right);
      if (leftId !== undefined && rightId !== undefined && merged !== undefined) this.merges.add(leftId, rightId, rank, merged);
    });
    this.ignoreMerges = model.ignore_merges === true;
    this.normalize = createNormalizer(json.normalizer);
    this.steps = preTokenizeSteps(json.pre_tokenizer);
    if (this.vocab && !this.steps.length) unsupported('A byte-level BPE tokenizer needs a ByteLevel pre-tokenizer.');
    this.postProcess = postProcessor(json.post_processor);

    const added = (json.added_tokens ?? []).filter((token: AddedTokenJson) => {
      if (token.lstrip || token.rstrip || token.single_word) unsupported(`Added token ${JSON.stringify(token.content)} uses lstrip/rstrip/single_word, which are not supported yet.`);
      return token.content.length > 0;
    });
    for (const token of added) {
      this.addedIds.set(token.content, token.id);
      this.addedTexts.set(token.id, { text: token.content, bytes: this.encoder.encode(token.content), special: token.special === true });
    }
    // Longest first, so the leftmost match is also the longest, as tokenizers' Aho-Corasick finds it.
    const alternatives = [...this.addedIds.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
    this.addedRegex = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : null;
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
    if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Expected text as a string, got ${typeof text}.`);
    const ids: number[] = [];
    let position = 0;
    if (this.addedRegex) {
      this.addedRegex.lastIndex = 0;
      for (let match = this.addedRegex.exec(text); match; match = this.addedRegex.exec(text)) {
        this.encodeSegment(text.slice(position, match.index), ids);
        ids.push(this.addedIds.get(match[0])!);
        position = match.index + match[0].length;
      }
    }
    this.encodeSegment(position === 0 ? text : text.slice(position), ids);
    return Uint32Array.from(options.addSpecialTokens === false ? ids : this.postProcess(ids));
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
    for (const step of this.decoders) tokens = step(tokens);
    return tokens.join('');
  }

  private unknownToken(id: number): never {
    throw new ChunkwiseError('NOT_FOUND', `Token id ${String(id)} is not in ${this.name}.`, { details: { id } });
  }

  private encodeSegment(segment: string, ids: number[]): void {
    if (!segment) return;
    let pieces = [this.normalize ? this.normalize(segment) : segment];
    for (const step of this.steps) pieces = step(pieces);
    const vocab = this.vocab;
    if (this.wordPiece) {
      for (const piece of pieces) this.encodeWordPiece(piece, ids);
      return;
    }
    if (this.unigram) {
      for (const piece of pieces) this.encodeUnigram(piece, ids);
      return;
    }
    if (!vocab) {
      for (const piece of pieces) this.encodeCharacters(piece, ids);
      return;
    }
    for (const piece of pieces) {
      const bytes = this.encoder.encode(piece);
      if (this.ignoreMerges) {
        const whole = vocab.rankOf(bytes, 0, bytes.length);
        if (whole >= 0) {
          ids.push(whole);
          continue;
        }
      }
      if (this.symbols.length < bytes.length) this.symbols = new Int32Array(bytes.length * 2);
      const symbols = this.symbols;
      for (let i = 0; i < bytes.length; i++) symbols[i] = vocab.byteRanks[bytes[i]!]!;
      const count = mergePairs(this.merges, symbols, bytes.length, this.scratch);
      for (let i = 0; i < count; i++) ids.push(symbols[i]!);
    }
  }

  /** SentencePiece-style BPE on one piece: characters, byte fallback for unknown ones, then merges. */
  private encodeCharacters(piece: string, ids: number[]): void {
    if (this.ignoreMerges) {
      const whole = this.pieceIds.get(piece);
      if (whole !== undefined) {
        ids.push(whole);
        return;
      }
    }
    if (this.symbols.length < piece.length * 4) this.symbols = new Int32Array(piece.length * 8);
    const symbols = this.symbols;
    let length = 0;
    let previousUnknown = false;
    for (const char of piece) {
      const id = this.pieceIds.get(char);
      if (id !== undefined) {
        symbols[length++] = id;
        previousUnknown = false;
        continue;
      }
      const bytes = this.encoder.encode(char);
      if (bytes.every((byte) => this.byteIds[byte]! >= 0)) {
        for (const byte of bytes) symbols[length++] = this.byteIds[byte]!;
        previousUnknown = false;
        continue;
      }
      if (this.unknownId < 0) throw new ChunkwiseError('NOT_FOUND', `${JSON.stringify(char)} is not in the vocabulary of ${this.name}, which has no unknown token.`);
      if (!(this.fuseUnknown && previousUnknown)) symbols[length++] = this.unknownId;
      previousUnknown = true;
    }
    const count = mergePairs(this.merges, symbols, length, this.scratch);
    for (let i = 0; i < count; i++) ids.push(symbols[i]!);
  }

  /** WordPiece (BERT): greedy longest match first, `##` on continuations; a word with no match is [UNK]. */
  private encodeWordPiece(word: string, ids: number[]): void {
    const chars = Array.from(word);
    if (chars.length > this.maxWordChars) {
      ids.push(this.unknownId);
      return;
    }
    const found: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = chars.length;
      let id: number | undefined;
      while (end > start) {
        const piece = chars.slice(start, end).join('');
        id = this.pieceIds.get(start > 0 ? this.continuingPrefix + piece : piece);
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) {
        ids.push(this.unknownId);
        return;
      }
      found.push(id);
      start = end;
    }
    ids.push(...found);
  }

  /**
   * Unigram (Kudo 2018, arXiv 1804.10959): the segmentation with the highest total log probability,
   * by Viterbi over characters. A character no piece starts with becomes the unknown token (one per
   * run of them), as in tokenizers. Ties keep the earliest candidate, like tokenizers' lattice.
   */
  private encodeUnigram(word: string, ids: number[]): void {
    const chars = Array.from(word);
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const from = new Int32Array(n + 1);
    const token = new Int32Array(n + 1);
    best[0] = 0;
    for (let begin = 0; begin < n; begin++) {
      const base = best[begin]!;
      if (base === Number.NEGATIVE_INFINITY) continue;
      let single = false;
      let piece = '';
      for (let length = 1; length <= this.maxPieceChars && begin + length <= n; length++) {
        piece += chars[begin + length - 1]!;
        const id = this.pieceIds.get(piece);
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
    const found: number[] = [];
    for (let end = n; end > 0; end = from[end]!) found.push(token[end]!);
    found.reverse();
    for (let i = 0; i < found.length; i++) {
      if (found[i] === -1) {
        if (i > 0 && found[i - 1] === -1) continue; // fuse a run of unknown characters
        ids.push(this.unknownId);
      } else {
        ids.push(found[i]!);
      }
    }
  }
}
