import type { AlignedText } from '../aligned-text.js';
import type { ModelJson } from '../tokenizer-json.js';
import { unsupported } from './check-model.js';
import { pushUnits, type TokenizerModel, type TokenSink } from './model.js';

/** WordLevel: each pre-tokenized piece is looked up whole; the unknown token otherwise. */
export class WordLevelModel implements TokenizerModel {
  readonly byteLevel = false;
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceTokens: string[] = [];
  private readonly unknownId: number;

  constructor(model: ModelJson, entries: [string, number][]) {
    for (const [token, id] of entries) {
      this.pieceIds.set(token, id);
      this.pieceTokens[id] = token;
    }
    this.unknownId = this.pieceIds.get(model.unk_token ?? '[UNK]') ?? -1;
    if (this.unknownId < 0) unsupported(`WordLevel model without its unknown token ${JSON.stringify(model.unk_token ?? '[UNK]')} in the vocabulary.`);
  }

  tokenText(id: number): string | undefined {
    return this.pieceTokens[id];
  }

  encodePiece(piece: AlignedText, sink: TokenSink): void {
    pushUnits(sink, this.pieceIds.get(piece.text) ?? this.unknownId, piece, 0, piece.text.length);
  }
}
