import { ChunkwiseError, type Tokenizer } from '@chunkwise/core';
import { HfTokenizer, resolveTokenizer } from '@chunkwise/tokenizers';
import { LLAMA3_TOKENIZER_PATH } from './asset-paths.js';
import { LLAMA3 } from './tokenizer-names.js';

/**
 * Loads tokenizers by id, once each: the names `resolveTokenizer` knows (each encoding's rank data is
 * its own lazily loaded chunk) and Llama 3, whose tokenizer.json is fetched from `baseUrl`.
 */
export class TokenizerLoader {
  readonly #loaded = new Map<string, Promise<Tokenizer>>();

  constructor(private readonly baseUrl: string) {}

  load(id: string): Promise<Tokenizer> {
    let promise = this.#loaded.get(id);
    if (!promise) {
      promise = id === LLAMA3 ? this.#llama3() : resolveTokenizer(id);
      this.#loaded.set(id, promise);
      // A failed fetch may succeed later (the network came back): forget it.
      promise.catch(() => this.#loaded.delete(id));
    }
    return promise;
  }

  async #llama3(): Promise<Tokenizer> {
    const response = await fetch(new URL(LLAMA3_TOKENIZER_PATH, this.baseUrl));
    if (!response.ok) throw new ChunkwiseError('NOT_FOUND', `Could not load the Llama 3 tokenizer.json (HTTP ${String(response.status)}).`);
    return HfTokenizer.fromJSON(await response.text(), { name: 'Llama 3' });
  }
}
