import { PackedHeap } from '../../packed-heap.js';
import { RankTable } from '../../rank-table.js';
import type { AlignedText } from '../aligned-text.js';
import { byteLevelToBytes } from '../byte-level-alphabet.js';
import { mergePairs, type PairMerges } from '../pair-merge.js';
import type { ModelJson } from '../tokenizer-json.js';
import { pairMerges } from './merges.js';
import { pushUnits, type TokenizerModel, type TokenSink } from './model.js';

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
 * Byte-level BPE (GPT-2, Llama 3, Qwen, DeepSeek): tokenizers' BPE model behind a ByteLevel
 * pre-tokenizer. The vocabulary is mapped back from GPT-2's byte alphabet to raw bytes and kept in
 * the tiktoken engine's rank table, so a piece's UTF-8 is merged directly. Vocabulary entries that
 * are not in the byte alphabet (DeepSeek-V3 lists its added tokens there) are never produced from
 * text bytes; they decode to their UTF-8, as tokenizers' ByteLevel decoder does.
 */
export class ByteLevelBpeModel implements TokenizerModel {
  readonly byteLevel = true;
  private readonly vocab: RankTable;
  private readonly texts: string[] = [];
  /** UTF-8 of the entries outside the byte alphabet, by id. */
  private readonly foreign = new Map<number, Uint8Array>();
  private readonly merges: PairMerges;
  private readonly ignoreMerges: boolean;
  private readonly encoder = new TextEncoder();
  private readonly scratch = { next: new Int32Array(0), prev: new Int32Array(0), heap: new PackedHeap() };
  private symbols = new Int32Array(256);
  private positions = new Int32Array(256);
  private readonly pieceCache = new Map<string, Int32Array>();

  constructor(model: ModelJson, entries: [string, number][]) {
    let size = 0;
    for (const [, id] of entries) size = Math.max(size, id + 1);
    const tokens = new Array<Uint8Array | undefined>(size);
    for (const [token, id] of entries) {
      this.texts[id] = token;
      const bytes = byteLevelToBytes(token);
      if (bytes) tokens[id] = bytes;
      else this.foreign.set(id, this.encoder.encode(token));
    }
    this.vocab = RankTable.fromTokens(tokens);
    const ids = new Map(entries);
    this.merges = pairMerges(model.merges, (token) => ids.get(token));
    this.ignoreMerges = model.ignore_merges === true;
  }

  tokenText(id: number): string | undefined {
    return this.texts[id];
  }

  tokenBytes(id: number): Uint8Array | undefined {
    const { bytes, starts, lengths, size } = this.vocab;
    if (id >= 0 && id < size && lengths[id] !== 0) return bytes.subarray(starts[id]!, starts[id]! + lengths[id]!);
    return this.foreign.get(id);
  }

  private ensureSymbols(length: number): void {
    if (this.symbols.length < length) {
      this.symbols = new Int32Array(length * 2);
      this.positions = new Int32Array(length * 2);
    }
  }

  /**
   * The piece's UTF-8 bytes as symbols, then merges. Merged pieces shorter than 256 units are cached
   * (as tokenizers caches words): `[count, byteLength, ids…, byte starts…]`.
   */
  encodePiece(piece: AlignedText, sink: TokenSink): void {
    const text = piece.text;
    let merged = text.length < 256 ? this.pieceCache.get(text) : undefined;
    if (!merged) {
      const vocab = this.vocab;
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
    if (sink.starts === null) {
      for (let i = 0; i < count; i++) sink.ids.push(merged[2 + i]!);
      return;
    }
    const byteLength = merged[1]!;
    const units = unitAtByte(text, byteLength);
    for (let i = 0; i < count; i++) {
      const end = i + 1 < count ? merged[3 + count + i]! : byteLength;
      pushUnits(sink, merged[2 + i]!, piece, units[merged[2 + count + i]!]!, units[end]!);
    }
  }
}
