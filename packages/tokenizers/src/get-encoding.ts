import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from './describe-value.js';
import type { Encoding } from './encoding.js';

/** The encodings this package ships. */
export const ENCODING_NAMES = ['r50k_base', 'p50k_base', 'p50k_edit', 'cl100k_base', 'o200k_base', 'o200k_harmony'] as const;

export type EncodingName = (typeof ENCODING_NAMES)[number];

export function isEncodingName(name: unknown): name is EncodingName {
  return typeof name === 'string' && (ENCODING_NAMES as readonly string[]).includes(name);
}

/**
 * Loads an encoding by name. Each encoding is its own module with its own rank data, so this only
 * fetches (in a bundler: one lazy chunk) what `name` needs. The returned instance is the same
 * object the `@chunkwise/tokenizers/<name>` subpath exports.
 */
export async function getEncoding(name: EncodingName): Promise<Encoding> {
  switch (name) {
    case 'r50k_base':
      return (await import('./r50k_base.js')).r50k_base;
    case 'p50k_base':
      return (await import('./p50k_base.js')).p50k_base;
    case 'p50k_edit':
      return (await import('./p50k_edit.js')).p50k_edit;
    case 'cl100k_base':
      return (await import('./cl100k_base.js')).cl100k_base;
    case 'o200k_base':
      return (await import('./o200k_base.js')).o200k_base;
    case 'o200k_harmony':
      return (await import('./o200k_harmony.js')).o200k_harmony;
    default:
      // The same code as resolveTokenizer's for an unknown name: the caller passed a wrong argument.
      throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown encoding ${describeValue(name)}; expected one of ${ENCODING_NAMES.join(', ')}.`, {
        details: { name: describeValue(name), known: [...ENCODING_NAMES] },
      });
  }
}
