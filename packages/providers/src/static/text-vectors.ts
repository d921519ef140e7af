import { ChunkwiseError } from '@chunkwise/core';
import { optionsOf, show } from '../argument-checks.js';
import { WordVectorsBuilder, type WordVectorsBuilderOptions } from './word-vectors-builder.js';

/**
 * Reads the plain-text vector formats, fed in pieces of any size:
 * - word2vec text and fastText `.vec`: a first line `count dimensions`, then `word v1 … vd` per line;
 * - GloVe `.txt`: no header, `word v1 … vd` per line (dimensions from the first line).
 * Values are separated by spaces (tabs accepted). A word may itself hold spaces (some GloVe and
 * fastText entries do): the last `d` fields are the vector, the rest is the word.
 */
export class TextVectorsParser {
  private pending = '';
  private builder: WordVectorsBuilder | undefined;
  private declared: { count: number; dimensions: number } | undefined;
  private line = 0;
  private rows = 0;

  private readonly options: WordVectorsBuilderOptions & { dimensions?: number | undefined };

  constructor(options?: WordVectorsBuilderOptions & { dimensions?: number | undefined }) {
    this.options = optionsOf(options, 'TextVectorsParser options');
    const { dimensions } = this.options;
    if (dimensions !== undefined && (!Number.isInteger(dimensions) || dimensions < 1)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer ≥ 1, got ${show(dimensions)}.`);
    }
  }

  /** Takes the next piece of the file. */
  push(text: string): void {
    if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `push(text) needs a string, got ${show(text)}.`);
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) this.read(line);
  }

  /** Ends the input and returns the table's bytes. */
  end(): Uint8Array {
    if (this.pending !== '') this.read(this.pending);
    this.pending = '';
    if (this.builder === undefined) throw new ChunkwiseError('CORRUPT_DATA', 'The vector file holds no vectors.', { details: { lines: this.line } });
    if (this.declared !== undefined && this.rows < this.declared.count) {
      throw new ChunkwiseError('CORRUPT_DATA', `The vector file's header announces ${this.declared.count} words but only ${this.rows} follow (truncated?).`, {
        details: { declared: this.declared.count, actual: this.rows },
      });
    }
    return this.builder.build();
  }

  private read(raw: string): void {
    this.line++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const fields = line.trim().split(/[ \t]+/);
    if (this.line === 1 && fields.length === 2 && /^\d+$/.test(fields[0]!) && /^\d+$/.test(fields[1]!)) {
      this.declared = { count: Number(fields[0]), dimensions: Number(fields[1]) };
      this.start(this.declared.dimensions);
      return;
    }
    if (this.builder === undefined) this.start(fields.length - 1);
    const d = this.builder!.dimensions;
    if (fields.length < d + 1) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `Line ${this.line} of the vector file has ${fields.length - 1} values, expected ${d}.`, {
        details: { line: this.line, expected: d, actual: fields.length - 1 },
      });
    }
    const word = fields.slice(0, fields.length - d).join(' ');
    const vector = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const field = fields[fields.length - d + i]!;
      const value = Number(field);
      if (field === '' || !Number.isFinite(value)) {
        throw new ChunkwiseError('CORRUPT_DATA', `Line ${this.line} of the vector file: ${JSON.stringify(field.slice(0, 20))} is not a finite number.`, { details: { line: this.line } });
      }
      vector[i] = value;
    }
    this.builder!.add(word, vector);
    this.rows++;
  }

  private start(dimensions: number): void {
    if (this.options.dimensions !== undefined && dimensions !== this.options.dimensions) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `The vector file has ${dimensions}-dimensional vectors, expected ${this.options.dimensions}.`, {
        details: { expected: this.options.dimensions, actual: dimensions },
      });
    }
    if (dimensions < 1) throw new ChunkwiseError('CORRUPT_DATA', `Line ${this.line} of the vector file has no values after the word.`, { details: { line: this.line } });
    this.builder = new WordVectorsBuilder(dimensions, this.options);
  }
}

/** Parses a whole word2vec/GloVe/fastText text file held in memory into a `.cwv` table. */
export function parseTextVectors(text: string, options?: WordVectorsBuilderOptions & { dimensions?: number | undefined }): Uint8Array {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'parseTextVectors(text) needs the file as a string.');
  const parser = new TextVectorsParser(options);
  parser.push(text);
  return parser.end();
}
