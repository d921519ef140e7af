/**
 * Decodes ids arriving in chunks (for example from a streaming completion). Bytes of a character
 * split across tokens are held until the character is complete. Each decoder owns its state, unlike
 * a shared module-level `TextDecoder` (gpt-tokenizer 4.0.0 leaks state between `decode` calls).
 */
export interface StreamingDecoder {
  /** Text completed by these ids; an incomplete trailing character waits for the next call. */
  write(ids: ArrayLike<number>): string;
  /** Flushes what is left: an incomplete character becomes U+FFFD. The decoder can then be reused. */
  end(): string;
}

export function createStreamingDecoder(decodeBytes: (ids: ArrayLike<number>) => Uint8Array): StreamingDecoder {
  // ignoreBOM: cl100k token 98933 starts with EF BB BF, which a default decoder would silently drop.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return {
    write(ids) {
      return decoder.decode(decodeBytes(ids), { stream: true });
    },
    end() {
      return decoder.decode();
    },
  };
}
