import { ChunkwiseError } from '@chunkwise/core';
import { PackedHeap } from '../../packed-heap.js';
import type { AlignedText } from '../aligned-text.js';
import { mergePairs, type PairMerges } from '../pair-merge.js';
import type { ModelJson } from '../tokenizer-json.js';
import { ByteFallback } from './byte-fallback.js';
import { pairMerges } from './merges.js';
import { pushUnits, type TokenizerModel, type TokenSink } from './model.js';

/**
 * BPE over characters (SentencePiece-style files: Llama 2, Gemma): symbols are characters, an
 * unknown character falls back to the `<0xXX>` tokens of its UTF-8 bytes when the model has
 * `byte_fallback`, else to the unknown token (fused with its neighbours under `fuse_unk`), then
 * listed merges apply (tokenizers' BPE::merge_word).
 */
export class BpeModel implements TokenizerModel {
  readonly byteLevel = false;
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceTokens: string[] = [];
  private readonly byteFallback: ByteFallback | null;
  private readonly unknownId: number;
  private readonly fuseUnknown: boolean;
  private readonly merges: PairMerges;
  private readonly ignoreMerges: boolean;
  private readonly scratch = { next: new Int32Array(0), prev: new Int32Array(0), heap: new PackedHeap() };
  private symbols = new Int32Array(256);
  private positions = new Int32Array(256);
  private symbolUnits = new Int32Array(256);

  constructor(
    model: ModelJson,
    entries: [string, number][],
    private readonly name: string,
  ) {
    for (const [token, id] of entries) {
      this.pieceIds.set(token, id);
      this.pieceTokens[id] = token;
    }
    this.byteFallback = model.byte_fallback ? new ByteFallback(this.pieceIds) : null;
    this.unknownId = model.unk_token ? (this.pieceIds.get(model.unk_token) ?? -1) : -1;
    this.fuseUnknown = model.fuse_unk === true;
    this.merges = pairMerges(model.merges, (token) => this.pieceIds.get(token));
    this.ignoreMerges = model.ignore_merges === true;
  }

  tokenText(id: number): string | undefined {
    return this.pieceTokens[id];
  }

  private ensureSymbols(length: number): void {
    if (this.symbols.length < length) {
      this.symbols = new Int32Array(length * 2);
      this.positions = new Int32Array(length * 2);
      this.symbolUnits = new Int32Array(length * 2);
    }
  }

  encodePiece(piece: AlignedText, sink: TokenSink): void {
    const text = piece.text;
    if (this.ignoreMerges) {
      const whole = this.pieceIds.get(text);
      if (whole !== undefined) {
        pushUnits(sink, whole, piece, 0, text.length);
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
        const bytes = this.byteFallback?.tokens(char);
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
      pushUnits(sink, symbols[i]!, piece, from, to);
    }
  }
}
