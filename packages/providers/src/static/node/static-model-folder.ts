import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChunkwiseError } from '@chunkwise/core';
import { optionsOf } from '../../argument-checks.js';
import type { StaticModelEmbedder } from '../static-model-embedder.js';
import { staticModelFromFiles, type StaticModelFileOptions } from '../static-model-files.js';

/**
 * The folder layouts Model2Vec itself accepts: its own (`config.json`), a sentence-transformers
 * export (`config_sentence_transformers.json`, `modules.json`), and one with the static module in
 * `0_StaticEmbedding/`.
 */
const LAYOUTS = [
  { weights: 'model.safetensors', tokenizer: 'tokenizer.json' },
  { weights: '0_StaticEmbedding/model.safetensors', tokenizer: '0_StaticEmbedding/tokenizer.json' },
];

/**
 * A static embedding model from a folder you downloaded: Model2Vec (`minishlab/potion-base-8M`:
 * `model.safetensors`, `tokenizer.json`, `config.json`) or a sentence-transformers
 * `StaticEmbedding` export. Nothing is downloaded; a missing folder or file is NOT_FOUND.
 */
export function loadStaticModel(dir: string, options?: StaticModelFileOptions): StaticModelEmbedder {
  if (typeof dir !== 'string' || dir.trim() === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'loadStaticModel(dir) needs the model folder.');
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ChunkwiseError('NOT_FOUND', `No model folder at ${root}. Download one first, e.g. huggingface-cli download minishlab/potion-base-8M --local-dir ${dir}.`, {
      details: { dir: root },
    });
  }
  const layout = LAYOUTS.find((candidate) => existsSync(join(root, candidate.weights)));
  if (layout === undefined) {
    throw new ChunkwiseError('NOT_FOUND', `${root} has no model.safetensors (nor 0_StaticEmbedding/model.safetensors): not a Model2Vec or StaticEmbedding folder.`, { details: { dir: root } });
  }
  const tokenizerPath = join(root, layout.tokenizer);
  if (!existsSync(tokenizerPath)) throw new ChunkwiseError('NOT_FOUND', `${tokenizerPath} is missing: the model needs its tokenizer.json.`, { details: { path: tokenizerPath } });
  const optional = (name: string): string | undefined => (existsSync(join(root, name)) ? readFileSync(join(root, name), 'utf8') : undefined);
  return staticModelFromFiles(
    {
      safetensors: readFileSync(join(root, layout.weights)),
      tokenizer: readFileSync(tokenizerPath, 'utf8'),
      config: optional('config.json'),
      modules: optional('modules.json'),
    },
    { name: root, ...optionsOf(options, 'loadStaticModel options') },
  );
}
