import { ChunkwiseError, hashKey } from '@chunkwise/core';
import { checkOptions, checkTokenIds, describeValue } from '../argument-checks.js';
import type { CacheStore } from '../stores/cache-store.js';
import { decodeChunkKVRecord, encodeChunkKVRecord, isSpillableKV, type SpillableKV } from './chunk-kv-record.js';

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
  /**
   * Per token, the share of its attention that went to the preceding chunks when it was computed
   * (`contextImpactFromLse`), for attention-based recompute rules. Absent when not measured.
   */
  readonly impact?: Float32Array;
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

/**
 * Which tokens of a reused chunk to recompute: a number n means its first n tokens (0 … length);
 * an array lists offsets within the chunk, strictly increasing.
 */
export type RecomputeRule<T> = (context: RecomputeContext<T>) => number | ArrayLike<number>;

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

/** A slower tier that evicted chunks go to, and come back from on a hit. */
export interface ChunkKVSpillOptions {
  /** Any content-cache store: `sqliteStore`, `redisStore`, `indexedDBStore`, `memoryStore`. */
  store: CacheStore;
  /** Prefix of the store keys, `<namespace>:<chunk key>`. Default `'chunk-kv'`. */
  namespace?: string;
  /** Time to live of a spilled entry, in milliseconds. Default: none. */
  ttl?: number;
  /**
   * Failed spills and reads are reported here (a failed read is then a miss). Without it a failed
   * read throws from `plan`, and failed writes are thrown by the next `flush()`.
   */
  onError?: (error: ChunkwiseError) => void;
}

export interface ChunkKVCacheOptions<T> {
  /** Part of every chunk key: KV from one model is never reused for another. */
  modelId: string;
  /** Bytes of KV kept; beyond it, entries are evicted by GreedyDual-Size-Frequency. */
  capacityBytes: number;
  /** Which leading tokens of a reused chunk to recompute. Default: `defaultRecomputeRule(0.15)`. */
  rule?: RecomputeRule<T>;
  /**
   * A slower tier for evicted entries (KV must be a Float32Array or an array of them, stored as
   * raw little-endian floats with the entry's position, prefix and GDSF frequency).
   */
  spill?: T extends SpillableKV ? ChunkKVSpillOptions : never;
}

export interface ChunkKVCacheStats {
  /** Chunks planned for reuse from memory, and from the spill tier. */
  memoryHits: number;
  spillHits: number;
  misses: number;
  /** Entries written to the spill tier on eviction. */
  spilled: number;
}

/**
 * The default rule. A chunk cached after exactly the same preceding chunks, at the same position,
 * has exactly the KV a full prefill would give: reuse it whole. Otherwise its first tokens carry
 * most of the cross-chunk attention it missed (Cache-Craft, arXiv 2502.15734, recomputes a small
 * fraction of tokens chosen by attention to the changed context; CacheBlend recomputes ~15%), so
 * recompute the first ⌈fraction × length⌉ tokens and reuse the rest.
 */
export function defaultRecomputeRule<T>(fraction = 0.15): RecomputeRule<T> {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `defaultRecomputeRule: fraction must be in [0, 1], got ${describeValue(fraction)}.`);
  }
  return (context) => {
    checkRecomputeContext('defaultRecomputeRule', context);
    const { entry, start, prefixKeys } = context;
    const samePrefix = entry.position === start && entry.prefixKeys.length === prefixKeys.length && entry.prefixKeys.every((key, i) => key === prefixKeys[i]);
    return samePrefix ? 0 : Math.ceil(fraction * entry.length);
  };
}

