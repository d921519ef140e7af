import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HNSWIndex, VectorIndex } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import type { BenchCase, Suite } from '../harness.js';
import { scaleCases, scaleNotes } from './retrieval/bm25-scale.js';
import { chunkwiseEngine, miniSearchEngine, oramaEngine, winkEngine, type LexicalEngine } from './retrieval/lexical-engines.js';
import { sotuCorpus, type Query, type SotuCorpus } from './retrieval/sotu-corpus.js';
import { clusteredVectors } from './retrieval/vectors.js';

const require = createRequire(import.meta.url);

/** Vector benchmark size: 100,000 × 384 takes far longer than this suite's budget to build in JS here. */
const VECTOR_COUNT = Number(process.env.CHUNKWISE_BENCH_VECTORS ?? 20_000);
const DIMENSIONS = 384;
const VECTOR_QUERIES = 200;
const HNSW_PARAMS = { M: 16, efConstruction: 100 };
/** Quality is measured on this many queries of each set (MiniSearch needs ~0.2 s per held-out query). */
const QUALITY_QUERIES = 100;

let corpus: SotuCorpus | undefined;
const getCorpus = () => (corpus ??= sotuCorpus(1000, 1000));

const built = { ours: chunkwiseEngine(), wink: winkEngine() };
let buildOnce: Promise<void> | undefined;
const buildQueryEngines = () =>
  (buildOnce ??= (async () => {
    const { passages } = getCorpus();
    await built.ours.build(passages);
    await built.wink.build(passages);
  })());

/** One store file of every passage, written once; opened with and without its saved index. */
let storeFile: Promise<string> | undefined;
const getStoreFile = () =>
  (storeFile ??= (async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'chunkwise-bench-')), 'sotu.db');
    const store = SqliteStore.open(path);
    await store.upsert(getCorpus().passages.map((p) => ({ id: p.id, text: p.text })));
    await store.close(); // saves the index snapshot
    return path;
  })());

async function openStore(path: string, snapshots: boolean): Promise<void> {
  const store = SqliteStore.open(path, { snapshots });
  if (store.indexSource !== (snapshots ? 'snapshot' : 'records')) throw new Error(`store opened from ${store.indexSource}`);
  await store.close();
}

function cycling(queries: Query[]): () => string {
  let i = 0;
  return () => (queries[i++ % queries.length] as Query).text;
}

interface VectorSetup {
  data: Float32Array[];
  queries: Float32Array[];
  flat: VectorIndex;
  hnsw: HNSWIndex;
  hnswBuildMs: number;
  truth: string[][];
  peer: { index: { searchKnn(q: number[], k: number): { neighbors: number[] }; setEf(ef: number): void }; buildMs: number } | undefined;
  peerError: string | undefined;
  oursEf: number;
  peerEf: number | undefined;
  sweep: { ef: number; ours: number; peer: number | undefined }[];
}

let vectorSetup: Promise<VectorSetup> | undefined;
const getVectors = () =>
  (vectorSetup ??= (async () => {
    const all = clusteredVectors(VECTOR_COUNT + VECTOR_QUERIES, DIMENSIONS);
    const data = all.slice(0, VECTOR_COUNT);
    const queries = all.slice(VECTOR_COUNT);
    const flat = new VectorIndex({ dimensions: DIMENSIONS, metric: 'dot' });
    data.forEach((v, i) => flat.add(String(i), v));
    const truth = flat.searchBatch(queries, { k: 10 }).map((hits) => hits.map((h) => h.id));
    let t = performance.now();
    const hnsw = new HNSWIndex({ dimensions: DIMENSIONS, metric: 'dot', ...HNSW_PARAMS });
    data.forEach((v, i) => hnsw.add(String(i), v));
    const hnswBuildMs = performance.now() - t;
    let peer: VectorSetup['peer'];
    let peerError: string | undefined;
    try {
      const { HierarchicalNSW } = require('hnswlib-node') as { HierarchicalNSW: new (space: string, dim: number) => { initIndex(n: number, M: number, efC: number, seed: number): void; addPoint(v: number[], label: number): void; searchKnn(q: number[], k: number): { neighbors: number[] }; setEf(ef: number): void } };
      t = performance.now();
      const index = new HierarchicalNSW('ip', DIMENSIONS);
      index.initIndex(VECTOR_COUNT, HNSW_PARAMS.M, HNSW_PARAMS.efConstruction, 42);
      data.forEach((v, i) => index.addPoint(Array.from(v), i));
      peer = { index, buildMs: performance.now() - t };
    } catch (error) {
      peerError = (error as Error).message;
    }
    const recall = (search: (q: Float32Array) => string[]) => {
      let found = 0;
      queries.forEach((q, i) => {
        const want = new Set(truth[i]);
        for (const id of search(q)) if (want.has(id)) found++;
      });
      return found / (queries.length * 10);
    };
    const sweep: VectorSetup['sweep'] = [];
    for (const ef of [16, 32, 64, 128, 256]) {
      const ours = recall((q) => hnsw.search(q, { k: 10, efSearch: ef }).map((h) => h.id));
      let peerRecall: number | undefined;
      if (peer) {
        peer.index.setEf(ef);
        peerRecall = recall((q) => peer.index.searchKnn(Array.from(q), 10).neighbors.map(String));
      }
      sweep.push({ ef, ours, peer: peerRecall });
    }
    // The smallest ef that reaches recall@10 ≥ 0.95, for each: "equal recall", not equal knobs.
    const oursEf = sweep.find((s) => s.ours >= 0.95)?.ef ?? 256;
    const peerEf = peer ? (sweep.find((s) => (s.peer ?? 0) >= 0.95)?.ef ?? 256) : undefined;
    if (peer && peerEf !== undefined) peer.index.setEf(peerEf);
    return { data, queries, flat, hnsw, hnswBuildMs, truth, peer, peerError, oursEf, peerEf, sweep };
  })());

