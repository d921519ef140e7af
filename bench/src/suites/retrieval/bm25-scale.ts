import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BM25Index } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import type { BenchCase } from '../../harness.js';
import { syntheticCorpus, type SyntheticCorpus } from './synthetic-corpus.js';

/**
 * BM25 at scale: synthetic passages (synthetic-corpus.ts) at 100,000 by default;
 * CHUNKWISE_BENCH_PASSAGES=100000,1000000 adds the million (about ten minutes here).
 */
export const SCALE_SIZES = (process.env.CHUNKWISE_BENCH_PASSAGES ?? '100000')
  .split(',')
  .map((n) => Number(n.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

const QUERIES = 200;
const STORE_BATCH = 10_000;

interface Scale {
  corpus: SyntheticCorpus;
  queries: string[];
  index?: BM25Index | undefined;
  textMB?: number;
  indexMB?: number;
  snapshotMB?: number;
  buildCpuS?: number;
  /** Per query: CPU ms and the postings of its terms (Σ df). */
  queryCpuMs?: number;
  queryPostings?: number;
  store?: string;
  storeMB?: number;
  writeS?: number;
  closeS?: number;
  openRssMB?: number;
}

const scales = new Map<number, Scale>();
const scale = (n: number): Scale => {
  let s = scales.get(n);
  if (!s) {
    const corpus = syntheticCorpus(n);
    scales.set(n, (s = { corpus, queries: corpus.queries(QUERIES) }));
  }
  return s;
};

let gcFunction: (() => void) | undefined;
/** A full GC, so heap figures count live data only. */
function gc(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}

const heapMB = () => {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};
const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

function build(n: number): void {
  const s = scale(n);
  s.index = undefined;
  gc();
  const before = heapMB();
  const cpu = cpuSeconds();
  const index = new BM25Index();
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const text = s.corpus.text(i);
    chars += text.length;
    index.add(s.corpus.id(i), text);
  }
  index.search('flush the pending postings');
  s.buildCpuS = cpuSeconds() - cpu;
  gc();
  s.indexMB = heapMB() - before;
  s.textMB = (chars * 2) / 2 ** 20;
  s.snapshotMB = index.saveParts().reduce((sum, part) => sum + part.byteLength, 0) / 2 ** 20;
  s.index = index;
}

function measureQueries(n: number): void {
  const s = scale(n);
  const index = s.index as BM25Index;
  let postings = 0;
  for (const q of s.queries) for (const term of new Set(index.analyzeQuery(q))) postings += index.documentFrequency(term);
  const cpu = cpuSeconds();
  for (const q of s.queries) index.search(q, { k: 10 });
  s.queryCpuMs = ((cpuSeconds() - cpu) * 1000) / s.queries.length;
  s.queryPostings = postings / s.queries.length;
}

async function writeStore(n: number): Promise<string> {
  const s = scale(n);
  if (s.store) return s.store;
  // The in-memory index of the earlier cases is not needed any more: give its memory back.
  s.index = undefined;
  gc();
  const path = join(mkdtempSync(join(tmpdir(), 'chunkwise-bench-scale-')), 'store.db');
  const store = SqliteStore.open(path);
  let t = performance.now();
  for (let i = 0; i < n; i += STORE_BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + STORE_BATCH); j++) batch.push({ id: s.corpus.id(j), text: s.corpus.text(j), meta: { source: `doc-${Math.floor(j / 128)}`, index: j % 128 } });
    await store.upsert(batch);
  }
  s.writeS = (performance.now() - t) / 1000;
  t = performance.now();
  await store.close(); // writes the paged snapshot
  s.closeS = (performance.now() - t) / 1000;
  s.storeMB = statSync(path).size / 2 ** 20;
  s.store = path;
  return path;
}

