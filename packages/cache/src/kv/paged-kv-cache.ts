import { ChunkwiseError } from '@chunkwise/core';
import { checkOptions } from '../argument-checks.js';

/** Floats of key and value pool one cache may allocate (8 GiB). */
const MAX_POOL_FLOATS = 2 ** 31;

export interface PagedKVCacheOptions {
  /** Physical blocks in the pool. */
  numBlocks: number;
  /** Tokens per block (vLLM defaults to 16). */
  blockSize: number;
  /** Floats per token per layer for keys (and values): numKvHeads × headDim. */
  kvDim: number;
  /** Transformer layers sharing one block table. Default 1. */
  layers?: number;
}

/**
 * What an attention kernel needs to read one sequence's keys and values in place: token `t` of the
 * sequence lives at `(blockTable[t / blockSize | 0] * blockSize + t % blockSize) * kvDim` in `keys`
 * and `values`. Nothing is copied; the view is valid until the sequence is next extended or freed.
 */
export interface KVView {
  keys: Float32Array;
  values: Float32Array;
  blockTable: Int32Array;
  length: number;
  blockSize: number;
  kvDim: number;
}

interface Sequence {
  table: number[];
  length: number;
}

/**
 * A paged KV cache (vLLM PagedAttention, arXiv 2309.06180): a pool of fixed-size blocks, one block
 * table per sequence mapping logical blocks to physical ones, reference counts so sequences share
 * blocks, and copy-on-write so a `fork` (parallel sampling, beam search) costs a table copy.
 */
export class PagedKVCache {
  readonly numBlocks: number;
  readonly blockSize: number;
  readonly kvDim: number;
  readonly layers: number;
  /** Per layer: the key pool, `numBlocks × blockSize × kvDim` floats. */
  readonly keys: Float32Array[];
  /** Per layer: the value pool, same layout as `keys`. */
  readonly values: Float32Array[];
  private readonly refs: Int32Array;
  private readonly freeStack: Int32Array;
  private freeTop: number;
  private readonly sequences = new Map<number, Sequence>();
  private nextId = 0;

