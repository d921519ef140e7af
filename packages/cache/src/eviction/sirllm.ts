import { ChunkwiseError } from '@chunkwise/core';
import { checkCount, checkNumberList, checkOptions } from '../argument-checks.js';

export interface SirLLMOptions {
  /** Attention-sink tokens always kept at the start. Default 4. */
  sinks?: number;
  /** Most recent tokens kept. */
  recent: number;
  /** Tokens kept for their high entropy. */
  entropyTokens: number;
  /** Factor applied to every stored entropy at each `decay()` (once per dialogue round). Default 1 (none). */
  decay?: number;
}

/**
 * SirLLM token-entropy retention (arXiv 2405.12528): StreamingLLM plus a memory of informative
 * tokens. A token's entropy is −log p(token | prefix) from the model itself. With capacity
 * C = sinks + recent + entropyTokens, an overflow keeps the sinks and the `entropyTokens` highest-entropy
 * other tokens (the more recent on a tie), then fills the remaining slots with the most recent
 * tokens, and sorts by position. Stored entropies decay each round so old memories fade.
 */
export class SirLLMEviction {
  readonly sinks: number;
  readonly recent: number;
  readonly entropyTokens: number;
  readonly decayFactor: number;
  private positions: number[] = [];
  private entropies: number[] = [];
  private nextPosition = 0;

  constructor(options: SirLLMOptions) {
    checkOptions('SirLLMEviction', options);
    const { sinks = 4, recent, entropyTokens, decay = 1 } = options;
    checkCount('SirLLMEviction', 'sinks', sinks);
    checkCount('SirLLMEviction', 'recent', recent);
    checkCount('SirLLMEviction', 'entropyTokens', entropyTokens);
    if (typeof decay !== 'number' || !(decay > 0 && decay <= 1)) throw new ChunkwiseError('INVALID_ARGUMENT', `SirLLMEviction: decay must be in (0, 1], got ${String(decay)}.`);
    this.sinks = sinks;
    this.recent = recent;
    this.entropyTokens = entropyTokens;
    this.decayFactor = decay;
  }

  get capacity(): number {
    return this.sinks + this.recent + this.entropyTokens;
  }

  kept(): Int32Array {
    return Int32Array.from(this.positions);
  }

  /** Current (decayed) entropy of each kept token, in `kept()` order. */
  keptEntropies(): Float64Array {
    return Float64Array.from(this.entropies);
  }

  /** Positions within the cache, for RoPE (as in StreamingLLM). */
  ropePositions(): Int32Array {
    return Int32Array.from(this.positions, (_, i) => i);
  }

  /** Adds tokens with their entropies −log p (≥ 0). */
  append(entropies: ArrayLike<number>): void {
    checkNumberList('SirLLMEviction.append', 'entropies', entropies);
    for (let i = 0; i < entropies.length; i++) {
      const entropy = entropies[i]!;
      if (!(entropy >= 0) || !Number.isFinite(entropy)) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `SirLLMEviction.append: entropy ${String(entropy)} at ${i} is not a finite −log p ≥ 0.`);
      }
      this.positions.push(this.nextPosition++);
      this.entropies.push(entropy);
    }
  }

  /** Multiplies every stored entropy by the decay factor (call once per dialogue round). */
  decay(): void {
    for (let i = 0; i < this.entropies.length; i++) this.entropies[i]! *= this.decayFactor;
  }

  /** Evicts down to capacity; returns the evicted original positions, ascending. */
  evict(): Int32Array {
    const count = this.positions.length;
    if (count <= this.capacity) return new Int32Array(0);
    const keep = new Uint8Array(count);
    for (let i = 0; i < Math.min(this.sinks, count); i++) keep[i] = 1;
    const others = Array.from({ length: count - Math.min(this.sinks, count) }, (_, i) => i + this.sinks);
    others.sort((a, b) => this.entropies[b]! - this.entropies[a]! || b - a);
    for (let i = 0; i < Math.min(this.entropyTokens, others.length); i++) keep[others[i]!] = 1;
    let free = this.capacity - Math.min(this.sinks, count) - Math.min(this.entropyTokens, others.length);
    for (let i = count - 1; i >= 0 && free > 0; i--) {
      if (!keep[i]) {
        keep[i] = 1;
        free--;
      }
    }
    const evicted: number[] = [];
    const positions: number[] = [];
    const entropies: number[] = [];
    for (let i = 0; i < count; i++) {
      if (keep[i]) {
        positions.push(this.positions[i]!);
        entropies.push(this.entropies[i]!);
      } else evicted.push(this.positions[i]!);
    }
    this.positions = positions;
    this.entropies = entropies;
    return Int32Array.from(evicted);
  }
}
