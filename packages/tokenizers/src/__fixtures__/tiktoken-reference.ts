// The reference implementation: npm `tiktoken` (OpenAI's Rust core compiled to WASM).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { get_encoding, Tiktoken } from 'tiktoken';
import { harmonySpecialTokens } from '../special-token-tables.js';
import type { EncodingName } from '../get-encoding.js';

const require = createRequire(import.meta.url);
const cache = new Map<EncodingName, Tiktoken>();

/** tiktoken's encoder for `name`; o200k_harmony is built from o200k_base's ranks, as tiktoken does. */
export function reference(name: EncodingName): Tiktoken {
  let encoder = cache.get(name);
  if (!encoder) {
    if (name === 'o200k_harmony') {
      const file = join(dirname(require.resolve('tiktoken')), 'encoders', 'o200k_base.json');
      const o200k = JSON.parse(readFileSync(file, 'utf8')) as { bpe_ranks: string; pat_str: string };
      encoder = new Tiktoken(o200k.bpe_ranks, harmonySpecialTokens(), o200k.pat_str);
    } else {
      encoder = get_encoding(name);
    }
    cache.set(name, encoder);
  }
  return encoder;
}
