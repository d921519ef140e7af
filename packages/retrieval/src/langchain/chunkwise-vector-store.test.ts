import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { isChunkwiseError } from '@chunkwise/core';
import { FakeEmbeddings } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../stores/memory-store.js';
import { PostgresStore } from '../stores/postgres-store.js';
import { SqliteStore } from '../stores/sqlite-store.js';
import { DIMENSIONS, vectorStoreContract } from './__fixtures__/vector-store-contract.js';
import { ChunkwiseVectorStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-langchain-'));
let files = 0;
let pglite: PGlite | undefined;
let tables = 0;
beforeAll(async () => {
  pglite = await PGlite.create({ extensions: { vector } });
});
afterAll(async () => {
  await pglite?.close();
  rmSync(dir, { recursive: true, force: true });
});

vectorStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
vectorStoreContract('MemoryStore with HNSW', () => Promise.resolve(new MemoryStore({ hnsw: { M: 8 } })));
vectorStoreContract('SqliteStore', () => Promise.resolve(SqliteStore.open(join(dir, `store-${files++}.db`))));
// PostgresStore.close() would end the shared PGlite; each test gets its own table instead.
vectorStoreContract('PostgresStore/PGlite', async () => {
  const store = await PostgresStore.open(pglite as PGlite, { dimensions: DIMENSIONS, table: `lc${tables++}` });
  return Object.assign(store, { close: () => Promise.resolve() });
});

describe('ChunkwiseVectorStore', () => {
  it('defaults to a MemoryStore and refuses what is not LangChain Embeddings or a Chunkwise store', async () => {
    const vs = await ChunkwiseVectorStore.fromTexts(['Call me Ishmael.'], { book: 'moby' }, new FakeEmbeddings());
    expect(vs.store).toBeInstanceOf(MemoryStore);
    expect(vs._vectorstoreType()).toBe('chunkwise');
    expect((await vs.similaritySearch('anything', 1))[0]?.metadata).toEqual({ book: 'moby' });
    const codeOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return isChunkwiseError(error) ? error.code : 'untyped';
      }
      return 'no error';
    };
    expect(codeOf(() => new ChunkwiseVectorStore({} as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseVectorStore(new FakeEmbeddings(), { store: {} as never }))).toBe('INVALID_ARGUMENT');
  });
});
