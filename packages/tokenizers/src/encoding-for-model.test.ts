import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { encodingForModel } from './encoding-for-model.js';

const require = createRequire(import.meta.url);
const tiktokenTable = JSON.parse(readFileSync(join(dirname(require.resolve('tiktoken')), 'model_to_encoding.json'), 'utf8')) as Record<string, string>;

describe('encodingForModel', () => {
  it('agrees with every model in npm tiktoken’s table (its gpt2 encoding is r50k_base)', () => {
    const disagreements = Object.entries(tiktokenTable)
      .map(([model, encoding]) => [model, encoding === 'gpt2' ? 'r50k_base' : encoding, encodingForModel(model)])
      .filter(([, expected, actual]) => expected !== actual);
    expect(disagreements).toEqual([]);
    expect(Object.keys(tiktokenTable).length).toBeGreaterThan(100);
  });

  it.each([
    ['gpt-4o-2024-05-13', 'o200k_base'],
    ['gpt-4.1-mini', 'o200k_base'],
    ['o3-pro', 'o200k_base'],
    ['gpt-5-codex', 'o200k_base'],
    ['gpt-oss-120b', 'o200k_harmony'],
    ['gpt-oss-20b', 'o200k_harmony'],
    ['ft:gpt-4o-mini:acme::abc123', 'o200k_base'],
    ['ft:gpt-3.5-turbo:acme::x', 'cl100k_base'],
    ['gpt-4-32k', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
  ])('maps %s to %s', (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });

  it('throws NOT_FOUND for unknown models instead of guessing', () => {
    let error: unknown;
    try {
      encodingForModel('llama-3-70b');
    } catch (caught) {
      error = caught;
    }
    expect(isChunkwiseError(error, 'NOT_FOUND')).toBe(true);
    expect(() => encodingForModel('toString')).toThrow();
  });
});
