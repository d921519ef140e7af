import type { AlignedText } from '../aligned-text.js';
import type { ModelJson } from '../tokenizer-json.js';
import { ByteFallback } from './byte-fallback.js';
import { unsupported } from './check-model.js';
import { pushUnits, type TokenizerModel, type TokenSink } from './model.js';

/**
 * Unigram (Kudo 2018, arXiv 1804.10959): the segmentation with the highest total log probability,
 * by Viterbi over characters. A character no piece starts with is unknown; a run of them becomes
 * one unknown token, or with byte_fallback the <0xXX> tokens of its UTF-8 bytes, as in
 * tokenizers. Ties keep the earliest candidate, like tokenizers' lattice.
 */
export class UnigramModel implements TokenizerModel {
  readonly byteLevel = false;
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceTokens: string[] = [];
  private readonly scores: Float64Array;
  private maxPieceChars = 0;
  private readonly unknownId: number;
  private readonly byteFallback: ByteFallback | null;
  private readonly encoder = new TextEncoder();

  constructor(model: ModelJson) {
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
    this.byteFallback = model.byte_fallback === true ? new ByteFallback(this.pieceIds) : null;
  }

  tokenText(id: number): string | undefined {
    return this.pieceTokens[id];
  }

  encodePiece(piece: AlignedText, sink: TokenSink): void {
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
        pushUnits(sink, token[end]!, piece, unitOfChar[begin]!, unitOfChar[end]!);
        begin = end;
        continue;
      }
      while (k + 1 < ends.length && token[ends[k + 1]!] === -1) end = ends[++k]!; // fuse a run of unknown characters
      const bytes = this.byteFallback ? this.byteFallback.tokens(chars.slice(begin, end).join('')) : null;
      if (!bytes) pushUnits(sink, this.unknownId, piece, unitOfChar[begin]!, unitOfChar[end]!);
      else {
        // Byte tokens: each character goes to the token of its first byte.
        let byte = 0;
        for (let c = begin; c < end; c++) {
          const width = this.encoder.encode(chars[c]!).length;
          for (let k2 = 0; k2 < width; k2++) {
            const at = k2 === 0 ? unitOfChar[c]! : unitOfChar[c + 1]!;
            pushUnits(sink, bytes[byte++]!, piece, at, k2 === 0 ? unitOfChar[c + 1]! : at);
          }
        }
      }
      begin = end;
    }
  }
}