/** Throws INVALID_ARGUMENT unless `context` is what `ChunkKVCache.plan` hands a recompute rule. */
export function checkRecomputeContext(where: string, context: unknown): asserts context is RecomputeContext<unknown> {
  const wrong = (what: string) => new ChunkwiseError('INVALID_ARGUMENT', `${where}: the context needs ${what} (as ChunkKVCache.plan passes it).`);
  checkOptions(where, context, 'context');
  const { entry, start, prefixKeys } = context as Partial<RecomputeContext<unknown>>;
  if (!Number.isSafeInteger(start) || (start as number) < 0) throw wrong('start: the position of the chunk’s first token');
  if (!isKeyList(prefixKeys)) throw wrong('prefixKeys: the keys of the chunks before it');
  checkOptions(where, entry, 'context.entry');
  const { length, position, prefixKeys: before, impact } = entry as Partial<ChunkKVEntry<unknown>>;
  if (!Number.isSafeInteger(length) || (length as number) < 0 || !Number.isSafeInteger(position) || (position as number) < 0) throw wrong('entry.length and entry.position: integers ≥ 0');
  if (!isKeyList(before)) throw wrong('entry.prefixKeys: an array of chunk keys');
  if (impact !== undefined && !(impact instanceof Float32Array)) throw wrong('entry.impact: a Float32Array or nothing');
}

const isKeyList = (value: unknown): value is readonly string[] => Array.isArray(value) && value.every((key) => typeof key === 'string');

