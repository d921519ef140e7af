import { ChunkwiseError } from '@chunkwise/core';
import { checkOptions, describeValue } from '../argument-checks.js';
import { chainBlockHashes } from './block-hash.js';

export interface RadixPrefixCacheOptions {
  /** Tokens kept before least recently used, unlocked leaves are evicted. */
  capacityTokens: number;
  /** Tokens per block; matches and inserts are whole pages. Default 1 (one KV slot per token). */
  pageSize?: number;
  /** Called once for each block the tree starts holding (e.g. `block => kv.retain(block)`). */
  retain?: (block: number) => void;
  /** Called once for each block the tree stops holding, on eviction (e.g. `block => kv.release(block)`). */
  release?: (block: number) => void;
  /** Mixed into every block hash, e.g. a model or adapter id, so different models never share. */
  hashKey?: string;
}

export interface RadixMatch {
  /** Tokens of the query covered by cached blocks (a multiple of pageSize). */
  length: number;
  /** One block per page of the match, in order. */
  blocks: number[];
  /** Handle for `lock`/`unlock`. */
  readonly node: RadixNode;
}

export interface RadixInsertResult {
  /** Tokens newly added to the tree. */
  insertedTokens: number;
  /**
   * Blocks the caller passed for pages the tree already held under other blocks: the tree kept its
   * own, so the caller can free these.
   */
  duplicateBlocks: number[];
}

/** A node of the tree; opaque outside this module except as a lock handle. */
export interface RadixNode {
  readonly id: number;
}

interface Node extends RadixNode {
  tokens: number[];
  blocks: number[];
  hashes: string[];
  children: Map<number | string, Node>;
  parent: Node | null;
  lockRef: number;
  lastAccess: number;
}

/**
 * SGLang RadixAttention (arXiv 2312.07104): a radix tree over token ids whose edges carry the KV
 * blocks of their tokens. `match` finds the longest cached prefix; nodes in use are locked; beyond
 * the capacity, least recently used unlocked leaves are evicted, and a parent whose last child goes
 * becomes a leaf in turn. Each page also carries its vLLM-style chained hash, so a caller holding
 * only hashes (another tier, another process) can look prefixes up with `matchHashes`.
 */
export class RadixPrefixCache {
  readonly capacityTokens: number;
  readonly pageSize: number;
  private readonly retainBlock: (block: number) => void;
  private readonly releaseBlock: (block: number) => void;
  private readonly hashSeed: string;
  private readonly root: Node;
  private readonly byHash = new Map<string, { node: Node; page: number }>();
  /** Every node this tree made: lock/unlock accept only matches pointing at one. */
  private readonly nodes = new WeakSet<Node>();
  private clock = 0;
  private nextId = 1;
  private cachedTokens = 0;

