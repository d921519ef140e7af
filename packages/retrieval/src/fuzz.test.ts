import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { isChunkwiseError } from '@chunkwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as postgres from './postgres.js';
import * as sqlite from './sqlite.js';

/**
 * Every export called with wrong types, one argument (or one option) at a time, in an otherwise
 * valid call: the answer must be a result or a ChunkwiseError with a code, never a TypeError, a
 * RangeError or a crash.
 */
const WRONG: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['true', true],
  ['0', 0],
  ['-1', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['1.5', 1.5],
  ['""', ''],
  ['"text"', 'text'],
  ['[]', []],
  ['[1, "a"]', [1, 'a']],
  ['[null]', [null]],
  ['{}', {}],
  ['{ length: 3 }', { length: 3 }],
  ['a function', () => 0],
  ['a Date', new Date(0)],
  ['a Symbol', Symbol('x')],
  ['10n', 10n],
  ['a Uint8Array', new Uint8Array(4)],
  ['a null-prototype object', Object.create(null) as unknown],
  ['a hit-like object with wrong field types', { id: 5, text: 5, score: 'x', vector: 'v', meta: 'm' }],
];

interface Case {
  name: string;
  /** A valid argument list. */
  args: unknown[];
  call: (...args: never[]) => unknown;
  /** Argument positions that are option objects: each key gets every wrong value too. */
  options?: Record<number, string[]>;
  /** Argument positions that are file paths: strings would create files, so they get only the non-strings. */
  paths?: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-fuzz-'));
let pg: PGlite | undefined;
let files = 0;
afterAll(async () => {
  await pg?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function outcome(fn: () => unknown): Promise<string> {
  try {
    const result = await fn();
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) for await (const _ of result as AsyncIterable<unknown>) void _;
    return 'ok';
  } catch (error) {
    if (isChunkwiseError(error)) return 'ok';
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

async function fuzz(cases: Case[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const variants: [string, unknown[]][] = [];
    c.args.forEach((_, i) => {
      for (const [label, value] of WRONG) {
        if (c.paths?.includes(i) && typeof value === 'string') continue;
        const args = [...c.args];
        args[i] = value;
        variants.push([`argument ${i} = ${label}`, args]);
      }
      for (const key of c.options?.[i] ?? []) {
        for (const [label, value] of WRONG) {
          const args = [...c.args];
          args[i] = { ...(c.args[i] as object), [key]: value };
          variants.push([`argument ${i}.${key} = ${label}`, args]);
        }
      }
    });
    for (const [what, args] of variants) {
      const result = await outcome(() => c.call(...(args as never[])));
      if (result !== 'ok') failures.push(`${c.name}(${what}): ${result}`);
    }
  }
  return failures;
}

const words = { name: 'words', encode: () => new Uint32Array(), decode: () => '', count: (t: string) => t.split(/\s+/).filter(Boolean).length };
const hits = [
  { id: 'a', score: 2, text: 'the white whale', docId: 'moby', start: 0, end: 15 },
  { id: 'b', score: 1, text: 'the try-works', docId: 'moby', start: 20, end: 33 },
];
const records = () => [
  { id: 'a', text: 'the white whale', meta: { source: 's' }, vector: [1, 0, 0] },
  { id: 'b', text: 'the try-works', meta: { source: 's' }, vector: [0, 1, 0] },
];
const chunks = [{ text: 'the white whale', start: 0, end: 15, index: 0, tokenCount: 3 }];

/** Stores opened by the store cases: one per case, shared by its variants, closed at the end. */
const openStores: main.Store[] = [];

function storeCases(name: string, open: () => Promise<main.Store>, vectors: boolean): Case[] {
  const withStore = <A extends unknown[]>(fn: (store: main.Store, ...args: A) => unknown) => {
    let store: Promise<main.Store> | undefined;
    return async (...args: A) => {
      store ??= open().then(async (s) => {
        openStores.push(s);
        await s.upsert(vectors ? records() : records().map(({ vector: _v, ...r }) => r));
        return s;
      });
      return fn(await store, ...args);
    };
  };
  return [
    { name: `${name}.upsert`, args: [records()], call: withStore((s, r: never) => s.upsert(r)) },
    { name: `${name}.upsert one record`, args: [{ id: 'c', text: 'a record', meta: { n: 1 } }], call: withStore((s, r: never) => s.upsert([r])), options: { 0: ['id', 'text', 'fields', 'meta', 'vector'] } },
    { name: `${name}.delete`, args: [['a']], call: withStore((s, ids: never) => s.delete(ids)) },
    { name: `${name}.get`, args: ['a'], call: withStore((s, id: never) => s.get(id)) },
    { name: `${name}.searchText`, args: ['whale', { k: 2, filter: { source: 's' } }], call: withStore((s, q: never, o: never) => s.searchText(q, o)), options: { 1: ['k', 'filter'] } },
    ...(vectors ? [{ name: `${name}.searchVector`, args: [[1, 0, 0], { k: 2 }], call: withStore((s, v: never, o: never) => s.searchVector(v, o)), options: { 1: ['k', 'filter'] } }] : []),
    { name: `${name}.records`, args: [{ batchSize: 1 }], call: withStore((s, o: never) => s.records(o)), options: { 0: ['batchSize', 'signal'] } },
    { name: `${name}.replaceSource`, args: ['s', [{ id: 'x', text: 'new text', meta: { source: 's' } }]], call: withStore((s, source: never, r: never) => s.replaceSource(source, r)) },
    { name: `syncSource on ${name}`, args: ['doc.md', chunks, () => ({ chapter: 'one' })], call: withStore((s, source: never, c: never, extra: never) => main.syncSource(s, source, c, extra)) },
    { name: `hitsToContext on ${name}`, args: [[{ id: 'a', score: 1 }], {}], call: withStore((s, h: never, o: never) => main.hitsToContext(s, h, o)), options: { 1: ['docId'] } },
    { name: `migrateStore from ${name}`, args: [{ check: true, batchSize: 2 }], call: withStore((s, o: never) => main.migrateStore(s, new main.MemoryStore(), o)), options: { 0: ['check', 'batchSize', 'signal', 'onProgress'] } },
  ];
}

describe('every export, called with wrong types', () => {
  beforeAll(async () => {
    pg = await PGlite.create({ extensions: { vector } });
  });

  it('answers with a result or a ChunkwiseError, never a TypeError', async () => {
    const bm25 = () => new main.BM25Index().add('a', 'the white whale').add('b', 'the try-works');
    const snapshot = bm25().save();
    const vectorsIndex = () => new main.VectorIndex({ dimensions: 3 }).add('a', [1, 0, 0]).add('b', [0, 1, 0]);
    const hnsw = () => new main.HNSWIndex({ dimensions: 3, M: 4 }).add('a', [1, 0, 0]).add('b', [0, 1, 0]);
    const hnswBytes = hnsw().save();
    const cases: Case[] = [
      { name: 'resolveAnalyzer', args: ['simple'], call: main.resolveAnalyzer as never },
      { name: 'simpleAnalyzer', args: ['Call me Ishmael'], call: main.simpleAnalyzer as never },
      { name: 'englishAnalyzer', args: ['Call me Ishmael'], call: main.englishAnalyzer as never },
      { name: 'cjkAnalyzer', args: ['東京都 is big'], call: main.cjkAnalyzer as never },
      { name: 'new BM25Index', args: [{ k1: 1.2, b: 0.75, analyzer: 'simple', fields: { text: 1 } }], call: (o: never) => new main.BM25Index(o), options: { 0: ['k1', 'b', 'analyzer', 'fields'] } },
      { name: 'BM25Index.add', args: ['c', 'a sea', { n: 1 }], call: (id: never, doc: never, meta: never) => bm25().add(id, doc, meta) },
      { name: 'BM25Index.add fields', args: ['c', { text: 'a sea' }], call: (id: never, doc: never) => new main.BM25Index({ fields: { text: 1, title: 2 } }).add(id, doc) },
      { name: 'BM25Index.addAll', args: [[{ id: 'c', doc: 'a sea' }]], call: (docs: never) => bm25().addAll(docs) },
      { name: 'BM25Index.update', args: ['a', 'a sea'], call: (id: never, doc: never) => bm25().update(id, doc) },
      { name: 'BM25Index.remove', args: ['a'], call: (id: never) => bm25().remove(id) },
      { name: 'BM25Index.has / meta / documentFrequency', args: ['a'], call: (id: never) => [bm25().has(id), bm25().meta(id), bm25().documentFrequency(id)] },
      { name: 'BM25Index.analyzeQuery', args: ['the whale'], call: (q: never) => bm25().analyzeQuery(q) },
      { name: 'BM25Index.search', args: ['whale', { k: 2, pruning: true, filter: () => true }], call: (q: never, o: never) => bm25().search(q, o), options: { 1: ['k', 'pruning', 'filter'] } },
      { name: 'BM25Index.load', args: [snapshot, {}], call: (bytes: never, o: never) => main.BM25Index.load(bytes, o), options: { 1: ['k1', 'analyzer', 'fields'] } },
      { name: 'new VectorIndex', args: [{ dimensions: 3, metric: 'cosine' }], call: (o: never) => new main.VectorIndex(o), options: { 0: ['dimensions', 'metric'] } },
      { name: 'VectorIndex.add', args: ['c', [1, 1, 0], { n: 1 }], call: (id: never, v: never, m: never) => vectorsIndex().add(id, v, m) },
      { name: 'VectorIndex.addAll', args: [[{ id: 'c', vector: [1, 1, 0] }]], call: (items: never) => vectorsIndex().addAll(items) },
      { name: 'VectorIndex.remove / vector / meta / has', args: ['a'], call: (id: never) => [vectorsIndex().has(id), vectorsIndex().vector(id), vectorsIndex().meta(id), vectorsIndex().remove(id)] },
      { name: 'VectorIndex.search', args: [[1, 0, 0], { k: 1 }], call: (q: never, o: never) => vectorsIndex().search(q, o), options: { 1: ['k', 'filter'] } },
      { name: 'VectorIndex.searchBatch', args: [[[1, 0, 0]], { k: 1 }], call: (q: never, o: never) => vectorsIndex().searchBatch(q, o) },
      { name: 'new HNSWIndex', args: [{ dimensions: 3, metric: 'cosine', M: 4, efConstruction: 8, efSearch: 8 }], call: (o: never) => new main.HNSWIndex(o), options: { 0: ['dimensions', 'metric', 'M', 'efConstruction', 'efSearch'] } },
      { name: 'HNSWIndex.add', args: ['c', [1, 1, 0], { n: 1 }], call: (id: never, v: never, m: never) => hnsw().add(id, v, m) },
      { name: 'HNSWIndex.addAll', args: [[{ id: 'c', vector: [1, 1, 0] }]], call: (items: never) => hnsw().addAll(items) },
      { name: 'HNSWIndex.remove / has', args: ['a'], call: (id: never) => [hnsw().has(id), hnsw().remove(id).rebuild()] },
      { name: 'HNSWIndex.search', args: [[1, 0, 0], { k: 1, efSearch: 8 }], call: (q: never, o: never) => hnsw().search(q, o), options: { 1: ['k', 'efSearch', 'filter'] } },
      { name: 'HNSWIndex.load', args: [hnswBytes, {}], call: (bytes: never, o: never) => main.HNSWIndex.load(bytes, o), options: { 1: ['seed'] } },
      { name: 'reciprocalRankFusion', args: [[[{ id: 'a', score: 1 }], [{ id: 'b', score: 2 }]], { k: 60, weights: [1, 2], limit: 1 }], call: main.reciprocalRankFusion as never, options: { 1: ['k', 'weights', 'limit'] } },
      { name: 'convexCombination', args: [[[{ id: 'a', score: 1 }], [{ id: 'b', score: 2 }]], { weights: [1, 2], normalization: 'minmax' }], call: main.convexCombination as never, options: { 1: ['weights', 'normalization'] } },
      { name: 'maximalMarginalRelevance', args: [[1, 0, 0], [{ id: 'a', vector: [1, 0, 0] }, { id: 'b', vector: [0, 1, 0] }], { k: 1, lambda: 0.5 }], call: main.maximalMarginalRelevance as never, options: { 2: ['k', 'lambda'] } },
      ...(['selectContext', 'selectContextAsync'] as const).map((fn) => ({
        name: fn,
        args: [hits, { budgetTokens: 10, tokenizer: words, strategy: 'top-k', k: 2, separator: '\n', scoreDrop: { threshold: 0.5 }, search: { iterations: 4 }, expand: { neighbours: 0 } }],
        call: main[fn] as never,
        options: { 1: ['budgetTokens', 'tokenizer', 'strategy', 'k', 'separator', 'scoreDrop', 'search', 'expand'] },
      })),
      { name: 'selectContext search strategy', args: [hits, { budgetTokens: 10, tokenizer: words, strategy: 'search', search: { iterations: 4 } }], call: main.selectContext as never, options: { 1: ['search'] } },
      { name: 'redundancyDiscountedUtility', args: [[{ id: 'a', ids: ['a'], text: 'the whale', docId: 'd', start: 0, end: 9, score: 1, tokens: 2 }]], call: main.redundancyDiscountedUtility as never },
      { name: 'new MemoryStore', args: [{ dimensions: 3, metric: 'cosine', analyzer: 'simple', fields: { title: 2 }, k1: 1.2, b: 0.75, hnsw: { M: 4 } }], call: (o: never) => new main.MemoryStore(o), options: { 0: ['dimensions', 'metric', 'analyzer', 'fields', 'k1', 'b', 'hnsw'] } },
      ...storeCases('MemoryStore', () => Promise.resolve(new main.MemoryStore()), true),
      { name: 'chunksToRecords', args: ['doc.md', chunks, () => ({})], call: main.chunksToRecords as never },
      { name: 'chunksToRecords chunk', args: [chunks[0]], call: (c: never) => main.chunksToRecords('doc.md', [c]), options: { 0: ['text', 'start', 'end', 'index', 'tokenCount'] } },
      { name: 'recordToContextHit', args: [{ id: 'a', text: 'x', meta: { source: 's', start: 0, end: 1, index: 0 } }, 1, {}], call: main.recordToContextHit as never, options: { 0: ['id', 'text', 'meta'], 2: ['docId'] } },
      { name: 'migrateStore', args: [new main.MemoryStore(), new main.MemoryStore()], call: main.migrateStore as never },
      { name: 'SqliteStore.open', args: [join(dir, 'open.db'), { snapshots: true, busyTimeoutMs: 100, dimensions: 3, analyzer: 'english', fields: { title: 2 } }], call: (p: never, o: never) => sqlite.SqliteStore.open(p, o).close(), paths: [0], options: { 1: ['snapshots', 'busyTimeoutMs', 'dimensions', 'metric', 'analyzer', 'fields', 'k1', 'b', 'hnsw'] } },
      ...storeCases('SqliteStore', () => Promise.resolve(sqlite.SqliteStore.open(join(dir, `store-${files++}.db`))), true),
      { name: 'verifySqliteStore', args: [join(dir, 'open.db')], call: sqlite.verifySqliteStore as never, paths: [0] },
      { name: 'recoverSqliteStore', args: [join(dir, 'open.db'), join(dir, 'recovered.db'), {}], call: sqlite.recoverSqliteStore as never, paths: [0, 1] },
      { name: 'PostgresStore.open', args: [null, { table: 'fuzz_open', dimensions: 3, metric: 'cosine', analyzer: 'simple', fields: {}, k1: 1.2, b: 0.75, hnsw: { m: 4, efConstruction: 8 } }], call: (c: never, o: never) => postgres.PostgresStore.open(c ?? (pg as never), o), options: { 1: ['table', 'dimensions', 'metric', 'analyzer', 'fields', 'k1', 'b', 'hnsw'] } },
      ...storeCases('PostgresStore', () => postgres.PostgresStore.open(pg as PGlite, { table: `fuzz_${files++}`, dimensions: 3 }), true),
    ];
    const failures = await fuzz(cases);
    for (const store of openStores) await store.close();
    expect(failures).toEqual([]);
  }, 600_000);
});
