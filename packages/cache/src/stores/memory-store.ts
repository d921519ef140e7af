import { ChunkwiseError } from '@chunkwise/core';
import { checkOptions } from '../argument-checks.js';
import { assertBytes, assertEntries, assertExpiresAt, assertKey, assertKeys, type StoreEntry, type SyncCacheStore } from './cache-store.js';

export interface MemoryStoreOptions {
  /** Upper bound on the bytes held (values + keys + a fixed per-entry overhead). */
  maxBytes: number;
  /** Clock in milliseconds since the epoch; tests inject one. Default `Date.now`. */
  now?: () => number;
}

export interface MemoryStore extends SyncCacheStore {
  /** Bytes currently accounted for. Always ≤ maxBytes. */
  readonly bytes: number;
  readonly size: number;
  /** Keys from least to most recently used. */
  keys(): string[];
}

/** Bookkeeping per entry (the Map slot and the slot arrays), counted so maxBytes bounds real memory. */
const ENTRY_OVERHEAD = 96;
const NONE = 0xffffffff;

/**
 * An in-memory LRU bounded by bytes. Entries live in slots; recency is a doubly linked list of slot
 * numbers in typed arrays, so a hit is one Map lookup and a few integer writes, with no allocation
 * and no object pointers for the garbage collector to trace.
 */
class MemoryLruStore implements MemoryStore {
  readonly name = 'memory';
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly index = new Map<string, number>();
  private slotKeys: string[] = [];
  private values: (Uint8Array | undefined)[] = [];
  private expires = new Float64Array(16);
  private sizes = new Float64Array(16);
  private next = new Uint32Array(16);
  private prev = new Uint32Array(16);
  private freeSlots: number[] = [];
  private used = 0;
  /** Least recently used slot. */
  private head = NONE;
  /** Most recently used slot. */
  private tail = NONE;
  private totalBytes = 0;
  /** Entries with a deadline: while 0, gets skip the clock. */
  private expiring = 0;

  constructor(maxBytes: number, now: () => number) {
    this.maxBytes = maxBytes;
    this.now = now;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.index.size;
  }

  get(key: string): Uint8Array | undefined {
    const slot = this.index.get(key);
    if (slot === undefined) return undefined;
    if (this.expiring > 0 && this.expires[slot]! <= this.now()) {
      this.remove(slot);
      return undefined;
    }
    if (slot !== this.tail) {
      this.unlink(slot);
      this.pushTail(slot);
    }
    return this.values[slot];
  }

  getMany(keys: readonly string[]): (Uint8Array | undefined)[] {
    assertKeys('memoryStore', keys);
    return keys.map((key) => this.get(key));
  }

  set(key: string, value: Uint8Array, expiresAt?: number): void {
    this.put(key, value, expiresAt);
  }

  setMany(entries: readonly StoreEntry[]): void {
    assertEntries('memoryStore', entries);
    for (const entry of entries) this.put(entry.key, entry.value, entry.expiresAt);
  }

  delete(key: string): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    this.remove(slot);
    return true;
  }

  keys(): string[] {
    const out: string[] = [];
    for (let slot = this.head; slot !== NONE; slot = this.next[slot]!) out.push(this.slotKeys[slot]!);
    return out;
  }

  close(): void {
    this.index.clear();
    this.slotKeys = [];
    this.values = [];
    this.freeSlots = [];
    this.used = 0;
    this.head = this.tail = NONE;
    this.totalBytes = 0;
    this.expiring = 0;
  }

  private put(key: string, value: Uint8Array, expiresAt: number | undefined): void {
    assertKey('memoryStore', key);
    assertBytes('memoryStore', value);
    assertExpiresAt('memoryStore', expiresAt);
    const size = value.byteLength + key.length * 2 + ENTRY_OVERHEAD;
    if (size > this.maxBytes) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `memoryStore: an entry of ${size} bytes does not fit in maxBytes ${this.maxBytes}; raise maxBytes or store smaller values.`, {
        details: { key, bytes: size, maxBytes: this.maxBytes },
      });
    }
    const existing = this.index.get(key);
    if (existing !== undefined) this.remove(existing);
    const slot = this.allocate();
    this.slotKeys[slot] = key;
    // Copy: the caller may reuse its buffer, and what we return must stay what was stored.
    this.values[slot] = value.slice();
    this.expires[slot] = expiresAt ?? Number.POSITIVE_INFINITY;
    if (expiresAt !== undefined) this.expiring++;
    this.sizes[slot] = size;
    this.index.set(key, slot);
    this.pushTail(slot);
    this.totalBytes += size;
    while (this.totalBytes > this.maxBytes && this.head !== NONE) this.remove(this.head);
  }

  private allocate(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.next.length) {
      const grow = <T extends Float64Array | Uint32Array>(array: T): T => {
        const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.expires = grow(this.expires);
      this.sizes = grow(this.sizes);
      this.next = grow(this.next);
      this.prev = grow(this.prev);
    }
    return this.used++;
  }

  private remove(slot: number): void {
    this.unlink(slot);
    this.index.delete(this.slotKeys[slot]!);
    if (this.expires[slot] !== Number.POSITIVE_INFINITY) this.expiring--;
    this.totalBytes -= this.sizes[slot]!;
    this.values[slot] = undefined;
    this.slotKeys[slot] = '';
    this.freeSlots.push(slot);
  }

  private unlink(slot: number): void {
    const before = this.prev[slot]!;
    const after = this.next[slot]!;
    if (before !== NONE) this.next[before] = after;
    else this.head = after;
    if (after !== NONE) this.prev[after] = before;
    else this.tail = before;
  }

  private pushTail(slot: number): void {
    this.prev[slot] = this.tail;
    this.next[slot] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = slot;
    else this.head = slot;
    this.tail = slot;
  }
}

export function memoryStore(options: MemoryStoreOptions): MemoryStore {
  checkOptions('memoryStore', options);
  const { maxBytes, now = Date.now } = options;
  if (typeof now !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'memoryStore: now must be a function returning milliseconds.');
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `memoryStore: maxBytes must be a positive integer, got ${String(maxBytes)}.`);
  }
  return new MemoryLruStore(maxBytes, now);
}