  constructor(options: RadixPrefixCacheOptions) {
    checkOptions('RadixPrefixCache', options);
    const { capacityTokens, pageSize = 1, retain = () => undefined, release = () => undefined, hashKey = '' } = options;
    if (!Number.isSafeInteger(capacityTokens) || capacityTokens < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache: capacityTokens must be a non-negative integer, got ${String(capacityTokens)}.`);
    }
    if (!Number.isSafeInteger(pageSize) || pageSize <= 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache: pageSize must be a positive integer, got ${String(pageSize)}.`);
    }
    if (typeof retain !== 'function' || typeof release !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'RadixPrefixCache: retain and release must be functions.');
    if (typeof hashKey !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache: hashKey must be a string, got ${describeValue(hashKey)}.`);
    this.capacityTokens = capacityTokens;
    this.pageSize = pageSize;
    this.retainBlock = retain;
    this.releaseBlock = release;
    this.hashSeed = hashKey;
    this.root = this.newNode([], [], [], null);
    this.root.lockRef = 1; // never evicted
  }

  /** Tokens held in the tree. */
  get size(): number {
    return this.cachedTokens;
  }

  /** Longest cached page-aligned prefix of `tokens`, and its blocks. Marks the path as used. */
  match(tokens: ArrayLike<number>): RadixMatch {
    checkTokens(tokens, 'match');
    const stamp = ++this.clock;
    const blocks: number[] = [];
    let node = this.root;
    let at = 0;
    node.lastAccess = stamp;
    while (at + this.pageSize <= tokens.length) {
      const child = node.children.get(this.childKey(tokens, at));
      if (!child) break;
      const common = this.commonPages(child.tokens, tokens, at);
      // A match ending inside an edge splits it, so a lock covers exactly the matched tokens.
      const target = common < child.tokens.length ? this.split(child, common) : child;
      target.lastAccess = stamp;
      blocks.push(...target.blocks);
      at += common;
      node = target;
      if (common < child.tokens.length) break;
    }
    return { length: at, blocks, node };
  }

  /**
   * Caches `tokens` (whole pages; a partial last page is ignored) with one block per page. Pages
   * already cached keep their blocks: the caller's blocks for them come back in `duplicateBlocks`.
   * New blocks are retained through the `retain` option.
   */
  insert(tokens: ArrayLike<number>, blocks: readonly number[]): RadixInsertResult {
    checkTokens(tokens, 'insert');
    const pages = Math.floor(tokens.length / this.pageSize);
    if (!Array.isArray(blocks) || blocks.length !== pages) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache.insert: ${tokens.length} tokens make ${pages} full pages of ${this.pageSize}, but ${Array.isArray(blocks) ? blocks.length : describeValue(blocks)} blocks were given.`);
    }
    const stamp = ++this.clock;
    const end = pages * this.pageSize;
    const hashes = chainBlockHashes(Array.prototype.slice.call(tokens, 0, end) as number[], this.pageSize, this.hashSeed);
    const duplicateBlocks: number[] = [];
    let insertedTokens = 0;
    let node = this.root;
    let at = 0;
    while (at < end) {
      const key = this.childKey(tokens, at);
      const child = node.children.get(key);
      if (!child) {
        const tail = Array.prototype.slice.call(tokens, at, end) as number[];
        const tailBlocks = blocks.slice(at / this.pageSize);
        const leaf = this.newNode(tail, tailBlocks, hashes.slice(at / this.pageSize), node);
        node.children.set(key, leaf);
        leaf.lastAccess = stamp;
        for (const block of tailBlocks) this.retainBlock(block);
        leaf.hashes.forEach((hash, page) => this.byHash.set(hash, { node: leaf, page }));
        this.cachedTokens += tail.length;
        insertedTokens = tail.length;
        break;
      }
      const common = this.commonPages(child.tokens, tokens, at, end);
      const target = common < child.tokens.length ? this.split(child, common) : child;
      target.lastAccess = stamp;
      for (let page = 0; page < target.blocks.length; page++) {
        const mine = blocks[at / this.pageSize + page]!;
        if (mine !== target.blocks[page]) duplicateBlocks.push(mine);
      }
      at += common;
      node = target;
    }
    this.evictOverCapacity();
    return { insertedTokens, duplicateBlocks };
  }

  /** Protects the matched path from eviction until `unlock`. */
  lock(match: RadixMatch): void {
    this.checkMatch(match, 'lock');
    for (let node: Node | null = match.node as Node; node; node = node.parent) node.lockRef++;
  }

  unlock(match: RadixMatch): void {
    this.checkMatch(match, 'unlock');
    for (let node: Node | null = match.node as Node; node; node = node.parent) {
      if (node.lockRef <= (node === this.root ? 1 : 0)) {
        throw new ChunkwiseError('INVALID_ARGUMENT', 'RadixPrefixCache.unlock: this match is not locked (unlocked twice?).');
      }
      node.lockRef--;
    }
  }

  /**
   * Evicts least recently used, unlocked leaves until at least `tokens` tokens are gone or nothing
   * else can go. Returns the tokens evicted.
   */
  evict(tokens: number): number {
    if (typeof tokens !== 'number' || !(tokens >= 0)) throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache.evict: tokens must be a number ≥ 0, got ${describeValue(tokens)}.`);
    const heap = new LeafHeap();
    const visit = (node: Node): void => {
      if (node.children.size === 0 && node.lockRef === 0) heap.push(node);
      for (const child of node.children.values()) visit(child);
    };
    visit(this.root);
    let evicted = 0;
    while (evicted < tokens) {
      const leaf = heap.pop();
      if (!leaf) break;
      evicted += leaf.tokens.length;
      this.remove(leaf);
      const parent = leaf.parent!;
      if (parent !== this.root && parent.children.size === 0 && parent.lockRef === 0) heap.push(parent);
    }
    return evicted;
  }

  /**
   * vLLM-style lookup by chained block hashes (from `chainBlockHashes` with this cache's pageSize
   * and hashKey): the longest run of leading hashes the tree holds, and their blocks.
   */
  matchHashes(hashes: readonly string[]): { length: number; blocks: number[] } {
    if (!Array.isArray(hashes)) throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache.matchHashes: hashes must be an array of block hashes, got ${describeValue(hashes)}.`);
    const blocks: number[] = [];
    for (const hash of hashes) {
      const entry = this.byHash.get(hash);
      if (!entry) break;
      blocks.push(entry.node.blocks[entry.page]!);
    }
    return { length: blocks.length * this.pageSize, blocks };
  }

  /** The chained hashes this cache gives the full pages of `tokens`. */
  blockHashes(tokens: ArrayLike<number>): string[] {
    return chainBlockHashes(tokens, this.pageSize, this.hashSeed);
  }

  /** Every cached sequence ending at a leaf, with its blocks (for inspection and tests). */
  entries(): { tokens: number[]; blocks: number[] }[] {
    const out: { tokens: number[]; blocks: number[] }[] = [];
    const walk = (node: Node, tokens: number[], blocks: number[]): void => {
      if (node.children.size === 0 && node !== this.root) out.push({ tokens, blocks });
      for (const child of node.children.values()) walk(child, tokens.concat(child.tokens), blocks.concat(child.blocks));
    };
    walk(this.root, [], []);
    return out;
  }

  private evictOverCapacity(): void {
    if (this.cachedTokens > this.capacityTokens) this.evict(this.cachedTokens - this.capacityTokens);
  }

  private newNode(tokens: number[], blocks: number[], hashes: string[], parent: Node | null): Node {
    const node: Node = { id: this.nextId++, tokens, blocks, hashes, children: new Map(), parent, lockRef: 0, lastAccess: 0 };
    this.nodes.add(node);
    return node;
  }

  /** A match passed to lock/unlock must come from this cache's `match`. */
  private checkMatch(match: RadixMatch, method: string): void {
    const node = (match as { node?: unknown } | null)?.node;
    if (match === null || typeof match !== 'object' || typeof node !== 'object' || node === null || !this.nodes.has(node as Node)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache.${method}: pass a match returned by this cache's match().`);
    }
  }

  private childKey(tokens: ArrayLike<number>, at: number): number | string {
    if (this.pageSize === 1) return tokens[at]!;
    let key = '';
    for (let i = at; i < at + this.pageSize; i++) key += `${tokens[i]!},`;
    return key;
  }

  /** Tokens (whole pages) that `edge` shares with `tokens` from `at`. */
  private commonPages(edge: number[], tokens: ArrayLike<number>, at: number, end = tokens.length): number {
    let matched = 0;
    while (matched < edge.length && at + matched + this.pageSize <= end) {
      for (let i = 0; i < this.pageSize; i++) if (edge[matched + i] !== tokens[at + matched + i]) return matched;
      matched += this.pageSize;
    }
    return matched;
  }

  /** Splits `node` after `length` tokens; returns the new upper part, which keeps the lock count. */
  private split(node: Node, length: number): Node {
    const pages = length / this.pageSize;
    const parent = node.parent!;
    const upper = this.newNode(node.tokens.slice(0, length), node.blocks.slice(0, pages), node.hashes.slice(0, pages), parent);
    upper.lockRef = node.lockRef;
    upper.lastAccess = node.lastAccess;
    parent.children.set(this.childKey(node.tokens, 0), upper);
    node.tokens = node.tokens.slice(length);
    node.blocks = node.blocks.slice(pages);
    node.hashes = node.hashes.slice(pages);
    node.parent = upper;
    upper.children.set(this.childKey(node.tokens, 0), node);
    upper.hashes.forEach((hash, page) => this.byHash.set(hash, { node: upper, page }));
    node.hashes.forEach((hash, page) => this.byHash.set(hash, { node, page }));
    return upper;
  }

  private remove(leaf: Node): void {
    leaf.parent!.children.delete(this.childKey(leaf.tokens, 0));
    for (const hash of leaf.hashes) this.byHash.delete(hash);
    for (const block of leaf.blocks) this.releaseBlock(block);
    this.cachedTokens -= leaf.tokens.length;
  }
}

function checkTokens(tokens: ArrayLike<number>, method: string): void {
  if (tokens === null || typeof tokens !== 'object' || typeof tokens.length !== 'number') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `RadixPrefixCache.${method}: tokens must be an array or typed array of token ids.`);
  }
}

/** Min-heap of leaves by last access: the eviction order. */
class LeafHeap {
  private readonly items: Node[] = [];

  push(node: Node): void {
    const items = this.items;
    items.push(node);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.lastAccess <= node.lastAccess) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = node;
  }

  pop(): Node | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]!.lastAccess < items[left]!.lastAccess ? right : left;
        if (items[child]!.lastAccess >= last.lastAccess) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