async function openStore(n: number, snapshots: boolean): Promise<void> {
  const store = SqliteStore.open(scale(n).store as string, { snapshots });
  if (store.indexSource !== (snapshots ? 'snapshot' : 'records')) throw new Error(`store opened from ${store.indexSource}`);
  if (snapshots) scale(n).openRssMB = Math.max(scale(n).openRssMB ?? 0, process.memoryUsage().rss / 2 ** 20);
  await store.close();
}

export function scaleCases(): BenchCase[] {
  return SCALE_SIZES.flatMap((n): BenchCase[] => {
    const label = n.toLocaleString('en');
    let q = 0;
    const next = () => scale(n).queries[q++ % QUERIES] as string;
    return [
      {
        name: `BM25Index over ${label} synthetic passages: build`,
        items: n,
        iterations: 1,
        warmup: 0,
        contenders: [{ name: 'chunkwise BM25Index (add one by one, simple analyzer)', ours: true, run: () => build(n) }],
      },
      {
        name: `BM25Index over ${label} synthetic passages: one query (p50)`,
        iterations: QUERIES,
        warmup: 20,
        contenders: [{ name: 'chunkwise BM25Index, top-10 with MaxScore', ours: true, setup: () => measureQueries(n), run: () => (scale(n).index as BM25Index).search(next(), { k: 10 }) }],
      },
      {
        name: `SqliteStore of ${label} synthetic passages: open, ready to search`,
        items: n,
        iterations: n >= 1_000_000 ? 1 : 3,
        warmup: 0,
        contenders: [
          { name: 'SqliteStore.open, saved index (paged snapshot)', ours: true, setup: () => writeStore(n), run: () => openStore(n, true) },
          { name: 'SqliteStore.open, re-indexing the records (snapshots: false)', setup: () => writeStore(n), run: () => openStore(n, false) },
        ],
      },
    ];
  });
}

export function scaleNotes(): string {
  const sizes = SCALE_SIZES.filter((n) => scales.get(n)?.queryCpuMs !== undefined);
  if (sizes.length === 0) return '';
  const rows = sizes.map((n) => {
    const s = scales.get(n) as Scale;
    const f = (x: number | undefined, digits = 0) => (x === undefined ? '–' : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
    return `| ${n.toLocaleString('en')} | ${f(s.textMB)} | ${f(s.indexMB)} | ${f(s.snapshotMB)} | ${f((s.indexMB ?? 0) / (s.snapshotMB ?? 1), 2)}× | ${f(s.buildCpuS, 1)} | ${f(s.queryPostings)} | ${f(s.queryCpuMs, 2)} | ${f(((s.queryCpuMs ?? 0) * 1e6) / (s.queryPostings ?? 1), 1)} | ${f(s.storeMB)} | ${f(s.writeS, 1)} | ${f(s.closeS, 1)} | ${f(s.openRssMB)} |`;
  });
  for (const n of SCALE_SIZES) {
    const path = scales.get(n)?.store;
    if (path) rmSync(join(path, '..'), { recursive: true, force: true });
  }
  return [
    `**BM25 at scale.** Synthetic passages of 80–120 words, each ten 8–12-word fragments copied from random places of the State of the Union addresses and Moby Dick (Zipfian word frequencies, real neighbours); ${QUERIES} queries, half 4 words of a random passage, half 10 consecutive words. ` +
      'Index memory is V8 heap plus array buffers after a full GC, minus the same before the build; the snapshot is what `SqliteStore` writes (in 16 MiB pages). Query cost is CPU time per query (this machine is shared: CPU time is steadier than wall time) against the postings of the query terms (Σ df); MaxScore reads fewer. ' +
      '`CHUNKWISE_BENCH_PASSAGES=100000,1000000 pnpm bench retrieval` adds the million (the default is 100,000). ' +
      `Load average at the end of the run: ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores.`,
    '',
    '| passages | text MB (UTF-16) | index MB | snapshot MB | index / snapshot | build CPU s | postings of query terms | CPU ms / query | CPU ns / posting | store file MB | store write s | close (snapshot) s | RSS after open MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