/** A rule's answer as absolute positions in the prompt; INVALID_ARGUMENT when out of range. */
function recomputePositions(asked: number | ArrayLike<number>, start: number, length: number): Int32Array {
  if (typeof asked === 'number') {
    if (!Number.isInteger(asked) || asked < 0 || asked > length) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache: the recompute rule returned ${String(asked)} for a chunk of ${length} tokens.`);
    }
    return Int32Array.from({ length: asked }, (_, i) => start + i);
  }
  const out = new Int32Array(asked?.length ?? 0);
  for (let i = 0; i < out.length; i++) {
    const offset = asked[i]!;
    if (!Number.isInteger(offset) || offset < 0 || offset >= length || (i > 0 && offset <= asked[i - 1]!)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache: the recompute rule's offsets must be strictly increasing in 0..${length - 1}; got ${String(offset)} at index ${i}.`);
    }
    out[i] = start + offset;
  }
  return out;
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
  private readonly spill: { store: CacheStore; namespace: string; ttl: number | undefined; onError: ((error: ChunkwiseError) => void) | undefined } | undefined;
  /** Spill writes and deletes still in flight: bytes (or null for a delete) by chunk key. */
  private readonly pending = new Map<string, { bytes: Uint8Array | null; done: Promise<void> }>();
  private readonly spillErrors: ChunkwiseError[] = [];
  private readonly counters: ChunkKVCacheStats = { memoryHits: 0, spillHits: 0, misses: 0, spilled: 0 };

  constructor(options: ChunkKVCacheOptions<T>) {
    checkOptions('ChunkKVCache', options);
    const { modelId, capacityBytes, rule = defaultRecomputeRule<T>(), spill } = options;
    if (typeof modelId !== 'string' || modelId.length === 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache: modelId must be a non-empty string.');
    }
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache: capacityBytes must be a positive integer, got ${String(capacityBytes)}.`);
    }
    this.modelId = modelId;
    this.capacityBytes = capacityBytes;
    this.rule = rule;
    if (typeof rule !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache: rule must be a recompute rule (a function).');
    if (spill !== undefined) {
      checkOptions('ChunkKVCache', spill, 'spill');
      const { store, namespace = 'chunk-kv', ttl, onError } = spill as ChunkKVSpillOptions;
      if (!store || typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') {
        throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache: spill.store must be a CacheStore such as sqliteStore({ path }).');
      }
      if (typeof namespace !== 'string' || namespace.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache: spill.namespace must be a non-empty string.');
      if (ttl !== undefined && (typeof ttl !== 'number' || !(ttl > 0 && Number.isFinite(ttl)))) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache: spill.ttl must be a positive number of milliseconds, got ${String(ttl)}.`);
      }
      this.spill = { store, namespace, ttl, onError };
    }
  }

  /** Hits per tier, misses and spills since construction. */
  get stats(): Readonly<ChunkKVCacheStats> {
    return { ...this.counters };
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
    // Token ids become a Uint32Array: anything else would wrap (-1 and 2³² − 1 would share a key).
    try {
      checkTokenIds('ChunkKVCache.key', tokens);
    } catch (error) {
      return Promise.reject(error);
    }
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
    // Taken before promoting: bringing a chunk back may evict (spill) another chunk of this prompt,
    // which this plan still reuses.
    const resident = keys.map((key) => this.entries.get(key));
    const promoted = this.spill ? await this.promote([...new Set(keys.filter((key) => !this.entries.has(key)))]) : undefined;
    const steps: ChunkPlanStep<T>[] = [];
    let start = 0;
    let recomputeTokens = 0;
    for (const [index, chunk] of chunks.entries()) {
      const key = keys[index]!;
      const length = chunk.length;
      const entry = resident[index] ?? this.entries.get(key) ?? promoted?.get(key);
      let recompute: Int32Array;
      if (entry) {
        recompute = recomputePositions(this.rule({ entry, index, start, prefixKeys: keys.slice(0, index) }), start, length);
        this.touch(entry);
        // A chunk twice in one prompt: the first use came from the spill tier, the second from memory.
        if (promoted?.delete(key)) this.counters.spillHits++;
        else this.counters.memoryHits++;
      } else {
        this.counters.misses++;
        recompute = recomputePositions(length, start, length);
      }
      const count = recompute.length;
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
  put(key: string, entry: { length: number; position: number; prefixKeys: readonly string[]; kv: T; bytes: number; cost?: number; impact?: Float32Array }): void {
    if (typeof key !== 'string' || key.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache.put: key must be the string from key(tokens).');
    checkOptions('ChunkKVCache.put', entry, 'entry');
    const { length, position, prefixKeys, kv, bytes, cost = length, impact } = entry;
    if (!isKeyList(prefixKeys)) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache.put: prefixKeys must be an array of chunk keys, got ${describeValue(prefixKeys)}.`);
    for (const [name, value] of Object.entries({ length, position, bytes })) {
      if (!Number.isSafeInteger(value) || value < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache.put: ${name} must be a non-negative integer, got ${String(value)}.`);
    }
    if (typeof cost !== 'number' || !(cost >= 0) || !Number.isFinite(cost)) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkKVCache.put: cost must be a finite number ≥ 0, got ${describeValue(cost)}.`);
    if (impact !== undefined && (!(impact instanceof Float32Array) || impact.length !== length)) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `ChunkKVCache.put: impact must be a Float32Array of one value per token (${length}).`);
    }
    if (this.spill && !isSpillableKV(kv)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkKVCache.put: with a spill tier, kv must be a Float32Array or an array of Float32Arrays.');
    }
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
    const frequency = (previous?.frequency ?? 0) + 1;
    this.admit({ key, length, position, prefixKeys: [...prefixKeys], kv, bytes, cost, frequency, priority: 0, ...(impact ? { impact } : {}) });
  }

  /** Removes a chunk from memory and, with a spill tier, from the store; true when it was in memory. */
  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.usedBytes -= entry.bytes;
    }
    if (this.spill) this.track(key, null, () => this.spill!.store.delete(this.storeKey(key)));
    return entry !== undefined;
  }

  /**
   * Waits for spill writes and deletes in flight (a synchronous store such as SQLite has none).
   * Throws the first write that failed since the last flush, when there is no `spill.onError`.
   */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()].map((p) => p.done));
    const failed = this.spillErrors.splice(0);
    if (failed.length > 0) throw failed[0]!;
  }

  private storeKey(key: string): string {
    return `${this.spill!.namespace}:${key}`;
  }

  /** Inserts an entry into memory and evicts by GDSF until the bytes fit. */
  private admit(entry: ChunkKVEntry<T>): void {
    entry.priority = this.priorityOf(entry);
    this.entries.set(entry.key, entry);
    this.usedBytes += entry.bytes;
    while (this.usedBytes > this.capacityBytes) this.evictOne(entry);
  }

  /** Runs a store write or delete; an asynchronous one is remembered until it settles. */
  private track(key: string, bytes: Uint8Array | null, run: () => unknown): void {
    const fail = (cause: unknown): void => {
      this.report(cause, bytes ? 'spill' : 'delete the spilled copy of', key);
    };
    let result: unknown;
    try {
      result = run();
    } catch (cause) {
      fail(cause);
      return;
    }
    if (!(result instanceof Promise)) return;
    const record = { bytes, done: Promise.resolve() };
    record.done = result.then(
      () => {},
      (cause: unknown) => fail(cause),
    ).finally(() => {
      if (this.pending.get(key) === record) this.pending.delete(key);
    });
    this.pending.set(key, record);
  }

  private report(cause: unknown, action: string, key: string): ChunkwiseError {
    // The store's own errors already say what to change (LIMIT_EXCEEDED, CORRUPT_DATA, STORE).
    const error =
      cause instanceof ChunkwiseError
        ? cause
        : new ChunkwiseError('STORE', `ChunkKVCache: could not ${action} chunk "${key}": ${(cause as Error)?.message ?? String(cause)}`, { cause, details: { key } });
    if (this.spill?.onError) this.spill.onError(error);
    // Failed reads are thrown by plan itself; failed writes wait for flush().
    else if (action !== 'read') this.spillErrors.push(error);
    return error;
  }

  /**
   * Brings chunks back from the spill tier into memory (GDSF may evict others, which spill in
   * turn). Returns what was found, also the entries too large to keep in memory.
   */
  private async promote(keys: string[]): Promise<Map<string, ChunkKVEntry<T>>> {
    const found = new Map<string, ChunkKVEntry<T>>();
    if (keys.length === 0) return found;
    const { store } = this.spill!;
    const bytes: (Uint8Array | null | undefined)[] = keys.map((key) => this.pending.get(key)?.bytes);
    const ask = keys.filter((_, i) => bytes[i] === undefined);
    if (ask.length > 0) {
      let answers: (Uint8Array | undefined)[];
      try {
        const ids = ask.map((key) => this.storeKey(key));
        answers = store.getMany ? await store.getMany(ids) : await Promise.all(ids.map((id) => store.get(id)));
      } catch (cause) {
        const error = this.report(cause, 'read', ask[0]!);
        if (!this.spill!.onError) throw error;
        answers = [];
      }
      let next = 0;
      for (let i = 0; i < keys.length; i++) if (bytes[i] === undefined) bytes[i] = answers[next++];
    }
    for (const [i, key] of keys.entries()) {
      const record = bytes[i];
      // Absent, being deleted, or put back into memory while we waited.
      if (!record || this.entries.has(key)) continue;
      let decoded;
      try {
        decoded = decodeChunkKVRecord(record, key);
      } catch (cause) {
        const error = this.report(cause, 'read', key);
        if (!this.spill!.onError) throw error;
        continue;
      }
      const entry: ChunkKVEntry<T> = { key, ...decoded.meta, kv: decoded.kv as T, priority: 0, ...(decoded.impact ? { impact: decoded.impact } : {}) };
      found.set(key, entry);
      if (entry.bytes <= this.capacityBytes) this.admit(entry);
    }
    return found;
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
    if (this.spill) this.spillOut(victim);
  }

  private spillOut(entry: ChunkKVEntry<T>): void {
    const { key, length, position, prefixKeys, bytes, cost, frequency, impact } = entry;
    const record = encodeChunkKVRecord({ length, position, prefixKeys: [...prefixKeys], bytes, cost, frequency }, entry.kv as SpillableKV, impact);
    const { store, ttl } = this.spill!;
    this.counters.spilled++;
    this.track(key, record, () => store.set(this.storeKey(key), record, ttl === undefined ? undefined : Date.now() + ttl));
  }
}