  constructor(options: PagedKVCacheOptions) {
    checkOptions('PagedKVCache', options);
    const { numBlocks, blockSize, kvDim, layers = 1 } = options;
    for (const [name, value] of Object.entries({ numBlocks, blockSize, kvDim, layers })) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache: ${name} must be a positive integer, got ${String(value)}.`);
      }
    }
    const floats = numBlocks * blockSize * kvDim;
    if (floats > 2 ** 31) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `PagedKVCache: ${floats} floats per layer is over the 2^31 a typed array can index; use fewer or smaller blocks.`);
    }
    // Keys and values of every layer are allocated up front.
    if (2 * layers * floats > MAX_POOL_FLOATS) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `PagedKVCache: ${layers} layers × 2 × ${floats} floats is over ${MAX_POOL_FLOATS} (${MAX_POOL_FLOATS / 2 ** 28} GiB); use fewer or smaller blocks.`);
    }
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.kvDim = kvDim;
    this.layers = layers;
    try {
      this.keys = Array.from({ length: layers }, () => new Float32Array(floats));
      this.values = Array.from({ length: layers }, () => new Float32Array(floats));
    } catch (error) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `PagedKVCache: could not allocate ${2 * layers * floats} floats of KV pool here; use fewer or smaller blocks.`, { cause: error });
    }
    this.refs = new Int32Array(numBlocks);
    this.freeStack = new Int32Array(numBlocks);
    // Pop order 0, 1, 2, … so block ids are predictable in tests and examples.
    for (let i = 0; i < numBlocks; i++) this.freeStack[i] = numBlocks - 1 - i;
    this.freeTop = numBlocks;
  }

  /** Blocks not referenced by any sequence or holder. */
  get freeBlocks(): number {
    return this.freeTop;
  }

  get usedBlocks(): number {
    return this.numBlocks - this.freeTop;
  }

  /** References held on a block (sequences using it plus `retain` calls). */
  refCount(block: number): number {
    this.checkBlock(block);
    return this.refs[block]!;
  }

  /**
   * Starts a sequence, empty or on top of existing blocks (a cached prefix): the blocks are shared,
   * not copied, and written to only after a copy (copy-on-write).
   */
  createSequence(prefix?: { blocks: readonly number[]; length: number }): number {
    const table: number[] = [];
    let length = 0;
    if (prefix) {
      const { blocks, length: prefixLength } = prefix;
      if (!Number.isSafeInteger(prefixLength) || prefixLength < 0 || Math.ceil(prefixLength / this.blockSize) !== blocks.length) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.createSequence: ${blocks.length} blocks cannot hold exactly ${prefixLength} tokens at ${this.blockSize} per block.`);
      }
      for (const block of blocks) {
        this.checkBlock(block);
        if (this.refs[block] === 0) throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.createSequence: block ${block} is free; only blocks someone holds can be shared.`);
      }
      for (const block of blocks) this.refs[block]!++;
      table.push(...blocks);
      length = prefixLength;
    }
    const id = this.nextId++;
    this.sequences.set(id, { table, length });
    return id;
  }

  /** A new sequence sharing every block of `seq` (copy-on-write). */
  fork(seq: number): number {
    const source = this.sequence(seq);
    for (const block of source.table) this.refs[block]!++;
    const id = this.nextId++;
    this.sequences.set(id, { table: source.table.slice(), length: source.length });
    return id;
  }

  /** Drops a sequence; blocks nobody else holds return to the pool. */
  free(seq: number): void {
    const sequence = this.sequence(seq);
    for (const block of sequence.table) this.release(block);
    this.sequences.delete(seq);
  }

  /** Adds a reference to a block, e.g. a prefix cache keeping it after its sequence is freed. */
  retain(block: number): void {
    this.checkBlock(block);
    if (this.refs[block] === 0) throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.retain: block ${block} is free.`);
    this.refs[block]!++;
  }

  /** Drops a reference; at zero the block returns to the pool. */
  release(block: number): void {
    this.checkBlock(block);
    if (this.refs[block]! <= 0) throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.release: block ${block} holds no reference.`);
    if (--this.refs[block]! === 0) this.freeStack[this.freeTop++] = block;
  }

  length(seq: number): number {
    return this.sequence(seq).length;
  }

  /** A copy of the sequence's block table (logical block i → physical block). */
  blockTable(seq: number): Int32Array {
    return Int32Array.from(this.sequence(seq).table);
  }

  sequenceIds(): number[] {
    return [...this.sequences.keys()];
  }

  /**
   * Makes room for `count` more tokens and returns the position of the first. Allocates blocks as
   * needed; a shared, partly filled last block is copied first. Throws LIMIT_EXCEEDED, changing
   * nothing, when the pool cannot supply the blocks.
   */
  extend(seq: number, count: number): number {
    const sequence = this.sequence(seq);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.extend: count must be a non-negative integer, got ${String(count)}.`);
    }
    const start = sequence.length;
    const needBlocks = Math.ceil((start + count) / this.blockSize) - sequence.table.length;
    const lastShared = count > 0 && start % this.blockSize !== 0 && this.refs[sequence.table[sequence.table.length - 1]!]! > 1;
    const need = needBlocks + (lastShared ? 1 : 0);
    if (need > this.freeTop) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `PagedKVCache: ${need} free blocks needed, ${this.freeTop} left of ${this.numBlocks}; free finished sequences or evict cached prefixes.`, {
        details: { needed: need, free: this.freeTop },
      });
    }
    if (lastShared) this.copyOnWrite(sequence, sequence.table.length - 1, start % this.blockSize);
    for (let i = 0; i < needBlocks; i++) sequence.table.push(this.allocate());
    sequence.length = start + count;
    return start;
  }

  /** Writes one token's key and value for one layer; a shared block is copied first. */
  write(seq: number, position: number, layer: number, key: ArrayLike<number>, value: ArrayLike<number>): void {
    const sequence = this.sequence(seq);
    if (!Number.isSafeInteger(position) || position < 0 || position >= sequence.length) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.write: position ${position} is outside the sequence (length ${sequence.length}); call extend first.`);
    }
    if (!Number.isSafeInteger(layer) || layer < 0 || layer >= this.layers) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.write: layer ${layer} is outside 0..${this.layers - 1}.`);
    }
    if (key.length !== this.kvDim || value.length !== this.kvDim) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `PagedKVCache.write: key and value need ${this.kvDim} floats, got ${key.length} and ${value.length}.`);
    }
    const logical = (position / this.blockSize) | 0;
    if (this.refs[sequence.table[logical]!]! > 1) {
      if (this.freeTop === 0) {
        throw new ChunkwiseError('LIMIT_EXCEEDED', 'PagedKVCache.write: the block is shared and no free block is left to copy it into.');
      }
      this.copyOnWrite(sequence, logical, this.blockSize);
    }
    const at = this.slot(sequence.table[logical]!, position % this.blockSize);
    this.keys[layer]!.set(key, at);
    this.values[layer]!.set(value, at);
  }

  /** Extends by one token and writes it (layer 0); returns its position. For single-layer caches. */
  append(seq: number, key: ArrayLike<number>, value: ArrayLike<number>): number {
    if (this.layers !== 1) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.append writes one layer; with ${this.layers} layers call extend(seq, 1) then write per layer.`);
    }
    const position = this.extend(seq, 1);
    try {
      this.write(seq, position, 0, key, value);
    } catch (error) {
      this.truncate(seq, position);
      throw error;
    }
    return position;
  }

  /** Shortens a sequence to `length` tokens, releasing blocks it no longer uses. */
  truncate(seq: number, length: number): void {
    const sequence = this.sequence(seq);
    if (!Number.isSafeInteger(length) || length < 0 || length > sequence.length) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.truncate: length must be in 0..${sequence.length}, got ${String(length)}.`);
    }
    const keep = Math.ceil(length / this.blockSize);
    while (sequence.table.length > keep) this.release(sequence.table.pop()!);
    sequence.length = length;
  }

  /**
   * Compacts a sequence after eviction: keeps the tokens at `keep` (strictly increasing
   * positions, e.g. from `sinkWindowKeep` or `H2OEviction.kept()`), moved in order to positions
   * 0 … keep.length − 1 of every layer, and returns the blocks no longer needed to the pool.
   * Blocks shared with other sequences or holders are never written: a changed block that is
   * shared gets a private copy, and a block whose tokens do not move stays shared. Throws
   * LIMIT_EXCEEDED, changing nothing, when those copies need more free blocks than there are.
   * `freedBlocks` is the net change in free blocks. Keys should be stored before RoPE (re-rotate them for their new positions).
   */
  compact(seq: number, keep: ArrayLike<number>): { length: number; freedBlocks: number; copiedBlocks: number } {
    const sequence = this.sequence(seq);
    const freeBefore = this.freeTop;
    const count = keep?.length;
    if (!Number.isSafeInteger(count)) throw new ChunkwiseError('INVALID_ARGUMENT', 'PagedKVCache.compact: keep must be an array of positions.');
    for (let i = 0, previous = -1; i < count; previous = keep[i++]!) {
      const position = keep[i]!;
      if (!Number.isSafeInteger(position) || position <= previous || position >= sequence.length) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache.compact: keep must be strictly increasing positions in 0..${sequence.length - 1}; got ${String(position)} at index ${i}.`);
      }
    }
    const B = this.blockSize;
    const blocks = Math.ceil(count / B);
    // A destination block changes when any of its tokens comes from elsewhere.
    const changed = new Uint8Array(blocks);
    for (let i = 0; i < count; i++) if (keep[i] !== i) changed[(i / B) | 0] = 1;
    let copies = 0;
    for (let b = 0; b < blocks; b++) if (changed[b] && this.refs[sequence.table[b]!]! > 1) copies++;
    if (copies > this.freeTop) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `PagedKVCache.compact: ${copies} shared blocks need private copies, ${this.freeTop} free blocks left.`, {
        details: { needed: copies, free: this.freeTop },
      });
    }
    const source = sequence.table.slice();
    const target = source.slice(0, blocks);
    for (let b = 0; b < blocks; b++) if (changed[b] && this.refs[target[b]!]! > 1) target[b] = this.allocate();
    // One ascending pass: token i comes from old position keep[i] ≥ i, and every slot written
    // so far is at a position < i, so no source is overwritten before it is read.
    const floats = this.kvDim;
    for (let i = 0; i < count; i++) {
      const from = this.slot(source[(keep[i]! / B) | 0]!, keep[i]! % B);
      const to = this.slot(target[(i / B) | 0]!, i % B);
      if (from === to) continue;
      for (let layer = 0; layer < this.layers; layer++) {
        this.keys[layer]!.copyWithin(to, from, from + floats);
        this.values[layer]!.copyWithin(to, from, from + floats);
      }
    }
    for (let b = 0; b < source.length; b++) if (b >= blocks || target[b] !== source[b]) this.release(source[b]!);
    sequence.table = target;
    sequence.length = count;
    // Net: blocks back in the pool minus the private copies (negative when mostly shared).
    return { length: count, freedBlocks: this.freeTop - freeBefore, copiedBlocks: copies };
  }

  /** Zero-copy access for attention kernels (see `KVView`). */
  view(seq: number, layer = 0): KVView {
    const sequence = this.sequence(seq);
    this.checkLayer(layer);
    return {
      keys: this.keys[layer]!,
      values: this.values[layer]!,
      blockTable: Int32Array.from(sequence.table),
      length: sequence.length,
      blockSize: this.blockSize,
      kvDim: this.kvDim,
    };
  }

  /**
   * Copies one layer of a sequence into contiguous `[length × kvDim]` arrays, for kernels that
   * cannot follow a block table. Costs one copy of the sequence's KV.
   */
  gather(seq: number, layer = 0): { keys: Float32Array; values: Float32Array } {
    const sequence = this.sequence(seq);
    this.checkLayer(layer);
    const keys = new Float32Array(sequence.length * this.kvDim);
    const values = new Float32Array(sequence.length * this.kvDim);
    const poolKeys = this.keys[layer]!;
    const poolValues = this.values[layer]!;
    for (let logical = 0, done = 0; done < sequence.length; logical++) {
      const tokens = Math.min(this.blockSize, sequence.length - done);
      const from = this.slot(sequence.table[logical]!, 0);
      keys.set(poolKeys.subarray(from, from + tokens * this.kvDim), done * this.kvDim);
      values.set(poolValues.subarray(from, from + tokens * this.kvDim), done * this.kvDim);
      done += tokens;
    }
    return { keys, values };
  }

  private slot(block: number, offset: number): number {
    return (block * this.blockSize + offset) * this.kvDim;
  }

  private allocate(): number {
    const block = this.freeStack[--this.freeTop]!;
    this.refs[block] = 1;
    return block;
  }

  /** Gives `sequence` a private copy of its logical block (first `tokens` tokens, every layer). */
  private copyOnWrite(sequence: Sequence, logical: number, tokens: number): void {
    const shared = sequence.table[logical]!;
    const copy = this.allocate();
    const from = this.slot(shared, 0);
    const to = this.slot(copy, 0);
    const floats = tokens * this.kvDim;
    for (let layer = 0; layer < this.layers; layer++) {
      this.keys[layer]!.copyWithin(to, from, from + floats);
      this.values[layer]!.copyWithin(to, from, from + floats);
    }
    sequence.table[logical] = copy;
    this.release(shared);
  }

  private sequence(seq: number): Sequence {
    const sequence = this.sequences.get(seq);
    if (!sequence) throw new ChunkwiseError('NOT_FOUND', `PagedKVCache: no sequence ${String(seq)} (never created, or already freed).`);
    return sequence;
  }

  private checkBlock(block: number): void {
    if (!Number.isSafeInteger(block) || block < 0 || block >= this.numBlocks) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache: block ${String(block)} is outside 0..${this.numBlocks - 1}.`);
    }
  }

  private checkLayer(layer: number): void {
    if (!Number.isSafeInteger(layer) || layer < 0 || layer >= this.layers) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `PagedKVCache: layer ${String(layer)} is outside 0..${this.layers - 1}.`);
    }
  }
}
