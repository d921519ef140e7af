import { TOKENIZER_NAMES } from '@chunkwise/tokenizers';

/** Meta's Llama 3 tokenizer.json, fetched from the page's data/ folder when chosen. */
export const LLAMA3 = 'llama3';

/** Every tokenizer the page offers: what `resolveTokenizer` accepts, then Llama 3's tokenizer.json. */
export const TOKENIZER_IDS: readonly string[] = [...TOKENIZER_NAMES, LLAMA3];

/** What a select box shows for a tokenizer id: the name itself, with a word where a name says nothing. */
export function tokenizerLabel(id: string): string {
  if (id === LLAMA3) return 'Llama 3 (tokenizer.json, 6 MB)';
  if (id === 'characters') return 'characters (UTF-16 units)';
  return id;
}

export const tokenizerOptions = (): [string, string][] => TOKENIZER_IDS.map((id) => [id, tokenizerLabel(id)]);