function quality(engine: LexicalEngine, queries: Query[]): Promise<{ mrr: number; recall: number }> {
  return (async () => {
    let mrr = 0;
    let hits = 0;
    for (const q of queries) {
      const ids = await engine.search(q.text, 10);
      const rank = ids.indexOf(q.target);
      if (rank >= 0) {
        mrr += 1 / (rank + 1);
        hits++;
      }
    }
    return { mrr: mrr / queries.length, recall: hits / queries.length };
  })();
}

const suite: Suite = {
  name: 'retrieval',
  description:
    'Exact BM25 (`BM25Index`, `simple` analyzer) on ~15,000 State of the Union passages next to wink-bm25-text-search, MiniSearch and Orama; flat and HNSW vector search next to hnswlib-node; BM25 and SqliteStore at 100,000 (and, opt-in, 1,000,000) synthetic passages.',
  cases(): BenchCase[] {
    const { passages, heldOut, keyword } = getCorpus();
    const engines = [chunkwiseEngine(), winkEngine(), miniSearchEngine(), oramaEngine()];
    const heldOutQuery = cycling(heldOut);
    const oursHeldOut = cycling(heldOut);
    const kwOurs = cycling(keyword);
    const kwWink = cycling(keyword);
    let vectors: VectorSetup | undefined;
    const vectorQuery = (() => {
      let i = 0;
      return () => (vectors as VectorSetup).queries[i++ % VECTOR_QUERIES] as Float32Array;
    })();
    return [
      {
        name: `build an index of ${passages.length.toLocaleString('en')} passages`,
        items: passages.length,
        iterations: 3,
        warmup: 1,
        contenders: engines.map((engine, i) => ({ name: engine.name, ours: i === 0, run: () => engine.build(passages) })),
      },
      {
        name: `open a SqliteStore of ${passages.length.toLocaleString('en')} passages (ready to search)`,
        items: passages.length,
        iterations: 5,
        warmup: 1,
        contenders: [
          { name: 'SqliteStore.open, saved index', ours: true, setup: getStoreFile, run: async () => openStore(await getStoreFile(), true) },
          { name: 'SqliteStore.open, re-indexing the records (snapshots: false; how every open worked before)', setup: getStoreFile, run: async () => openStore(await getStoreFile(), false) },
        ],
      },
      {
        name: 'held-out-sentence query (one query, p50)',
        iterations: 41,
        warmup: 10,
        contenders: [
          { name: 'chunkwise BM25Index', ours: true, setup: buildQueryEngines, run: () => built.ours.search(oursHeldOut(), 10) },
          { name: 'wink-bm25-text-search', setup: buildQueryEngines, run: () => built.wink.search(heldOutQuery(), 10) },
        ],
      },
      {
        name: 'keyword query (one query, p50)',
        iterations: 101,
        warmup: 20,
        contenders: [
          { name: 'chunkwise BM25Index', ours: true, setup: buildQueryEngines, run: () => built.ours.search(kwOurs(), 10) },
          { name: 'wink-bm25-text-search', setup: buildQueryEngines, run: () => built.wink.search(kwWink(), 10) },
        ],
      },
      {
        name: `top-10 of ${VECTOR_COUNT.toLocaleString('en')} × ${DIMENSIONS} vectors (one query)`,
        iterations: 101,
        warmup: 20,
        contenders: [
          {
            name: 'chunkwise HNSW (efSearch for recall ≥ 0.95)',
            ours: true,
            setup: async () => {
              vectors = await getVectors();
            },
            run: () => (vectors as VectorSetup).hnsw.search(vectorQuery(), { k: 10, efSearch: (vectors as VectorSetup).oursEf }),
          },
          { name: 'chunkwise flat (exact)', setup: async () => void (vectors = await getVectors()), run: () => (vectors as VectorSetup).flat.search(vectorQuery(), { k: 10 }) },
          {
            name: 'hnswlib-node (ef for recall ≥ 0.95)',
            setup: async () => {
              vectors = await getVectors();
            },
            run: () => (vectors as VectorSetup).peer?.index.searchKnn(Array.from(vectorQuery()), 10),
          },
        ],
      },
      ...scaleCases(),
    ];
  },
  async notes() {
    const { passages, heldOut, keyword } = getCorpus();
    await buildQueryEngines();
    const lines: string[] = [];
    // Top-10 agreement with wink on every query (wink rounds each term weight to 4 dp, so exact
    // ties in its scores may order differently).
    let identical = 0;
    let tiesOnly = 0;
    // wink needs ~0.1–0.3 s per held-out query: compare on 200 of them and all keyword queries.
    const all = [...heldOut.slice(0, 200), ...keyword];
    for (const q of all) {
      const ours = built.ours.index!.search(q.text, { k: 10 });
      const theirs = built.wink.wink!.search(q.text, 10);
      if (ours.length === theirs.length && ours.every((h, i) => h.id === theirs[i]?.[0])) identical++;
      else if (ours.length === theirs.length && ours.every((h, i) => h.id === theirs[i]?.[0] || theirs.find(([id]) => id === h.id)?.[1] === theirs[i]?.[1])) tiesOnly++;
    }
    lines.push(
      `**Exactness.** Top-10 identical to wink-bm25-text-search on ${identical} of ${all.length} queries (200 held-out + ${keyword.length} keyword); ` +
        `${tiesOnly} more differ only in the order of documents whose wink scores tie after its 4-decimal rounding; ${all.length - identical - tiesOnly} differ otherwise.`,
      '',
      `**Ranking quality** on ${passages.length.toLocaleString('en')} SOTU passages, first ${QUALITY_QUERIES} queries of each set, \`simple\` analyzer tokens for every engine (Orama with its default prefix matching):`,
      '',
      '| engine | held-out MRR@10 | held-out R@10 | keyword MRR@10 | keyword R@10 |',
      '|---|---|---|---|---|',
    );
    const engines: LexicalEngine[] = [built.ours, built.wink];
    const mini = miniSearchEngine();
    const orama = oramaEngine();
    await mini.build(passages);
    await orama.build(passages);
    engines.push(mini, orama);
    for (const engine of engines) {
      const ict = await quality(engine, heldOut.slice(0, QUALITY_QUERIES));
      const kw = await quality(engine, keyword.slice(0, QUALITY_QUERIES));
      lines.push(`| ${engine.name} | ${ict.mrr.toFixed(3)} | ${ict.recall.toFixed(3)} | ${kw.mrr.toFixed(3)} | ${kw.recall.toFixed(3)} |`);
    }
    const v = await getVectors();
    lines.push(
      '',
      `**Vectors.** ${VECTOR_COUNT.toLocaleString('en')} × ${DIMENSIONS} clustered unit vectors (500 clusters in a 32-d subspace plus noise; uniform random vectors have no neighbourhoods), ` +
        `${VECTOR_QUERIES} held-out queries, dot product, HNSW M ${HNSW_PARAMS.M}, efConstruction ${HNSW_PARAMS.efConstruction}. ` +
        (VECTOR_COUNT < 100_000
          ? `The suite defaults to 20,000 vectors to keep its run short; \`CHUNKWISE_BENCH_VECTORS=100000 pnpm bench retrieval\` runs the 100,000 × 384 size of the issue.`
          : `Run with \`CHUNKWISE_BENCH_VECTORS=${VECTOR_COUNT} pnpm bench retrieval\` (the default is 20,000 to keep the suite short).`),
      '',
      `Build: chunkwise HNSW ${(v.hnswBuildMs / 1000).toFixed(1)} s; ${v.peer ? `hnswlib-node ${(v.peer.buildMs / 1000).toFixed(1)} s (native C++)` : `hnswlib-node unavailable: ${v.peerError}`}.`,
      '',
      '| efSearch | chunkwise HNSW recall@10 | hnswlib-node recall@10 |',
      '|---|---|---|',
      ...v.sweep.map((s) => `| ${s.ef} | ${s.ours.toFixed(3)} | ${s.peer === undefined ? '–' : s.peer.toFixed(3)} |`),
      '',
      `The query case runs chunkwise HNSW at efSearch ${v.oursEf} and hnswlib-node at ef ${v.peerEf ?? '–'}: the smallest values reaching recall@10 ≥ 0.95.`,
      '',
      scaleNotes(),
    );
    return lines.join('\n');
  },
};

export default suite;
