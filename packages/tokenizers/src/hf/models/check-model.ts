import { ChunkwiseError } from '@chunkwise/core';
import type { ModelJson } from '../tokenizer-json.js';

export function invalid(message: string): never {
  throw new ChunkwiseError('INVALID_ARGUMENT', `tokenizer.json: ${message}`);
}

export function unsupported(message: string): never {
  throw new ChunkwiseError('UNSUPPORTED', message);
}

/**
 * The shapes the model section must have before anything reads it (a malformed file is
 * INVALID_ARGUMENT, not a TypeError); returns the vocab as [token or piece, id or score] entries.
 */
export function checkModel(model: ModelJson): [string, number][] {
  if (model.type === 'Unigram') {
    if (!Array.isArray(model.vocab)) invalid('a Unigram model needs its vocab as an array of [piece, score].');
    for (const entry of model.vocab as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') invalid(`Unigram vocab entry ${JSON.stringify(entry)} is not [piece, score].`);
    }
    const unk = model.unk_id;
    if (unk !== undefined && unk !== null && !(Number.isInteger(unk) && unk >= 0 && unk < model.vocab.length)) invalid(`unk_id ${String(unk)} is not an index into the vocab.`);
    if (model.merges !== undefined && model.merges !== null && !Array.isArray(model.merges)) invalid('merges must be an array.');
    return model.vocab;
  }
  if (typeof model.vocab !== 'object' || model.vocab === null || Array.isArray(model.vocab)) invalid(`a ${model.type} model needs its vocab as an object of token → id.`);
  const entries = Object.entries(model.vocab);
  for (const [token, id] of entries) {
    if (!(Number.isInteger(id) && id >= 0 && id < 2 ** 21)) invalid(`vocab id ${JSON.stringify(id)} of ${JSON.stringify(token)} is not an integer in [0, 2^21).`);
  }
  if (model.merges !== undefined && model.merges !== null && !Array.isArray(model.merges)) invalid('merges must be an array.');
  return entries;
}
