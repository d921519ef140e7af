import { ChunkwiseError } from '@chunkwise/core';
import { checkInteger, checkObject, describeValue, MAX_ELEMENTS, MAX_POSITION } from '../argument-checks.js';
import { TileCoverage, type AttentionMask, type MaskSpec } from './attention-mask.js';

/**
 * Keys chosen per (head group, query block) by a dynamic selector: one bitset over key positions
 * for every query block of `queryBlock` positions. Heads share a selection when `groups` is 1
 * (DHSA), or each query head owns one (LongHeads, Squeezed Attention per KV head).
 */
export class KeySelection implements AttentionMask {
  readonly description: string;
  readonly queryBlock: number;
  readonly queryBlocks: number;
  readonly seqK: number;
  readonly groups: number;
  readonly queryOffset: number;
  /** How many query heads map onto one group (`heads / groups`). */
  readonly headsPerGroup: number;
  readonly causal: boolean;
  private readonly words: number;
  private readonly bits: Uint32Array;

  constructor(options: Omit<KeySelectionData, 'bits'>) {
    checkObject(options, 'options');
    checkInteger(options.queryBlock, 'queryBlock', 1);
    checkInteger(options.queryBlocks, 'queryBlocks', 1);
    checkInteger(options.queryOffset, 'queryOffset', 0, MAX_POSITION);
    checkInteger(options.seqK, 'seqK', 1, MAX_POSITION);
    checkInteger(options.groups, 'groups', 1);
    checkInteger(options.headsPerGroup, 'headsPerGroup', 1);
    const words = Math.ceil(options.seqK / 32);
    if (options.groups * options.queryBlocks * words > MAX_ELEMENTS) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `A selection of ${options.groups} groups × ${options.queryBlocks} query blocks × ${options.seqK} keys exceeds ${MAX_ELEMENTS * 32} bits; use larger query blocks.`);
    }
    this.causal = options.causal === true;
    this.description = typeof options.name === 'string' ? options.name : 'key selection';
    this.queryBlock = options.queryBlock;
    this.queryBlocks = options.queryBlocks;
    this.queryOffset = options.queryOffset;
    this.seqK = options.seqK;
    this.groups = options.groups;
    this.headsPerGroup = options.headsPerGroup;
    this.words = Math.ceil(options.seqK / 32);
    this.bits = new Uint32Array(this.groups * this.queryBlocks * this.words);
  }

  get spec(): MaskSpec {
    return { kind: 'keySelection', data: this.toData() };
  }

  /** Plain data for `structuredClone`/`postMessage`; rebuild with `KeySelection.fromData`. */
  toData(): KeySelectionData {
    return {
      name: this.description,
      queryBlock: this.queryBlock,
      queryBlocks: this.queryBlocks,
      queryOffset: this.queryOffset,
      seqK: this.seqK,
      groups: this.groups,
      headsPerGroup: this.headsPerGroup,
      causal: this.causal,
      bits: this.bits,
    };
  }

  static fromData(data: KeySelectionData): KeySelection {
    const selection = new KeySelection(data);
    if (!(data.bits instanceof Uint32Array) || data.bits.length !== selection.bits.length) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Key selection data needs bits: a Uint32Array of ${selection.bits.length} words, got ${describeValue(data.bits)}.`);
    }
    selection.bits.set(data.bits);
    return selection;
  }

  /** Marks `key` kept for query block `block` of `group`. */
  keep(group: number, block: number, key: number): void {
    this.checkCell(group, block);
    checkInteger(key, 'key', 0, this.seqK - 1);
    this.set(group, block, key);
  }

  private set(group: number, block: number, key: number): void {
    const at = (group * this.queryBlocks + block) * this.words + (key >>> 5);
    this.bits[at] = (this.bits[at] as number) | (1 << (key & 31));
  }

  /** Marks keys `[from, to)` kept (clipped to `[0, seqK)`). */
  keepRange(group: number, block: number, from: number, to: number): void {
    this.checkCell(group, block);
    if (typeof from !== 'number' || typeof to !== 'number' || Number.isNaN(from) || Number.isNaN(to)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `keepRange needs numeric bounds, got ${describeValue(from)} and ${describeValue(to)}.`);
    }
    for (let key = Math.max(0, Math.ceil(from)); key < Math.min(to, this.seqK); key++) this.set(group, block, key);
  }

  isKept(group: number, block: number, key: number): boolean {
    if (!(key >= 0 && key < this.seqK && group >= 0 && group < this.groups && block >= 0 && block < this.queryBlocks)) return false;
    const word = this.bits[(group * this.queryBlocks + block) * this.words + (key >>> 5)] as number;
    return ((word >>> (key & 31)) & 1) === 1;
  }

  /** Kept keys of one block, sorted. */
  keptKeys(group: number, block: number): Int32Array {
    this.checkCell(group, block);
    const base = (group * this.queryBlocks + block) * this.words;
    const out: number[] = [];
    for (let w = 0; w < this.words; w++) {
      let word = this.bits[base + w] as number;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        out.push(w * 32 + bit);
        word &= word - 1;
      }
    }
    return Int32Array.from(out);
  }

  /**
   * Kept keys over all blocks and groups divided by the keys a dense pass would visit (for a
   * causal selection, those at or before each block's last query) — the density papers report.
   */
  keptFraction(): number {
    let kept = 0;
    let needed = 0;
    for (let g = 0; g < this.groups; g++) {
      for (let b = 0; b < this.queryBlocks; b++) {
        needed += this.causal ? Math.min(this.seqK, this.queryOffset + (b + 1) * this.queryBlock) : this.seqK;
        const base = (g * this.queryBlocks + b) * this.words;
        for (let w = 0; w < this.words; w++) kept += popcount(this.bits[base + w] as number);
      }
    }
    return needed === 0 ? 0 : kept / needed;
  }

  private blockOf(query: number): number {
    return Math.floor((query - this.queryOffset) / this.queryBlock);
  }

  private groupOf(head: number): number {
    return Math.floor(head / this.headsPerGroup) % this.groups;
  }

  /** True when positions `[q0, q1)` all fall in one query block (so they share one key set). */
  withinOneBlock(q0: number, q1: number): boolean {
    const block = this.blockOf(q0);
    return block >= 0 && block < this.queryBlocks && block === this.blockOf(q1 - 1);
  }

  allows(head: number, query: number, key: number): boolean {
    const block = this.blockOf(query);
    if (block < 0 || block >= this.queryBlocks) return false;
    return this.isKept(this.groupOf(head), block, key);
  }

  tile(head: number, q0: number, q1: number, k0: number, k1: number): TileCoverage {
    const group = this.groupOf(head);
    const b0 = Math.max(0, this.blockOf(q0));
    const b1 = Math.min(this.queryBlocks - 1, this.blockOf(q1 - 1));
    if (!(b0 <= b1)) return TileCoverage.Empty;
    // Keys outside [0, seqK) are never kept: only the keys inside are visited.
    const from = Math.max(0, Math.ceil(k0));
    const to = Math.min(this.seqK, k1);
    let kept = 0;
    for (let b = b0; b <= b1; b++) {
      for (let key = from; key < to; key++) if (this.isKept(group, b, key)) kept++;
    }
    if (kept === 0) return TileCoverage.Empty;
    const outside = this.blockOf(q0) < 0 || this.blockOf(q1 - 1) >= this.queryBlocks;
    return kept === (b1 - b0 + 1) * (k1 - k0) && !outside ? TileCoverage.Full : TileCoverage.Partial;
  }

  keysFor(head: number, q0: number, q1: number): Int32Array {
    const group = this.groupOf(head);
    const b0 = Math.max(0, this.blockOf(q0));
    const b1 = Math.min(this.queryBlocks - 1, this.blockOf(q1 - 1));
    // Positions outside every block, or not positions at all, see no key.
    if (!(Number.isInteger(group) && group >= 0 && Number.isInteger(b0) && Number.isInteger(b1)) || b0 > b1) return new Int32Array(0);
    if (b0 === b1) return this.keptKeys(group, b0);
    const union = new Set<number>();
    for (let b = b0; b <= b1; b++) for (const key of this.keptKeys(group, b)) union.add(key);
    return Int32Array.from([...union].sort((a, b) => a - b));
  }

  private checkCell(group: number, block: number): void {
    checkInteger(group, 'group', 0, this.groups - 1);
    checkInteger(block, 'block', 0, this.queryBlocks - 1);
  }

  /** Throws INVALID_ARGUMENT when the selection was made for a different attention shape. */
  assertFits(seqK: number): void {
    if (seqK !== this.seqK) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `This key selection covers ${this.seqK} keys, the call has ${seqK}.`);
    }
  }
}

export interface KeySelectionData {
  name: string;
  queryBlock: number;
  queryBlocks: number;
  queryOffset: number;
  seqK: number;
  groups: number;
  headsPerGroup: number;
  /** Count only keys at or before each block's last query as available (causal use). */
  causal: boolean;
  bits: Uint32Array;
}

function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
