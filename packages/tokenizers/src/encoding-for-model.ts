import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from './describe-value.js';
import type { EncodingName } from './get-encoding.js';

// tiktoken/model.py (tiktoken 0.12): exact names first, then prefixes for dated snapshots and
// fine-tunes. tiktoken's separate `gpt2` encoding is r50k_base under another name.
const MODEL_TO_ENCODING: Record<string, EncodingName> = {
  o1: 'o200k_base',
  o3: 'o200k_base',
  'o4-mini': 'o200k_base',
  'gpt-5': 'o200k_base',
  'gpt-4.1': 'o200k_base',
  'gpt-4o': 'o200k_base',
  'gpt-oss-120b': 'o200k_harmony',
  'gpt-oss-20b': 'o200k_harmony',
  'gpt-4': 'cl100k_base',
  'gpt-3.5-turbo': 'cl100k_base',
  'gpt-3.5': 'cl100k_base',
  'gpt-35-turbo': 'cl100k_base',
  'davinci-002': 'cl100k_base',
  'babbage-002': 'cl100k_base',
  'text-embedding-ada-002': 'cl100k_base',
  'text-embedding-3-small': 'cl100k_base',
  'text-embedding-3-large': 'cl100k_base',
  'text-davinci-003': 'p50k_base',
  'text-davinci-002': 'p50k_base',
  'text-davinci-001': 'r50k_base',
  'text-curie-001': 'r50k_base',
  'text-babbage-001': 'r50k_base',
  'text-ada-001': 'r50k_base',
  davinci: 'r50k_base',
  curie: 'r50k_base',
  babbage: 'r50k_base',
  ada: 'r50k_base',
  'code-davinci-002': 'p50k_base',
  'code-davinci-001': 'p50k_base',
  'code-cushman-002': 'p50k_base',
  'code-cushman-001': 'p50k_base',
  'davinci-codex': 'p50k_base',
  'cushman-codex': 'p50k_base',
  'text-davinci-edit-001': 'p50k_edit',
  'code-davinci-edit-001': 'p50k_edit',
  'text-similarity-davinci-001': 'r50k_base',
  'text-similarity-curie-001': 'r50k_base',
  'text-similarity-babbage-001': 'r50k_base',
  'text-similarity-ada-001': 'r50k_base',
  'text-search-davinci-doc-001': 'r50k_base',
  'text-search-curie-doc-001': 'r50k_base',
  'text-search-babbage-doc-001': 'r50k_base',
  'text-search-ada-doc-001': 'r50k_base',
  'code-search-babbage-code-001': 'r50k_base',
  'code-search-ada-code-001': 'r50k_base',
  gpt2: 'r50k_base',
};

/** Checked in order, as tiktoken iterates its dict. */
const MODEL_PREFIX_TO_ENCODING: [string, EncodingName][] = [
  ['o1-', 'o200k_base'],
  ['o3-', 'o200k_base'],
  ['o4-mini-', 'o200k_base'],
  ['gpt-5-', 'o200k_base'],
  ['gpt-4.5-', 'o200k_base'],
  ['gpt-4.1-', 'o200k_base'],
  ['chatgpt-4o-', 'o200k_base'],
  ['gpt-4o-', 'o200k_base'],
  ['gpt-oss-', 'o200k_harmony'],
  ['gpt-4-', 'cl100k_base'],
  ['gpt-3.5-turbo-', 'cl100k_base'],
  ['gpt-35-turbo-', 'cl100k_base'],
  ['ft:gpt-4o', 'o200k_base'],
  ['ft:gpt-4', 'cl100k_base'],
  ['ft:gpt-3.5-turbo', 'cl100k_base'],
  ['ft:davinci-002', 'cl100k_base'],
  ['ft:babbage-002', 'cl100k_base'],
];

/**
 * The encoding an OpenAI model uses, by tiktoken's table (`gpt-4o` → o200k_base, `gpt-4` →
 * cl100k_base, `gpt-oss-120b` → o200k_harmony, …). Throws `NOT_FOUND` for an unknown model rather
 * than guessing, since a wrong encoding silently gives wrong counts.
 */
export function encodingForModel(model: string): EncodingName {
  if (typeof model !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Expected a model name as a string, got ${describeValue(model)}.`);
  const exact = Object.hasOwn(MODEL_TO_ENCODING, model) ? MODEL_TO_ENCODING[model] : undefined;
  if (exact) return exact;
  for (const [prefix, encoding] of MODEL_PREFIX_TO_ENCODING) {
    if (model.startsWith(prefix)) return encoding;
  }
  throw new ChunkwiseError('NOT_FOUND', `No known encoding for model ${JSON.stringify(model)}; pass an encoding name (e.g. getEncoding('o200k_base')) instead.`, {
    details: { model },
  });
}
