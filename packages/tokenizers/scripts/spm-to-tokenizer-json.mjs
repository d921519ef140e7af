#!/usr/bin/env node
// Converts a SentencePiece Unigram .model file (protobuf) into a Hugging Face tokenizer.json the way
// transformers' SpmConverter does for T5 / XLM-R: the model's precompiled_charsmap as a Precompiled
// normalizer, spaces collapsed, Metaspace pre-tokenizer and decoder. Used to make the test fixtures in
// src/__fixtures__/spm/ from models trained with Debian's spm_train (see the README there).
//   node scripts/spm-to-tokenizer-json.mjs model.model [--legacy] > tokenizer.json
// --legacy writes the older converter output: Replace(" {2,}", " ") and WhitespaceSplit + Metaspace.
import { readFileSync } from 'node:fs';

const [path, flag] = process.argv.slice(2);
const bytes = readFileSync(path);

function* fields(buffer, start = 0, end = buffer.length) {
  let at = start;
  const varint = () => {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[at++];
      value |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
      shift += 7n;
    }
  };
  while (at < end) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, value: varint() };
    else if (wire === 1) { yield { field, value: buffer.subarray(at, at + 8) }; at += 8; }
    else if (wire === 2) { const length = Number(varint()); yield { field, value: buffer.subarray(at, at + length) }; at += length; }
    else if (wire === 5) { yield { field, value: buffer.readFloatLE(at) }; at += 4; }
    else throw new Error(`wire type ${wire}`);
  }
}

const pieces = [];
let charsmap = null;
let byteFallback = false;
for (const { field, value } of fields(bytes)) {
  if (field === 1) {
    const piece = { text: '', score: 0, type: 1 };
    for (const inner of fields(value)) {
      if (inner.field === 1) piece.text = inner.value.toString('utf8');
      else if (inner.field === 2) piece.score = inner.value;
      else if (inner.field === 3) piece.type = Number(inner.value);
    }
    pieces.push(piece);
  } else if (field === 2) {
    for (const inner of fields(value)) if (inner.field === 35) byteFallback = inner.value !== 0n;
  } else if (field === 3) {
    for (const inner of fields(value)) if (inner.field === 2) charsmap = Buffer.from(inner.value).toString('base64');
  }
}
const unkId = pieces.findIndex((piece) => piece.type === 2);
const legacy = flag === '--legacy';
const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
const added = pieces
  .map((piece, id) => ({ piece, id }))
  .filter(({ piece }) => piece.type === 2 || piece.type === 3)
  .map(({ piece, id }) => ({ id, content: piece.text, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
const eos = pieces.findIndex((piece) => piece.text === '</s>');
const json = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: added,
  normalizer: {
    type: 'Sequence',
    normalizers: [
      ...(charsmap ? [{ type: 'Precompiled', precompiled_charsmap: charsmap }] : []),
      ...(legacy
        ? [{ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }]
        : [{ type: 'Strip', strip_left: false, strip_right: true }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: '▁' }]),
    ],
  },
  pre_tokenizer: legacy ? { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, metaspace] } : metaspace,
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
    pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
    special_tokens: { '</s>': { id: '</s>', ids: [eos], tokens: ['</s>'] } },
  },
  decoder: byteFallback ? { type: 'Sequence', decoders: [{ type: 'ByteFallback' }, metaspace] } : metaspace,
  model: { type: 'Unigram', unk_id: unkId, vocab: pieces.map((piece) => [piece.text, piece.score]), byte_fallback: byteFallback },
};
process.stdout.write(JSON.stringify(json));
