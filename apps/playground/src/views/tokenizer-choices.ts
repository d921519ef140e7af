import { getEncoding, type EncodedWithOffsets } from '@chunkwise/tokenizers';
import type { Tokenizer } from '@chunkwise/core';

/** A tokenizer the page can show token by token. */
export interface OffsetTokenizer extends Tokenizer {
  encodeWithOffsets(text: string, options?: { disallowedSpecial?: 'all' | Iterable<string> }): EncodedWithOffsets;
}

export interface TokenizerChoice {
  id: string;
  label: string;
  /** Loads lazily: each encoding's rank data is its own chunk of the bundle. */
  load(): Promise<OffsetTokenizer>;
}

export const TOKENIZER_CHOICES: readonly TokenizerChoice[] = [
  { id: 'o200k_base', label: 'o200k_base (GPT-4o, o-series)', load: () => getEncoding('o200k_base') },
  { id: 'cl100k_base', label: 'cl100k_base (GPT-4, GPT-3.5)', load: () => getEncoding('cl100k_base') },
];

export function tokenizerChoice(id: string): TokenizerChoice {
  const choice = TOKENIZER_CHOICES.find((candidate) => candidate.id === id);
  if (!choice) throw new Error(`Unknown tokenizer ${JSON.stringify(id)}.`);
  return choice;
}

export const tokenizerOptions = (): [string, string][] => TOKENIZER_CHOICES.map((choice) => [choice.id, choice.label]);
