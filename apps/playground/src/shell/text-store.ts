/** The one piece of state every view reads: the text under study, with change notification. */
export class TextStore {
  #text = '';
  #source = 'pasted text';
  readonly #listeners = new Set<() => void>();

  get text(): string {
    return this.#text;
  }

  /** Where the text came from, e.g. "Moby Dick, Chapter 1: Loomings." */
  get source(): string {
    return this.#source;
  }

  set(text: string, source: string): void {
    if (text === this.#text && source === this.#source) return;
    this.#text = text;
    this.#source = source;
    for (const listener of this.#listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
