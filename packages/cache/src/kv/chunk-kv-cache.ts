import { ChunkwiseError, hashKey } from '@chunkwise/core';

/** A chunk's cached KV and the context it was computed in. */
export interface ChunkKVEntry<T> {
  readonly key: string;
  /** Tokens in the chunk. */
  readonly length: number;
  /** Position of the chunk's first token when its KV was computed. */
  readonly position: number;
  /** Keys of the chunks that preceded it then, in order. */
  readonly prefixKeys: readonly string[];
  readonly kv: T;
  readonly bytes: number;
  /** What recomputing it would cost (default: its token count). */
  readonly cost: number;
  /** Times it was planned for reuse, plus one for the put. */
  frequency: number;
  /** GreedyDual-Size-Frequency priority: the lowest is evicted first. */
  priority: number;
}

export interface RecomputeContext<T> {
  entry: ChunkKVEntry<T>;
  /** Index of the chunk in the prompt, and the position of its first token. */
  index: number;
  start: number;
  /** Keys of the chunks before it in this prompt. */
  prefixKeys: readonly string[];
}

/** How many leading tokens of a reused chunk to recompute (0 … entry.length). */
export type RecomputeRule<T> = (context: RecomputeContext<T>) => number;

export interface ChunkPlanStep<T> {
  index: number;
  key: string;
  /** Position of the chunk's first token in this prompt, and its length. */
  start: number;
  length: number;
  /** The cached entry to reuse, or undefined: compute the whole chunk. */
  entry: ChunkKVEntry<T> | undefined;
  /** start − entry.position: how far to re-rotate reused keys (RoPE). 0 when computing. */
  positionShift: number;
  /** Positions in this prompt whose KV must be computed. */
  recompute: Int32Array;
}

export interface ChunkPlan<T> {
  steps: ChunkPlanStep<T>[];
  totalTokens: number;
  recomputeTokens: number;
  /** recomputeTokens / totalTokens (0 for an empty prompt). */
  recomputeFraction: number;
}

export interface ChunkKVCacheOptions<T> {
  /** Part of every chunk key: KV from one model is never reused for another. */
  modelId: string;
  /** Bytes of KV kept; beyond it, entries are evicted by GreedyDual-Size-Frequency. */
  capacityBytes: number;
  /** Which leading tokens of a reused chunk to recompute. Default: `defaultRecomputeRule(0.15)`. */
  rule?: RecomputeRule<T>;
}

/**
 * The default rule. A chunk cached after exactly the same preceding chunks, at the same position,
 * has exactly the KV a full prefill would give: reuse it whole. Otherwise its first tokens carry
 * most of the cross-chunk attention it missed (Cache-Craft, arXiv 2502.15734, recomputes a small
 * fraction of tokens chosen by attention to the changed context; CacheBlend recomputes ~15%), so
 * recompute the first ⌈fraction × length⌉ tokens and reuse the rest.
 */
export function defaultRecomputeRule<T>(fraction = 0.15): RecomputeRule<T> {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `defaultRecomputeRule: fraction must be in [0, 1], got ${String(fraction)}.`);
  }
  return ({ entry, start, prefixKeys }) => {
    const samePrefix = entry.position === start && entry.prefixKeys.length === prefixKeys.length && entry.prefixKeys.every((key, i) => key === prefixKeys[i]);
    return samePrefix ? 0 : Math.ceil(fraction * entry.length);
  };
}

/**
 * Cache-Craft style chunk caches for RAG (arXiv 2502.15734): the KV of each retrieved chunk, keyed
 * by hash(chunk tokens, model id), reused when the chunk recurs in another prompt, in another
 * order or position; `plan` says what to reuse and what to recompute. Eviction is cost-aware:
 * GreedyDual-Size-Frequency (Cherkasova 1998) gives each entry L + frequency × cost / size and
 * evicts the lowest, raising L to it, so large, cheap, rarely used chunks go first and old
 * popularity ages out.
 */
export class ChunkKVCache<T> {
  readonly modelId: string;
  readonly capacityBytes: number;
  private readonly rule: RecomputeRule<T>;
  private readonly entries = new Map<string, ChunkKVEntry<T>>();
  private inflation = 0;
  private usedBytes = 0;

