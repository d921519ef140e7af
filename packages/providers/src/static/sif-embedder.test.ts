import fc from 'fast-check';
import { LateChunker } from '@chunkwise/chunking';
import { beforeAll, describe, expect, it } from 'vitest';
import { mobyDickParagraphs, mobyDickSections, mobyDickVocabulary, randomTable } from './__fixtures__/corpus.js';
import { SifEmbedder } from './sif-embedder.js';
import type { SifState } from './sif-state.js';
import { WordVectors } from './word-vectors.js';

const D = 24;
let vectors: WordVectors;
let paragraphs: string[];

beforeAll(() => {
  // The 3,000 most frequent words of Moby Dick, most frequent first, with seeded random vectors.
  vectors = WordVectors.fromBytes(randomTable(mobyDickVocabulary(3000), D).bytes);
  paragraphs = mobyDickParagraphs().slice(0, 400);
});

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);

describe('SifEmbedder', () => {
  it('gives one finite vector per text, unit length or exactly zero, for any string', async () => {
    const embedder = new SifEmbedder(vectors);
    embedder.fit(paragraphs);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...paragraphs.slice(0, 20)), fc.constant(''))), async (texts) => {
        const out = await embedder.embed(texts);
        expect(out).toHaveLength(texts.length);
        for (const vector of out) {
          expect(vector).toHaveLength(D);
          expect(vector.every(Number.isFinite)).toBe(true);
          const length = norm(vector);
          expect(length === 0 || Math.abs(length - 1) < 1e-5).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('embeds empty texts, punctuation, numbers and unknown words to the zero vector', async () => {
    const embedder = new SifEmbedder(vectors);
    const out = await embedder.embed(['', '   ', '!?…', '12345', 'qwxzzy blorp', '東京']);
    for (const vector of out) expect(Array.from(vector)).toEqual(new Array(D).fill(0));
  });

  it('embeds each text independently of the others in the call', async () => {
    const embedder = new SifEmbedder(vectors);
    embedder.fit(paragraphs);
    const together = await embedder.embed(paragraphs.slice(0, 30));
    for (let i = 0; i < 30; i += 7) expect(Array.from((await embedder.embed([paragraphs[i]!]))[0]!)).toEqual(Array.from(together[i]!));
  });

  it('down-weights frequent words: a / (a + p(w)) falls with the word’s frequency', async () => {
    const embedder = new SifEmbedder(vectors);
    embedder.fit(paragraphs);
    const ratio = async (word: string) => {
      const { vectors: [weighted] } = await new SifEmbedder(vectors, { state: embedder.state() }).embedTokens(word);
      return norm(weighted!) / norm(vectors.vector(vectors.lookup(word)));
    };
    // Without a component (unfitted) the ratio is exactly the weight; fitted, compare the counts instead.
    const plain = new SifEmbedder(vectors);
    const w = async (word: string) => norm((await plain.embedTokens(word)).vectors[0]!) / norm(vectors.vector(vectors.lookup(word)));
    expect(await w('the')).toBeLessThan(await w('whale'));
    expect(await w('whale')).toBeLessThan(await w('harpoon'));
    expect(await ratio('harpoon')).toBeGreaterThan(0);
    const counts = new Map(embedder.state().counts);
    expect(counts.get('the')!).toBeGreaterThan(counts.get('whale')!);
  });

  it('removes the first principal component: fitted outputs are orthogonal to it', async () => {
    const embedder = new SifEmbedder(vectors);
    const state = embedder.fit(paragraphs);
    expect(state.component).toHaveLength(D);
    expect(norm(state.component!)).toBeCloseTo(1, 6);
    for (const vector of await embedder.embed(paragraphs.slice(0, 50))) expect(Math.abs(dot(vector, state.component!))).toBeLessThan(1e-5);
  });

  it('round-trips its fitted state through JSON: the same embeddings, bit for bit', async () => {
    const fitted = new SifEmbedder(vectors);
    fitted.fit(paragraphs);
    const stored = JSON.parse(JSON.stringify(fitted.state())) as SifState;
    const restored = new SifEmbedder(vectors, { state: stored });
    expect(restored.fitted).toBe(true);
    const texts = paragraphs.slice(100, 140);
    const a = await fitted.embed(texts);
    const b = await restored.embed(texts);
    a.forEach((vector, i) => expect(Array.from(b[i]!)).toEqual(Array.from(vector)));
  });

  it('refuses a state from other vectors, another size, or damaged', () => {
    const fitted = new SifEmbedder(vectors);
    const state = fitted.fit(paragraphs.slice(0, 20));
    const other = WordVectors.fromBytes(randomTable(mobyDickVocabulary(3000), D, {}, 99).bytes);
    const smaller = WordVectors.fromBytes(randomTable(mobyDickVocabulary(50), 8).bytes);
    expect(() => new SifEmbedder(other, { state })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new SifEmbedder(smaller, { state })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    for (const damaged of [{ ...state, component: state.component!.map(() => Number.NaN) }, { ...state, counts: [['x', -1]] }, { ...state, version: 2 }, null, 'state']) {
      expect(() => new SifEmbedder(vectors, { state: damaged as SifState })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('keeps one text’s own direction when fitted on a single text (no component from one vector)', async () => {
    const embedder = new SifEmbedder(vectors);
    expect(embedder.fit([paragraphs[0]!]).component).toBeNull();
    expect(norm((await embedder.embed([paragraphs[0]!]))[0]!)).toBeCloseTo(1, 5);
  });

  it('finds words through case, accents, curly apostrophes and hyphens', async () => {
    const embedder = new SifEmbedder(vectors);
    const [lower, upper, accented, hyphen, parts] = await embedder.embed(['whale', 'WHALE', 'whâle', 'sea-whale', 'sea whale']);
    expect(Array.from(upper!)).toEqual(Array.from(lower!));
    expect(Array.from(accented!)).toEqual(Array.from(lower!));
    expect(Array.from(hyphen!)).toEqual(Array.from(parts!));
  });

  it('honours the signal', async () => {
    await expect(new SifEmbedder(vectors).embed(['a'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('reproduces embed(chunk) for every chunk LateChunker pools from embedTokens (cosine > 0.99999)', async () => {
    const embedder = new SifEmbedder(vectors);
    const chapter = mobyDickSections()[3]!;
    embedder.fit(mobyDickSections().slice(0, 10));
    const chunks = await new LateChunker({ embedder, maxTokens: 1500, tokenizer: embedder.tokenizer }).chunk(chapter);
    expect(chunks.length).toBeGreaterThan(3);
    const direct = await embedder.embed(chunks.map((chunk) => chunk.text));
    chunks.forEach((chunk, i) => {
      const pooled = chunk.meta!.embedding as Float32Array;
      expect(chapter.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(dot(pooled, direct[i]!)).toBeGreaterThan(0.99999);
    });
  });
});
