import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { caught } from '../__fixtures__/caught.js';
import { TINY_MODEL_HIDDEN as HIDDEN, TINY_MODEL_VOCAB as VOCAB, tinyModelRow as tableRow, writeTinyTransformersModel as writeTinyModel } from '../testing/tiny-transformers-model.js';
import { transformersEmbedder, type TransformersEmbedder } from './transformers-embedder.js';

let root: string;
let modelDir: string;
let shared: TransformersEmbedder;
const networkCalls: string[] = [];
const realEnvFetch = env.fetch;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'chunkwise-tjs-'));
  modelDir = writeTinyModel(join(root, 'tiny'));
  shared = transformersEmbedder({ modelPath: modelDir });
  await shared.load();
});
afterAll(async () => {
  await shared.dispose();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  // Any attempt to reach the network, through transformers.js or globally, is recorded and fails.
  const deny = async (url: unknown) => {
    networkCalls.push(String(url));
    throw new Error(`network access in a test: ${String(url)}`);
  };
  env.fetch = deny as typeof env.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(deny);
});
afterEach(() => {
  env.fetch = realEnvFetch;
  vi.restoreAllMocks();
  expect(networkCalls).toEqual([]);
});

function ids(text: string): number[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => Math.max(0, VOCAB.indexOf(word)));
}

/** Mean of the table rows of the text's tokens, optionally L2-normalised: what the model must give. */
function expected(text: string, normalize = true): number[] {
  const rows = ids(text).map(tableRow);
  const mean = Array.from({ length: HIDDEN }, (_, d) => rows.reduce((sum, row) => sum + row[d]!, 0) / rows.length);
  if (!normalize) return mean;
  const norm = Math.hypot(...mean);
  return mean.map((v) => v / norm);
}

function close(actual: Float32Array, wanted: number[]): void {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(wanted[i]!, 5));
}

describe('transformersEmbedder on a tiny local ONNX model', () => {
  it('mean-pools and normalises token vectors, one Float32Array per text, in order', async () => {
    const texts = ['whale ship', 'Call me Ishmael', 'sea'];
    const vectors = await shared.embed(texts);
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    texts.forEach((text, i) => close(vectors[i]!, expected(text)));
    expect(shared.dimensions).toBe(HIDDEN);
  });

  it('knows its dimensions right after load(), before any embed()', async () => {
    const fresh = transformersEmbedder({ modelPath: modelDir });
    try {
      expect(fresh.dimensions).toBe(0);
      await fresh.load();
      expect(fresh.dimensions).toBe(HIDDEN);
    } finally {
      await fresh.dispose();
    }
  });

  it('reports a wrong `dimensions` option at load() with DIMENSION_MISMATCH', async () => {
    const wrong = transformersEmbedder({ modelPath: modelDir, dimensions: 384 });
    try {
      const error = await caught(wrong.load());
      expect(error.code).toBe('DIMENSION_MISMATCH');
      expect(error.details).toMatchObject({ expected: 384, actual: HIDDEN });
    } finally {
      await wrong.dispose();
    }
  });

  it('gives the same vector alone and padded in a batch (the mask excludes padding)', async () => {
    const alone = await shared.embed(['sea']);
    const batched = await shared.embed(['white whale captain ship sea', 'sea']);
    close(batched[1]!, Array.from(alone[0]!));
  });

  it('splits into batches of batchSize without changing results', async () => {
    const texts = ['whale', 'ship sea', 'white whale', 'captain', 'unknownword sea'];
    const small = transformersEmbedder({ modelPath: modelDir, batchSize: 2 });
    try {
      const vectors = await small.embed(texts);
      texts.forEach((text, i) => close(vectors[i]!, expected(text)));
    } finally {
      await small.dispose();
    }
  });

  it('honours normalize: false and pooling: cls', async () => {
    const raw = transformersEmbedder({ modelPath: modelDir, normalize: false });
    const cls = transformersEmbedder({ modelPath: modelDir, pooling: 'cls', normalize: false });
    try {
      close((await raw.embed(['whale ship']))[0]!, expected('whale ship', false));
      close((await cls.embed(['whale ship']))[0]!, tableRow(VOCAB.indexOf('whale')));
    } finally {
      await raw.dispose();
      await cls.dispose();
    }
  });

  it('throws DIMENSION_MISMATCH when the model disagrees with `dimensions`', async () => {
    const wrong = transformersEmbedder({ modelPath: modelDir, dimensions: 384 });
    try {
      expect(wrong.dimensions).toBe(384);
      const error = await caught(wrong.embed(['sea']));
      expect(error.code).toBe('DIMENSION_MISMATCH');
      expect(error.details).toMatchObject({ expected: 384, actual: HIDDEN });
    } finally {
      await wrong.dispose();
    }
  });

  it('returns [] for no texts and ABORTED for a fired signal', async () => {
    expect(await shared.embed([])).toEqual([]);
    expect((await caught(shared.embed(['sea'], { signal: AbortSignal.abort() }))).code).toBe('ABORTED');
  });
});

describe('transformersEmbedder never downloads', () => {
  it('refuses a hub model id with NOT_FOUND instead of fetching it', async () => {
    const hub = transformersEmbedder({ modelPath: 'Xenova/all-MiniLM-L6-v2' });
    const error = await caught(hub.embed(['hello']));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/Remote loading is disabled/);
    expect(error.details?.modelPath).toBe(join(process.cwd(), 'Xenova/all-MiniLM-L6-v2'));
  });

  it('refuses a folder without its ONNX weights with NOT_FOUND, naming the missing file', async () => {
    const broken = writeTinyModel(join(root, 'broken'));
    unlinkSync(join(broken, 'onnx', 'model.onnx'));
    const error = await caught(transformersEmbedder({ modelPath: broken }).load());
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('model.onnx');
  });

  it('rejects bad options up front', () => {
    expect(() => transformersEmbedder({ modelPath: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => transformersEmbedder({ modelPath: 'x', batchSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => transformersEmbedder({ modelPath: 'x', dimensions: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
