/**
 * The arithmetic of one FlashAttention tile step, behind an interface so one tiling loop
 * (flash-attention.ts) drives both the plain-JS and the WebAssembly SIMD backends.
 */
export interface TileEngine {
  /**
   * Makes `count` keys/values of one KV head current, starting at element `base` of `k`/`v`;
   * with `index`, the keys at those positions are gathered in that order instead.
   */
  loadKeys(k: Float32Array, v: Float32Array, base: number, count: number, index?: Int32Array): void;
  /** Makes `rows` query rows current (from element `base` of `q`) and resets the softmax state. */
  loadQueries(q: Float32Array, base: number, rows: number): void;
  /**
   * Scores the current queries against loaded keys `[start, start + count)` and folds them into
   * the running softmax. mode 0: all visible; 1: causal by positions (`qPos0`, `kPos0` of the
   * first row and key); 2: the first `rows × count` bytes of `maskBuffer()`, 0 = hidden.
   */
  tile(start: number, count: number, mode: 0 | 1 | 2, qPos0: number, kPos0: number): void;
  /**
   * Optional fast path for unmasked and causal-only attention: `tile` over loaded keys
   * `[start, start + count)` in tiles of `blockK` (`start` a multiple of it), mode 0, or with
   * `causal` mode 1 on tiles that cross the diagonal. `kPos0` is the position of loaded key 0.
   */
  tileRun?(start: number, count: number, causal: boolean, qPos0: number, kPos0: number): void;
  /** Scratch for mode 2, at least blockQ × blockK bytes. Fetch it again after `loadKeys`. */
  maskBuffer(): Uint8Array;
  /** Writes normalised rows (zeros where nothing was visible) and optionally their LSE. */
  finish(out: Float32Array, outBase: number, lse: Float32Array | undefined, lseBase: number): void;
  /** Optional: the call is done with this engine; it may hand its resources to the next one. */
  release?(): void;
}

export interface TileEngineConfig {
  headDim: number;
  scale: number;
  blockQ: number;
  blockK: number;
}
