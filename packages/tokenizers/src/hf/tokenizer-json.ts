/** The parts of a Hugging Face tokenizer.json this package reads (format of tokenizers ≥ 0.13). */
export interface TokenizerJson {
  added_tokens?: AddedTokenJson[];
  normalizer?: NormalizerJson | null;
  pre_tokenizer?: PreTokenizerJson | null;
  post_processor?: PostProcessorJson | null;
  decoder?: DecoderJson | null;
  model: ModelJson;
}

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
  special?: boolean;
}

export interface NormalizerJson {
  type: string;
  normalizers?: NormalizerJson[];
  prepend?: string;
  pattern?: { Regex?: string; String?: string };
  content?: string;
  /** Strip */
  strip_left?: boolean;
  strip_right?: boolean;
  /** Precompiled: SentencePiece's charsmap, base64. */
  precompiled_charsmap?: string | null;
}

export interface DecoderJson {
  type: string;
  decoders?: DecoderJson[];
  pattern?: { Regex?: string; String?: string };
  content?: string;
  start?: number;
  stop?: number;
  prefix?: string;
  cleanup?: boolean;
  replacement?: string;
  prepend_scheme?: 'always' | 'first' | 'never';
}

export interface PreTokenizerJson {
  type: string;
  pretokenizers?: PreTokenizerJson[];
  pattern?: { Regex?: string; String?: string };
  behavior?: string;
  invert?: boolean;
  add_prefix_space?: boolean;
  use_regex?: boolean;
  /** Digits */
  individual_digits?: boolean;
  /** CharDelimiterSplit */
  delimiter?: string;
  /** Metaspace */
  replacement?: string;
  prepend_scheme?: 'always' | 'first' | 'never';
  split?: boolean;
}

export interface PostProcessorJson {
  type: string;
  processors?: PostProcessorJson[];
  single?: TemplatePieceJson[];
  pair?: TemplatePieceJson[];
  special_tokens?: Record<string, { id: string; ids: number[]; tokens: string[] }>;
  /** BertProcessing / RobertaProcessing: [token, id]. */
  cls?: [string, number];
  sep?: [string, number];
}

export type TemplatePieceJson = { SpecialToken: { id: string; type_id?: number } } | { Sequence: { id: string; type_id?: number } };

export interface ModelJson {
  type: string;
  /** token → id for BPE and WordPiece; [piece, log probability] in id order for Unigram. */
  vocab: Record<string, number> | [string, number][];
  /** Unigram */
  unk_id?: number | null;
  merges?: (string | [string, string])[];
  dropout?: number | null;
  unk_token?: string | null;
  continuing_subword_prefix?: string | null;
  end_of_word_suffix?: string | null;
  fuse_unk?: boolean;
  byte_fallback?: boolean;
  ignore_merges?: boolean;
  /** WordPiece */
  max_input_chars_per_word?: number;
}
