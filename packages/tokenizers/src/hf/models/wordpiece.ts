import { unsupported } from './check-model.js';
import type { AlignedText } from '../aligned-text.js';
import type { ModelJson } from '../tokenizer-json.js';
import { pushUnits, type TokenizerModel, type TokenSink } from './model.js';

/** WordPiece (BERT): greedy longest match first, `##` on continuations; a word with no match is [UNK]. */
export class WordPieceModel implements TokenizerModel {
  readonly byteLevel = false;
  private readonly pieceIds = new Map<string, number>();
  private readonly pieceTokens: string[] = [];
  private readonly unknownId: number;
  private readonly continuingPrefix: string;
  private readonly maxWordChars: number;

  constructor(model: ModelJson, entries: [string, number][]) {
    for (const [token, id] of entries) {
      this.pieceIds.set(token, id);
      this.pieceTokens[id] = token;
    }
    this.unknownId = this.pieceIds.get(model.unk_token ?? '[UNK]') ?? -1;
    if (this.unknownId < 0) unsupported(`WordPiece model without its unknown token ${JSON.stringify(model.unk_token ?? '[UNK]')} in the vocabulary.`);
    this.continuingPrefix = model.continuing_subword_prefix ?? '##';
    this.maxWordChars = model.max_input_chars_per_word ?? 100;
  }

  tokenText(id: number): string | undefined {
    return this.pieceTokens[id];
  }

  encodePiece(piece: AlignedText, sink: TokenSink): void {
    const chars = Array.from(piece.text);
    if (chars.length > this.maxWordChars) {
      pushUnits(sink, this.unknownId, piece, 0, piece.text.length);
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
        pushUnits(sink, this.unknownId, piece, 0, piece.text.length);
        return;
      }
      found.push([id, unit, unit + word.length]);
      unit += word.length;
      start = end;
    }
    for (const [id, from, to] of found) pushUnits(sink, id, piece, from, to);
  }
}
