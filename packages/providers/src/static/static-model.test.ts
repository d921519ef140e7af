import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { halfToFloat, parseSafetensors } from './safetensors.js';
import { staticModelFromFiles } from './static-model-files.js';
import { writeSafetensors } from './__fixtures__/safetensors-writer.js';

// A Model2Vec-shaped model, written the way model2vec's save_pretrained writes it.
const VOCAB = ['[UNK]', '[PAD]', 'call', 'me', 'ishmael', 'whale', 'ship', 'sea'];
const D = 4;
const row = (id: number) => Array.from({ length: D }, (_, d) => ((id * 5 + d * 3) % 7) - 3 + (d === id % D ? 1.5 : 0));
const matrix = VOCAB.flatMap((_, id) => row(id));

const tokenizerJson = JSON.stringify({
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [0, 1].map((id) => ({ id, content: VOCAB[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  normalizer: { type: 'Lowercase' },
  pre_tokenizer: { type: 'Whitespace' },
  post_processor: null,
  decoder: null,
  model: { type: 'WordLevel', vocab: Object.fromEntries(VOCAB.map((word, id) => [word, id])), unk_token: '[UNK]' },
});

function model2vec(normalize: boolean, dtype: 'F32' | 'F16' = 'F32') {
  return staticModelFromFiles({
    safetensors: writeSafetensors({ embeddings: { dtype, shape: [VOCAB.length, D], values: matrix } }),
    tokenizer: tokenizerJson,
    config: JSON.stringify({ model_type: 'model2vec', normalize, hidden_dim: D }),
  });
}

/** The mean of the rows of the known words of `text` (unknown words left out, as Model2Vec does). */
function expected(text: string, normalize: boolean): number[] {
  const ids = text.toLowerCase().split(/\s+/).filter(Boolean).map((w) => VOCAB.indexOf(w)).filter((id) => id > 0);
  if (ids.length === 0) return new Array<number>(D).fill(0);
  const mean = Array.from({ length: D }, (_, d) => ids.reduce((s, id) => s + row(id)[d]!, 0) / ids.length);
  if (!normalize) return mean;
  const length = Math.hypot(...mean);
  return mean.map((x) => x / length);
}

function close(actual: ArrayLike<number>, wanted: number[], digits = 5) {
  expect(actual).toHaveLength(wanted.length);
  wanted.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, digits));
}

describe('parseSafetensors', () => {
  it('reads F32, F16, BF16, F64 and I8 tensors written byte by byte, with metadata', () => {
    const values = [0, 1, -2.5, 0.333, 65504, -1e-3];
    const file = parseSafetensors(
      writeSafetensors(
        {
          a: { dtype: 'F32', shape: [2, 3], values },
          b: { dtype: 'F16', shape: [6], values },
          c: { dtype: 'BF16', shape: [3, 2], values },
          d: { dtype: 'F64', shape: [6], values },
          e: { dtype: 'I8', shape: [3], values: [-128, 0, 127] },
        },
        { format: 'pt' },
      ),
    );
    expect(file.metadata).toEqual({ format: 'pt' });
    close(file.tensors.get('a')!.values(), values);
    close(file.tensors.get('b')!.values(), values, 2);
    // bfloat16 keeps 8 bits of mantissa: within 1% of each value.
    file.tensors.get('c')!.values().forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThanOrEqual(Math.abs(values[i]!) / 100));
    close(file.tensors.get('d')!.values(), values);
    expect(Array.from(file.tensors.get('e')!.values())).toEqual([-128, 0, 127]);
    expect(file.tensors.get('a')!.shape).toEqual([2, 3]);
  });

  it('decodes every float16 bit pattern like the IEEE definition', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('fails with CORRUPT_DATA on every truncation of the file', () => {
    const bytes = writeSafetensors({ embeddings: { dtype: 'F32', shape: [VOCAB.length, D], values: matrix } });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expect(() => parseSafetensors(bytes.slice(0, length))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
      }),
    );
  });

  it('fails with CORRUPT_DATA on a header that is not JSON, offsets outside the file, or sizes that disagree', () => {
    const bytes = writeSafetensors({ t: { dtype: 'F32', shape: [2], values: [1, 2] } });
    const notJson = bytes.slice();
    notJson[8] = 0x7b + 1; // '{' → '|'
    expect(() => parseSafetensors(notJson)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    const header = (json: object) => {
      const text = new TextEncoder().encode(JSON.stringify(json));
      const out = new Uint8Array(8 + text.length + 8);
      new DataView(out.buffer).setUint32(0, text.length, true);
      out.set(text, 8);
      return out;
    };
    expect(() => parseSafetensors(header({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 800] } }))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseSafetensors(header({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseSafetensors(header({ t: { dtype: 'F32', shape: 'x', data_offsets: [0, 8] } }))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseSafetensors(header([1, 2]))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
  });

  it('reports an unsupported element type only when that tensor is read', () => {
    const text = new TextEncoder().encode(JSON.stringify({ q: { dtype: 'I4', shape: [2], data_offsets: [0, 1] } }));
    const bytes = new Uint8Array(8 + text.length + 1);
    new DataView(bytes.buffer).setUint32(0, text.length, true);
    bytes.set(text, 8);
    const file = parseSafetensors(bytes);
    expect(() => file.tensors.get('q')!.values()).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});

describe('staticModelFromFiles (Model2Vec and sentence-transformers StaticEmbedding)', () => {
  it('means the rows of the tokens, leaves the unknown token out, normalises as config.json says', async () => {
    const texts = ['Call me Ishmael', 'whale ship', 'the whale', 'nothing known here', ''];
    for (const normalize of [true, false]) {
      const embedder = model2vec(normalize);
      expect(embedder.dimensions).toBe(D);
      const out = await embedder.embed(texts);
      texts.forEach((text, i) => close(out[i]!, expected(text, normalize)));
    }
  });

  it('reads a float16 table', async () => {
    const [vector] = await model2vec(true, 'F16').embed(['whale sea']);
    close(vector!, expected('whale sea', true), 2);
  });

  it('reads a sentence-transformers StaticEmbedding (embedding.weight, Normalize in modules.json)', async () => {
    const embedder = staticModelFromFiles({
      safetensors: writeSafetensors({ 'embedding.weight': { dtype: 'F32', shape: [VOCAB.length, D], values: matrix } }),
      tokenizer: tokenizerJson,
      modules: JSON.stringify([
        { idx: 0, name: '0', path: '0_StaticEmbedding', type: 'sentence_transformers.models.StaticEmbedding' },
        { idx: 1, name: '1', path: '1_Normalize', type: 'sentence_transformers.models.Normalize' },
      ]),
    });
    // sentence-transformers keeps the unknown token's row in the mean.
    const [vector] = await embedder.embed(['whale xyz']);
    const ids = [VOCAB.indexOf('whale'), 0];
    const mean = Array.from({ length: D }, (_, d) => (row(ids[0]!)[d]! + row(ids[1]!)[d]!) / 2);
    close(vector!, mean.map((x) => x / Math.hypot(...mean)));
  });

  it('never gives NaN: every output is finite for any text', async () => {
    const embedder = model2vec(true);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), async (texts) => {
        for (const vector of await embedder.embed(texts)) expect(vector.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('gives per-token rows with spans whose normalised mean is embed(text)', async () => {
    const embedder = model2vec(true);
    const text = 'Call me   Ishmael, whale!';
    const { vectors, spans } = await embedder.embedTokens(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['Call', 'me', 'Ishmael', 'whale']);
    const sum = Array.from({ length: D }, (_, d) => vectors.reduce((s, v) => s + v[d]!, 0));
    close((await embedder.embed([text]))[0]!, sum.map((x) => x / Math.hypot(...sum)));
  });

  it('refuses a tokenizer with more tokens than the table has rows (DIMENSION_MISMATCH)', () => {
    expect(() =>
      staticModelFromFiles({
        safetensors: writeSafetensors({ embeddings: { dtype: 'F32', shape: [4, D], values: matrix.slice(0, 4 * D) } }),
        tokenizer: tokenizerJson,
      }),
    ).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('refuses a file without an embedding tensor, a damaged tokenizer.json, and vocabulary-quantised models', () => {
    const other = writeSafetensors({ weights_only: { dtype: 'F32', shape: [1], values: [1] } });
    expect(() => staticModelFromFiles({ safetensors: other, tokenizer: tokenizerJson })).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    const good = writeSafetensors({ embeddings: { dtype: 'F32', shape: [VOCAB.length, D], values: matrix } });
    expect(() => staticModelFromFiles({ safetensors: good, tokenizer: tokenizerJson.slice(0, 50) })).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    const quantised = writeSafetensors({ embeddings: { dtype: 'F32', shape: [VOCAB.length, D], values: matrix }, mapping: { dtype: 'I8', shape: [8], values: [0, 1, 2, 3, 4, 5, 6, 7] } });
    expect(() => staticModelFromFiles({ safetensors: quantised, tokenizer: tokenizerJson })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
