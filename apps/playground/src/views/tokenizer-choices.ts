import type { Tokenizer } from '@chunkwise/core';
import { Encoding, getEncoding, HfTokenizer, type EncodedWithOffsets } from '@chunkwise/tokenizers';

export interface TokenizerChoice {
  id: string;
  label: string;
  /** Loads lazily: each encoding's rank data is its own chunk, the Llama 3 file its own fetch. */
  load(): Promise<Tokenizer>;
}

/** Fetched relative to the page; emitted by vite-plugins/dataset-assets.ts. */
const LLAMA3_TOKENIZER_URL = 'data/llama3-tokenizer.json';

let llama3: Promise<HfTokenizer> | undefined;

function loadLlama3(): Promise<HfTokenizer> {
  llama3 ??= fetch(new URL(LLAMA3_TOKENIZER_URL, document.baseURI))
    .then((response) => {
      if (!response.ok) throw new Error(`Could not load the Llama 3 tokenizer.json (HTTP ${String(response.status)}).`);
      return response.text();
    })
    .then((json) => HfTokenizer.fromJSON(json, { name: 'Llama 3' }));
  llama3.catch(() => (llama3 = undefined));
  return llama3;
}

export const TOKENIZER_CHOICES: readonly TokenizerChoice[] = [
  { id: 'o200k_base', label: 'o200k_base (GPT-4o, o-series)', load: () => getEncoding('o200k_base') },
  { id: 'cl100k_base', label: 'cl100k_base (GPT-4, GPT-3.5)', load: () => getEncoding('cl100k_base') },
  { id: 'llama3', label: 'Llama 3 (tokenizer.json, 5 MB)', load: loadLlama3 },
];

export function tokenizerChoice(id: string): TokenizerChoice {
  const choice = TOKENIZER_CHOICES.find((candidate) => candidate.id === id);
  if (!choice) throw new Error(`Unknown tokenizer ${JSON.stringify(id)}.`);
  return choice;
}

export const tokenizerOptions = (): [string, string][] => TOKENIZER_CHOICES.map((choice) => [choice.id, choice.label]);

/**
 * The ordinary tokens of `text` with their UTF-16 spans, as the tokenizers package reports them:
 * for tiktoken encodings special-token look-alikes count as text, as `count()` does; a
 * tokenizer.json tokenizer gives ids without its post-processor's special tokens, with spans
 * mapped back through its normalizer. Null spans mean the tokenizer reports no offsets.
 */
export function ordinaryTokens(tokenizer: Tokenizer, text: string): { ids: Uint32Array; spans: Omit<EncodedWithOffsets, 'ids'> | null } {
  if (tokenizer instanceof HfTokenizer) {
    const { ids, starts, ends } = tokenizer.encodeWithOffsets(text, { addSpecialTokens: false });
    return { ids, spans: { starts, ends } };
  }
  if (tokenizer instanceof Encoding) {
    const { ids, starts, ends } = tokenizer.encodeWithOffsets(text, { disallowedSpecial: [] });
    return { ids, spans: { starts, ends } };
  }
  return { ids: tokenizer.encode(text), spans: null };
}
