import type { Chunk } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { chunksToRecords, syncSource } from './chunk-records.js';
import { hitsToContext, recordToContextHit } from './context-hits.js';
import { MemoryStore } from './memory-store.js';
import { selectContext } from '../context/select-context.js';

/** Chunks of a text cut at blank lines, with exact offsets. */
function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (const match of text.matchAll(/[^\n]+/g)) {
    const start = match.index;
    chunks.push({ text: match[0], start, end: start + match[0].length, index: chunks.length, tokenCount: match[0].split(' ').length });
  }
  return chunks;
}

const words = { name: 'words', encode: () => new Uint32Array(), decode: () => '', count: (t: string) => t.split(/\s+/).filter(Boolean).length };

describe('syncSource', () => {
  it('re-indexing a file that shrank leaves none of its old chunks', async () => {
    const store = new MemoryStore();
    const v1 = 'Call me Ishmael.\nThe white whale.\nThe try-works at night.\nA squall off Cape Horn.';
    const v2 = 'Call me Ishmael.\nThe grey squid.';
    expect(await syncSource(store, 'notes.md', chunksOf(v1), (c) => ({ chapter: c.index < 2 ? 'one' : 'two' }))).toEqual({ source: 'notes.md', added: 4, updated: 0, removed: 0, unchanged: 0 });
    expect(await syncSource(store, 'notes.md', chunksOf(v2), (c) => ({ chapter: c.index < 2 ? 'one' : 'two' }))).toEqual({ source: 'notes.md', added: 0, updated: 1, removed: 2, unchanged: 1 });
    expect(await store.count()).toBe(2);
    expect(await store.searchText('squall')).toEqual([]);
    // Every hit's offsets point into the current text.
    for (const hit of await hitsToContext(store, await store.searchText('ishmael squid'))) {
      expect(v2.slice(hit.start, hit.end)).toBe(hit.text);
      expect(hit.docId).toBe('notes.md');
    }
  });

  it('rejects what is not a store or not chunks with INVALID_ARGUMENT', async () => {
    await expect(syncSource({} as never, 'a', [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(syncSource(new MemoryStore(), 'a', 'text' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(syncSource(new MemoryStore(), '', [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => chunksToRecords('a', [{ text: 5 } as never])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });
});

describe('hitsToContext and recordToContextHit (the inverse of chunksToRecords)', () => {
  it('turns store hits into cited context hits that selectContext puts in document order', async () => {
    const text = 'Call me Ishmael.\nSome years ago I went to sea.\nThe white whale swam.\nAhab hunted the whale.';
    const chunks = chunksOf(text);
    const store = new MemoryStore();
    await syncSource(store, 'moby.txt', chunks);
    const hits = await store.searchText('whale ishmael', { k: 5 });
    const context = await hitsToContext(store, hits);
    expect(context.map((h) => h.id)).toEqual(hits.map((h) => h.id));
    for (const hit of context) {
      const chunk = chunks[hit.chunkIndex as number] as Chunk;
      expect(hit).toEqual({ id: `moby.txt#${chunk.index}`, score: hits.find((h) => h.id === hit.id)?.score, text: chunk.text, docId: 'moby.txt', start: chunk.start, end: chunk.end, chunkIndex: chunk.index });
    }
    const selected = selectContext(context, { budgetTokens: 100, tokenizer: words });
    expect(selected.passages.map((p) => p.start)).toEqual([...selected.passages.map((p) => p.start)].sort((a, b) => (a as number) - (b as number)));
    // A custom document id, and a hit whose record is gone.
    await store.delete(['moby.txt#0']);
    const custom = await hitsToContext(store, hits, { docId: (r) => `${String(r.meta?.source)}:${r.meta?.index === 3 ? 'end' : 'start'}` });
    expect(custom.map((h) => h.docId)).toEqual(hits.filter((h) => h.id !== 'moby.txt#0').map((h) => (h.id === 'moby.txt#3' ? 'moby.txt:end' : 'moby.txt:start')));
    expect(recordToContextHit({ id: 'x', text: 'plain' }, 1)).toEqual({ id: 'x', score: 1, text: 'plain' });
    await expect(hitsToContext(store, 'x' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => recordToContextHit(null as never, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });
});
