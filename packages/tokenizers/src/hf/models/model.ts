import { pushOriginalSpan, type AlignedText } from '../aligned-text.js';

/** Where a model writes ids and, when offsets are wanted, each token's original UTF-16 span. */
export interface TokenSink {
  ids: number[];
  starts: number[] | null;
  ends: number[] | null;
}

/**
 * One tokenizer.json model (tokenizers' `Model` trait): turns one pre-tokenized piece into ids and
 * maps ids back to what the decoder reads. BPE, byte-level BPE, WordPiece, WordLevel and Unigram
 * each implement it in their own file.
 */
export interface TokenizerModel {
  /** Appends the tokens of `piece` (normalized, pre-tokenized text with its alignment) to `sink`. */
  encodePiece(piece: AlignedText, sink: TokenSink): void;
  /** The vocabulary string of `id` (what the file's decoder chain reads), or undefined if unknown. */
  tokenText(id: number): string | undefined;
  /**
   * The raw bytes of `id` for byte-level models, whose tokens are bytes rather than text; absent for
   * models whose tokens are strings.
   */
  tokenBytes?(id: number): Uint8Array | undefined;
  /** True when the model needs a ByteLevel pre-tokenizer to map text into its byte alphabet. */
  readonly byteLevel: boolean;
}

/** Pushes a token made of units [from, to) of `piece`, with its original span when tracking. */
export function pushUnits(sink: TokenSink, id: number, piece: AlignedText, from: number, to: number): void {
  sink.ids.push(id);
  if (sink.starts && sink.ends) pushOriginalSpan(piece, from, to, sink.starts, sink.ends);
}
