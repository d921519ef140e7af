import { ChunkwiseError } from '@chunkwise/core';
import { assertBytes, assertExpiresAt, assertKey, type StoreEntry, type SyncCacheStore } from './cache-store.js';

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

/** Bookkeeping per entry (the Map slot and list node), counted so maxBytes bounds real memory. */
const ENTRY_OVERHEAD = 96;

interface Node {
  key: string;
  value: Uint8Array;
  expiresAt: number;
  bytes: number;
  prev: Node | null;
  next: Node | null;
}

/**
 * An in-memory LRU bounded by bytes. A doubly linked list keeps recency so a hit is a Map lookup
 * plus four pointer writes, with no allocation.
 */
export function memoryStore(options: MemoryStoreOptions): MemoryStore {
  const { maxBytes, now = Date.now } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `memoryStore: maxBytes must be a positive integer, got ${String(maxBytes)}.`);
  }
  const map = new Map<string, Node>();
  // head = least recently used, tail = most recently used.
  let head: Node | null = null;
  let tail: Node | null = null;
  let bytes = 0;

  const unlink = (node: Node): void => {
    if (node.prev) node.prev.next = node.next;
    else head = node.next;
    if (node.next) node.next.prev = node.prev;
    else tail = node.prev;
    node.prev = node.next = null;
  };
  const pushTail = (node: Node): void => {
    node.prev = tail;
    node.next = null;
    if (tail) tail.next = node;
    else head = node;
    tail = node;
  };
  const remove = (node: Node): void => {
    unlink(node);
    map.delete(node.key);
    bytes -= node.bytes;
  };

  const put = (key: string, value: Uint8Array, expiresAt: number | undefined): void => {
    assertKey('memoryStore', key);
    assertBytes('memoryStore', value);
    assertExpiresAt('memoryStore', expiresAt);
    const size = value.byteLength + key.length * 2 + ENTRY_OVERHEAD;
    if (size > maxBytes) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `memoryStore: an entry of ${size} bytes does not fit in maxBytes ${maxBytes}; raise maxBytes or store smaller values.`, {
        details: { key, bytes: size, maxBytes },
      });
    }
    const existing = map.get(key);
    if (existing) remove(existing);
    // Copy: the caller may reuse its buffer, and what we return must stay what was stored.
    const node: Node = { key, value: value.slice(), expiresAt: expiresAt ?? Number.POSITIVE_INFINITY, bytes: size, prev: null, next: null };
    map.set(key, node);
    pushTail(node);
    bytes += size;
    while (bytes > maxBytes && head) remove(head);
  };

  return {
    name: 'memory',
    get bytes() {
      return bytes;
    },
    get size() {
      return map.size;
    },
    get(key) {
      const node = map.get(key);
      if (node === undefined) return undefined;
      // Entries without a ttl skip the clock read: most gets are on those.
      if (node.expiresAt !== Number.POSITIVE_INFINITY && node.expiresAt <= now()) {
        remove(node);
        return undefined;
      }
      if (node !== tail) {
        unlink(node);
        pushTail(node);
      }
      return node.value;
    },
    set(key, value, expiresAt) {
      put(key, value, expiresAt);
    },
    setMany(entries: readonly StoreEntry[]) {
      for (const entry of entries) put(entry.key, entry.value, entry.expiresAt);
    },
    delete(key) {
      const node = map.get(key);
      if (!node) return false;
      remove(node);
      return true;
    },
    keys() {
      const out: string[] = [];
      for (let node = head; node; node = node.next) out.push(node.key);
      return out;
    },
    close() {
      map.clear();
      head = tail = null;
      bytes = 0;
    },
  };
}
