import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { WordVectors } from '../word-vectors.js';
import type { WordVectorsBuilderOptions } from '../word-vectors-builder.js';
import { TextVectorsParser } from '../text-vectors.js';
import { optionsOf } from '../../argument-checks.js';
import { cachedTable, checkCacheOptions, sourceStamp, type VectorCacheOptions } from './vector-cache.js';

export interface WordVectorsFileOptions extends VectorCacheOptions, WordVectorsBuilderOptions {
  /** The dimensions you expect (DIMENSION_MISMATCH otherwise). */
  dimensions?: number | undefined;
}

/**
 * A word2vec text, fastText `.vec` or GloVe `.txt` file as a `WordVectors` table, converted once and
 * cached like the default vectors (a multi-gigabyte text file is then opened in milliseconds).
 * A missing file is NOT_FOUND; a line with the wrong number of values DIMENSION_MISMATCH.
 */
export async function loadWordVectorsFile(path: string, options?: WordVectorsFileOptions): Promise<WordVectors> {
  options = optionsOf(options, 'loadWordVectorsFile options');
  checkCacheOptions(options);
  const stamp = sourceStamp(path);
  const { dimensions, encoding = 'int8', frequencyOrdered = true } = options;
  const name = basename(path).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  const { vectors } = await cachedTable(name, { ...stamp, encoding, frequencyOrdered, format: 1 }, options, () => {
    const parser = new TextVectorsParser({ ...(dimensions === undefined ? {} : { dimensions }), encoding, frequencyOrdered });
    const decoder = new TextDecoder();
    const fd = openSync(path, 'r');
    try {
      const buffer = new Uint8Array(1 << 20);
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        if (read === 0) break;
        parser.push(decoder.decode(buffer.subarray(0, read), { stream: true }));
      }
      parser.push(decoder.decode());
    } finally {
      closeSync(fd);
    }
    return Promise.resolve(parser.end());
  });
  return vectors;
}
