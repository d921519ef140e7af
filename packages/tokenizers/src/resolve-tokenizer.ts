import { ChunkwiseError, type Tokenizer } from '@chunkwise/core';
import { characterTokenizer } from './character-tokenizer.js';
import { describeValue } from './describe-value.js';
import { ENCODING_NAMES, getEncoding, isEncodingName } from './get-encoding.js';

/** Every name `resolveTokenizer` accepts: `'characters'` (a character limit) and each encoding. */
export const TOKENIZER_NAMES = ['characters', ...ENCODING_NAMES] as const;

export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

/** The tokenizer used when none is given. */
export const DEFAULT_TOKENIZER_NAME = 'o200k_base' satisfies TokenizerName;

export function isTokenizerName(name: unknown): name is TokenizerName {
  return typeof name === 'string' && (TOKENIZER_NAMES as readonly string[]).includes(name);
}

function isTokenizer(value: object): value is Tokenizer {
  const candidate = value as Partial<Record<keyof Tokenizer, unknown>>;
  return typeof candidate.encode === 'function' && typeof candidate.decode === 'function' && typeof candidate.count === 'function';
}

/**
 * "A tokenizer by name", for every package and app: a `Tokenizer` object is returned as is;
 * `'characters'` is {@link characterTokenizer}; an encoding name loads that encoding (its rank data
 * is imported only now, so importing this function costs none); `undefined` is `'o200k_base'`.
 * Anything else is `ChunkwiseError('INVALID_ARGUMENT')` whose message lists {@link TOKENIZER_NAMES}.
 */
export function resolveTokenizer(tokenizer: Tokenizer | string | undefined): Promise<Tokenizer> {
  try {
    if (tokenizer === undefined) return getEncoding(DEFAULT_TOKENIZER_NAME);
    if (typeof tokenizer === 'object' && tokenizer !== null) {
      if (isTokenizer(tokenizer)) return Promise.resolve(tokenizer);
      throw new ChunkwiseError('INVALID_ARGUMENT', 'A tokenizer object needs encode, decode and count methods (core\'s Tokenizer interface).');
    }
    if (tokenizer === 'characters') return Promise.resolve(characterTokenizer);
    if (typeof tokenizer === 'string' && isEncodingName(tokenizer)) return getEncoding(tokenizer);
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `Unknown tokenizer ${describeValue(tokenizer)}; pass a Tokenizer object or one of ${TOKENIZER_NAMES.join(', ')}.`,
      { details: { tokenizer: describeValue(tokenizer), known: [...TOKENIZER_NAMES] } },
    );
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
