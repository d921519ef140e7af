import { DEFAULT_CHUNK_CONFIG, describeChunkConfig, type ChunkConfig } from '../compute/chunk-config.js';

/**
 * The chunk settings the Chunks view edits and the Search view indexes with. The worker chunks the
 * text under them (once per text and settings, whichever view asks first).
 */
export class ChunkSettings {
  #config: ChunkConfig = { ...DEFAULT_CHUNK_CONFIG };
  readonly #listeners = new Set<() => void>();

  get config(): Readonly<ChunkConfig> {
    return this.#config;
  }

  update(config: Partial<ChunkConfig>): void {
    const next = { ...this.#config, ...config };
    if (JSON.stringify(next) === JSON.stringify(this.#config)) return;
    this.#config = next;
    for (const listener of this.#listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  describe(): string {
    return describeChunkConfig(this.#config);
  }
}
