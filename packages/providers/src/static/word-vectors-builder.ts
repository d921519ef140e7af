import { ChunkwiseError } from '@chunkwise/core';
import {
  FLAG_FREQUENCY_ORDERED,
  fnv1aBytes,
  sections,
  slotsFor,
  writeHeader,
  type VectorEncoding,
} from './word-vectors-format.js';
import { optionsOf, show } from '../argument-checks.js';

export interface WordVectorsBuilderOptions {
  /** `'int8'` (default): one byte per value plus a float32 scale per word, cosine within ~1e-4 of float32. */
  encoding?: VectorEncoding | undefined;
  /**
   * Words are added most frequent first (true of GloVe, word2vec and fastText files). SIF then uses
   * the rank as a Zipf prior for word frequencies. Default true.
   */
  frequencyOrdered?: boolean | undefined;
}

/** Growable typed storage: doubling keeps adding 341k rows linear. */
class Grow<T extends Int8Array | Uint8Array | Float32Array | Uint32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}

  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let size = Math.max(16, this.data.length * 2);
    while (size < this.length + extra) size *= 2;
    const next = this.make(size);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
}

/**
 * Collects words and their vectors, then writes the compact `.cwv` table that `WordVectors` reads.
 * Values are checked as they come: a wrong length is DIMENSION_MISMATCH, a non-finite value
 * CORRUPT_DATA, so a table never holds NaN. A word seen twice keeps its first vector.
 */
export class WordVectorsBuilder {
  readonly dimensions: number;
  private readonly encoding: VectorEncoding;
  private readonly frequencyOrdered: boolean;
  private readonly seen = new Map<string, number>();
  private readonly scales = new Grow(new Float32Array(0), (n) => new Float32Array(n));
  private readonly int8 = new Grow(new Int8Array(0), (n) => new Int8Array(n));
  private readonly float32 = new Grow(new Float32Array(0), (n) => new Float32Array(n));
  private readonly wordBytes = new Grow(new Uint8Array(0), (n) => new Uint8Array(n));
  private readonly offsets = new Grow(new Uint32Array(16), (n) => new Uint32Array(n));
  private readonly encoder = new TextEncoder();

  constructor(dimensions: number, options?: WordVectorsBuilderOptions) {
    options = optionsOf(options, 'WordVectorsBuilder options');
    if (options.frequencyOrdered !== undefined && typeof options.frequencyOrdered !== 'boolean') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `frequencyOrdered must be a boolean, got ${show(options.frequencyOrdered)}.`);
    }
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 65_536) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer from 1 to 65536, got ${show(dimensions)}.`);
    }
    const encoding = options.encoding ?? 'int8';
    if (encoding !== 'int8' && encoding !== 'float32') throw new ChunkwiseError('INVALID_ARGUMENT', `encoding must be 'int8' or 'float32', got ${show(encoding)}.`);
    this.dimensions = dimensions;
    this.encoding = encoding;
    this.frequencyOrdered = options.frequencyOrdered ?? true;
    this.offsets.length = 1; // offsets[0] = 0
  }

  /** Words added so far. */
  get size(): number {
    return this.seen.size;
  }

  /** Adds `word` with `vector`; returns false (and keeps the first) when the word is already there. */
  add(word: string, vector: ArrayLike<number>): boolean {
    if (typeof word !== 'string' || word.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'A word must be a non-empty string.');
    const d = this.dimensions;
    if (vector === null || typeof vector !== 'object' || typeof vector.length !== 'number') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `The vector of ${JSON.stringify(word.slice(0, 40))} must be an array of numbers, got ${show(vector)}.`);
    }
    if (vector.length !== d) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `The vector of ${JSON.stringify(word.slice(0, 40))} has ${vector.length} values, expected ${d}.`, {
        details: { word: word.slice(0, 40), expected: d, actual: vector.length },
      });
    }
    let max = 0;
    for (let i = 0; i < d; i++) {
      const value = vector[i]!;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ChunkwiseError('CORRUPT_DATA', `The vector of ${JSON.stringify(word.slice(0, 40))} holds ${show(value)} at position ${i}.`, { details: { word: word.slice(0, 40), position: i } });
      }
      const magnitude = Math.abs(value);
      if (magnitude > max) max = magnitude;
    }
    if (this.seen.has(word)) return false;
    this.seen.set(word, this.seen.size);
    if (this.encoding === 'int8') {
      const scale = Math.fround(max / 127);
      this.scales.reserve(1);
      this.scales.data[this.scales.length++] = scale;
      this.int8.reserve(d);
      const rows = this.int8.data;
      const at = this.int8.length;
      for (let i = 0; i < d; i++) rows[at + i] = scale === 0 ? 0 : Math.round(vector[i]! / scale);
      this.int8.length += d;
    } else {
      this.float32.reserve(d);
      const rows = this.float32.data;
      const at = this.float32.length;
      for (let i = 0; i < d; i++) rows[at + i] = vector[i]!;
      this.float32.length += d;
    }
    const bytes = this.encoder.encode(word);
    this.wordBytes.reserve(bytes.length);
    this.wordBytes.data.set(bytes, this.wordBytes.length);
    this.wordBytes.length += bytes.length;
    this.offsets.reserve(1);
    this.offsets.data[this.offsets.length++] = this.wordBytes.length;
    return true;
  }

  /** The finished table, ready for `WordVectors.fromBytes` or a file. */
  build(): Uint8Array {
    const count = this.seen.size;
    if (count === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'No words were added: a word-vector table needs at least one word.');
    const header = { dimensions: this.dimensions, count, slots: slotsFor(count), encoding: this.encoding, wordBytes: this.wordBytes.length };
    const layout = sections(header);
    const bytes = new Uint8Array(layout.total);
    if (this.encoding === 'int8') {
      new Float32Array(bytes.buffer, layout.scales, count).set(this.scales.data.subarray(0, count));
      new Int8Array(bytes.buffer, layout.rows, count * this.dimensions).set(this.int8.data.subarray(0, count * this.dimensions));
    } else {
      new Float32Array(bytes.buffer, layout.rows, count * this.dimensions).set(this.float32.data.subarray(0, count * this.dimensions));
    }
    const offsets = new Uint32Array(bytes.buffer, layout.offsets, count + 1);
    offsets.set(this.offsets.data.subarray(0, count + 1));
    const words = bytes.subarray(layout.words, layout.words + header.wordBytes);
    words.set(this.wordBytes.data.subarray(0, header.wordBytes));
    const hash = new Uint32Array(bytes.buffer, layout.hash, header.slots);
    const mask = header.slots - 1;
    for (let id = 0; id < count; id++) {
      let slot = fnv1aBytes(words, offsets[id]!, offsets[id + 1]!) & mask;
      while (hash[slot] !== 0) slot = (slot + 1) & mask;
      hash[slot] = id + 1;
    }
    writeHeader(bytes, { ...header, flags: this.frequencyOrdered ? FLAG_FREQUENCY_ORDERED : 0 });
    return bytes;
  }
}
