// A tiny but real transformers.js model folder for tests and benchmarks that must not download:
// a word-level tokenizer and an ONNX graph with one Gather node (token id → row of a fixed table),
// so mean pooling over it has a value a test can compute by hand. Written on demand; no weights are
// stored or downloaded. It measures transformers.js' own cost (tokenizer, ONNX session, pooling),
// not a real transformer's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkwiseError } from '@chunkwise/core';

/** The tiny model's vocabulary (lower-cased words; anything else is `[UNK]`). */
export const TINY_MODEL_VOCAB = ['[UNK]', '[PAD]', 'call', 'me', 'ishmael', 'whale', 'ship', 'sea', 'white', 'captain'];
/** Its hidden size: the embedder's `dimensions`. */
export const TINY_MODEL_HIDDEN = 4;
const VOCAB = TINY_MODEL_VOCAB;
const HIDDEN = TINY_MODEL_HIDDEN;

/** Row `id` of the tiny model's embedding table: small integers, distinct per token. */
export function tinyModelRow(id: number): number[] {
  if (!Number.isInteger(id) || id < 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'tinyModelRow(id) needs a token id (an integer ≥ 0).');
  return Array.from({ length: HIDDEN }, (_, d) => ((id * 7 + d * 3) % 11) - 5 + (d === id % HIDDEN ? 2 : 0));
}

// --- a minimal protobuf writer, enough for ONNX's ModelProto -------------------------------------
type Field = Uint8Array;
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const int = (field: number, value: number): Field => new Uint8Array([...varint(field << 3), ...varint(value)]);
const bytes = (field: number, value: Uint8Array): Field => concat([new Uint8Array([...varint((field << 3) | 2), ...varint(value.length)]), value]);
const str = (field: number, value: string): Field => bytes(field, new TextEncoder().encode(value));
const msg = (field: number, ...parts: Field[]): Field => bytes(field, concat(parts));

const FLOAT = 1;
const INT64 = 7;
const dim = (d: number | string): Field => msg(1, typeof d === 'number' ? int(1, d) : str(2, d));
const valueInfo = (field: number, name: string, elemType: number, dims: Array<number | string>): Field =>
  msg(field, str(1, name), msg(2, msg(1, int(1, elemType), msg(2, ...dims.map(dim)))));

function onnxModel(): Uint8Array {
  const table = new Float32Array(VOCAB.length * HIDDEN);
  VOCAB.forEach((_, id) => table.set(tinyModelRow(id), id * HIDDEN));
  const initializer = msg(5, int(1, VOCAB.length), int(1, HIDDEN), int(2, FLOAT), str(8, 'table'), bytes(9, new Uint8Array(table.buffer)));
  const gather = msg(1, str(1, 'table'), str(1, 'input_ids'), str(2, 'last_hidden_state'), str(3, 'lookup'), str(4, 'Gather'), msg(5, str(1, 'axis'), int(3, 0), int(20, 2)));
  const graph = msg(
    7,
    gather,
    str(2, 'tiny'),
    initializer,
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', HIDDEN]),
  );
  return concat([int(1, 8), str(2, 'chunkwise-test'), graph, msg(8, str(1, ''), int(2, 13))]);
}

/** Writes the tiny model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) into `dir` and returns `dir`. */
export function writeTinyTransformersModel(dir: string): string {
  if (typeof dir !== 'string' || dir === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'writeTinyTransformersModel(dir) needs a folder path.');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel());
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: HIDDEN, architectures: ['BertModel'] }));
  const special = (id: number) => ({ id, content: VOCAB[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0), special(1)],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', vocab: Object.fromEntries(VOCAB.map((word, id) => [word, id])), unk_token: '[UNK]' },
    }),
  );
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'PreTrainedTokenizer', pad_token: '[PAD]', unk_token: '[UNK]', model_max_length: 64 }),
  );
  return dir;
}