  constructor(options: ChunkKVCacheOptions<T>) {
    const { modelId, capacityBytes, rule = defaultRecomputeRule<T>() } = options;
    if (typeof modelId !== 'string' || modelId.length === 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache: modelId must be a non-empty string.');
    }
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache: capacityBytes must be a positive integer, got ${String(capacityBytes)}.`);
    }
    this.modelId = modelId;
    this.capacityBytes = capacityBytes;
    this.rule = rule;
  }

  get bytes(): number {
    return this.usedBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The GDSF clock L: the priority of the last evicted entry. */
  get clock(): number {
    return this.inflation;
  }

  /** The key of a chunk: `hashKey({ model, tokens })`, tokens as a Uint32Array. */
  key(tokens: ArrayLike<number>): Promise<string> {
    return hashKey({ model: this.modelId, tokens: Uint32Array.from(tokens) });
  }

  peek(key: string): ChunkKVEntry<T> | undefined {
    return this.entries.get(key);
  }

  /**
   * Plans a prompt made of `chunks` (token arrays, in prompt order): which cached chunks to reuse,
   * and which positions to compute. Counts a use of every reused entry.
   */
  async plan(chunks: readonly ArrayLike<number>[]): Promise<ChunkPlan<T>> {
    if (!Array.isArray(chunks)) throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache.plan: chunks must be an array of token arrays.');
    const keys = await Promise.all(chunks.map((chunk) => this.key(chunk)));
    const steps: ChunkPlanStep<T>[] = [];
    let start = 0;
    let recomputeTokens = 0;
    for (const [index, chunk] of chunks.entries()) {
      const key = keys[index]!;
      const length = chunk.length;
      const entry = this.entries.get(key);
      let count = length;
      if (entry) {
        const asked = this.rule({ entry, index, start, prefixKeys: keys.slice(0, index) });
        if (!Number.isInteger(asked) || asked < 0 || asked > length) {
          throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache: the recompute rule returned ${String(asked)} for a chunk of ${length} tokens.`);
        }
        count = asked;
        this.touch(entry);
      }
      const recompute = new Int32Array(count);
      for (let i = 0; i < count; i++) recompute[i] = start + i;
      steps.push({ index, key, start, length, entry, positionShift: entry ? start - entry.position : 0, recompute });
      recomputeTokens += count;
      start += length;
    }
    return { steps, totalTokens: start, recomputeTokens, recomputeFraction: start === 0 ? 0 : recomputeTokens / start };
  }

  /**
   * Stores a chunk's KV, computed at `position` after the chunks `prefixKeys`. Evicts by GDSF to
   * stay within capacity; throws LIMIT_EXCEEDED for one entry larger than the whole cache.
   */
  put(key: string, entry: { length: number; position: number; prefixKeys: readonly string[]; kv: T; bytes: number; cost?: number }): void {
    const { length, position, prefixKeys, kv, bytes, cost = length } = entry;
    if (typeof key !== 'string' || key.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache.put: key must be the string from key(tokens).');
    for (const [name, value] of Object.entries({ length, position, bytes })) {
      if (!Number.isSafeInteger(value) || value < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache.put: ${name} must be a non-negative integer, got ${String(value)}.`);
    }
    if (!(cost >= 0) || !Number.isFinite(cost)) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache.put: cost must be a finite number ≥ 0, got ${String(cost)}.`);
    if (bytes > this.capacityBytes) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `ChunkKVCache.put: an entry of ${bytes} bytes is larger than capacityBytes ${this.capacityBytes}.`, {
        details: { bytes, capacityBytes: this.capacityBytes },
      });
    }
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.usedBytes -= previous.bytes;
    }
    const stored: ChunkKVEntry<T> = { key, length, position, prefixKeys: [...prefixKeys], kv, bytes, cost, frequency: (previous?.frequency ?? 0) + 1, priority: 0 };
    stored.priority = this.priorityOf(stored);
    this.entries.set(key, stored);
    this.usedBytes += bytes;
    while (this.usedBytes > this.capacityBytes) this.evictOne(stored);
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.usedBytes -= entry.bytes;
    return true;
  }

  private priorityOf(entry: ChunkKVEntry<T>): number {
    return this.inflation + (entry.frequency * entry.cost) / Math.max(1, entry.bytes);
  }

  private touch(entry: ChunkKVEntry<T>): void {
    entry.frequency++;
    entry.priority = this.priorityOf(entry);
  }

  /** Evicts the lowest-priority entry other than `keep` (the one just stored). */
  private evictOne(keep: ChunkKVEntry<T>): void {
    let victim: ChunkKVEntry<T> | undefined;
    for (const entry of this.entries.values()) {
      if (entry !== keep && (!victim || entry.priority < victim.priority)) victim = entry;
    }
    if (!victim) return;
    this.inflation = victim.priority;
    this.entries.delete(victim.key);
    this.usedBytes -= victim.bytes;
  }
}
