import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Suite } from '../harness.js';
import { writeScaleOutCorpus } from './ingest/scale-out-corpus.js';

/**
 * The distributed ingest end to end, as users run it: `chunkwise index --queue` enqueues the
 * corpus on the Redis Cluster, then 1, 2 and 4 `chunkwise worker` processes (GloVe embeddings
 * through the cluster's content cache, cold each time) write one PostgreSQL 15 index. Opt-in: it
 * needs the servers of `.ci/services.sh`, and runs only when named.
 */
const WORKER_COUNTS = (process.env.CHUNKWISE_BENCH_INGEST_WORKERS ?? '1,2,4').split(',').map(Number);
const DOCS = Number(process.env.CHUNKWISE_BENCH_INGEST_DOCS ?? 'Infinity');
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// The CLI runs from its TypeScript source (the workspace packages' too) through tsx, as its own
// tests run it: no build to go stale, and tsx only transpiles at load time.
const CLI_MAIN = join(repo, 'apps', 'cli', 'src', 'main.ts');
const CLI_ARGS = ['--conditions=@chunkwise/source', '--import', pathToFileURL(createRequire(join(repo, 'apps', 'cli', 'package.json')).resolve('tsx')).href, CLI_MAIN];

interface WorkerSummary {
  jobs: { done: number; skipped: number; failed: number };
  chunks: number;
  embedded: number;
  timings: { read: number; hash: number; chunk: number; embed: number; write: number; ack: number };
  busyMs: number;
  wallMs: number;
  firstJobAt: number;
  lastJobAt: number;
}

interface Run {
  workers: number;
  enqueueMs: number;
  /** From starting the workers to the last one exiting. */
  wallMs: number;
  /** From the first job's start to the last job's end, over all workers. */
  spanMs: number;
  docs: number;
  chunks: number;
  summaries: WorkerSummary[];
  /** Bytes of the index in Postgres after the run: records, postings, statistics and their indexes. */
  tableBytes: number;
  postingsBytes: number;
  postingsRows: number;
  /** Mean length in bytes of a chunk id, which every postings row repeats. */
  idBytes: number;
  load: number;
}

function chunkwise(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
    child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One statement through the psql client (no driver dependency for the bench): its rows, fields split on '|'. */
function psql(url: string, text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    execFile('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', text], (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.split('\n').filter((line) => line !== '').map((line) => line.split('|')));
    });
  });
}

let runs: Run[] = [];
let corpus = { files: 0, characters: 0 };

async function measure(): Promise<void> {
  const url = process.env.CHUNKWISE_PG_URL;
  const cluster = process.env.CHUNKWISE_REDIS_CLUSTER;
  if (url === undefined || cluster === undefined) throw new Error('the ingest suite needs PostgreSQL and Redis Cluster: bash .ci/services.sh start && source .ci/services.env');
  const work = mkdtempSync(join(tmpdir(), 'chunkwise-bench-ingest-'));
  corpus = writeScaleOutCorpus(join(work, 'corpus'), DOCS);
  const queueUrl = `redis+cluster://${cluster}`;
  const schema = `bench_ingest_${process.pid}`;
  await psql(url, `CREATE SCHEMA IF NOT EXISTS ${schema}`);
  runs = [];
  try {
    for (const workers of WORKER_COUNTS) {
      const name = `${schema}_${workers}_${Date.now().toString(36)}`;
      const table = `${schema}.w${workers}`;
      const queue = ['--queue', queueUrl, '--queue-name', name];
      const enqueueStart = performance.now();
      const enqueued = await chunkwise(['--json', 'index', 'corpus', '--db', url, '--table', table, ...queue, '--max-tokens', '512'], work);
      if (enqueued.code !== 0) throw new Error(`index --queue failed: ${enqueued.stderr}`);
      const enqueueMs = performance.now() - enqueueStart;
      const start = performance.now();
      const results = await Promise.all(
        Array.from({ length: workers }, () => chunkwise(['--json', '--quiet', 'worker', '--db', url, '--table', table, ...queue, '--embedder', 'glove', '--cache', queueUrl, '--cache-namespace', name, '--exit-when-idle'], work)),
      );
      const wallMs = performance.now() - start;
      for (const result of results) if (result.code !== 0) throw new Error(`a worker failed: ${result.stderr}`);
      const summaries = results.map((result) => JSON.parse(result.stdout) as WorkerSummary);
      const done = summaries.reduce((sum, s) => sum + s.jobs.done, 0);
      if (done !== corpus.files || summaries.some((s) => s.jobs.failed > 0)) throw new Error(`${workers} worker(s) finished ${done} of ${corpus.files} sources: ${results.map((r) => r.stderr).join('\n')}`);
      const active = summaries.filter((s) => s.firstJobAt > 0);
      const [[tableBytes, postingsBytes, postingsRows, idBytes] = []] = await psql(
        url,
        `SELECT pg_total_relation_size('${table}') + pg_total_relation_size('${table}_bm25') + pg_total_relation_size('${table}_bm25_delta'), pg_total_relation_size('${table}_postings'), (SELECT count(*) FROM ${table}_postings), (SELECT avg(octet_length(id)) FROM ${table})`,
      );
      runs.push({
        workers,
        enqueueMs,
        wallMs,
        spanMs: Math.max(...active.map((s) => s.lastJobAt)) - Math.min(...active.map((s) => s.firstJobAt)),
        docs: done,
        chunks: summaries.reduce((sum, s) => sum + s.chunks, 0),
        summaries,
        tableBytes: Number(tableBytes),
        postingsBytes: Number(postingsBytes),
        postingsRows: Number(postingsRows),
        idBytes: Number(idBytes),
        load: loadavg()[0] as number,
      });
      process.stdout.write(`  ${workers} worker(s): ${(wallMs / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await psql(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)} %`;
const f = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(): string {
  const rows = runs.map((run) => {
    const sum = (pick: (s: WorkerSummary) => number) => run.summaries.reduce((total, s) => total + pick(s), 0);
    const busy = sum((s) => s.busyMs);
    const steps = sum((s) => s.timings.read + s.timings.hash + s.timings.chunk + s.timings.embed + s.timings.write + s.timings.ack);
    return `| ${run.workers} | ${f(run.wallMs / 1000, 1)} | ${f(run.spanMs / 1000, 1)} | ${f(run.docs / (run.spanMs / 1000), 1)} | ${f(run.chunks / (run.spanMs / 1000))} | ${pct(sum((s) => s.timings.read + s.timings.hash), busy)} | ${pct(sum((s) => s.timings.chunk), busy)} | ${pct(sum((s) => s.timings.embed), busy)} | ${pct(sum((s) => s.timings.write), busy)} | ${pct(sum((s) => s.timings.ack), busy)} | ${pct(busy - steps, busy)} | ${f(run.load, 1)} |`;
  });
  return [
    '| worker processes | wall s (start → all exited) | busy span s (first job → last job) | documents/s | chunks/s | read + hash | chunking | embedding (cache + GloVe) | Postgres writes | replica wait (WAIT 1) | queue overhead | load average |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function estimate(): string {
  const one = runs.find((run) => run.workers === 1) ?? runs[0];
  if (!one?.summaries[0]) return '';
  const worker = one.summaries[0];
  const seconds = one.spanMs / 1000;
  const perWorkerChunks = one.chunks / seconds;
  const perWorkerDocs = one.docs / seconds;
  const bytesPerChunk = (one.tableBytes + one.postingsBytes) / one.chunks;
  const postingsPerChunk = one.postingsRows / one.chunks;
  const bytesPerPosting = one.postingsBytes / one.postingsRows;
  // Postings rows one writing connection put in per second of its transactions' time.
  const postingsPerWriteSecond = one.postingsRows / (worker.timings.write / 1000);
  const chunks100 = 100 * perWorkerChunks;
  const postings100 = chunks100 * postingsPerChunk;
  return [
    '### Paper estimate: 100 workers, 100 M chunks',
    '',
    `Measured per worker (the 1-worker run): ${f(perWorkerDocs, 1)} documents/s, ${f(perWorkerChunks)} chunks/s (${f(one.chunks / one.docs, 1)} chunks per document), ${pct(worker.timings.write, worker.busyMs)} of its time in Postgres writes, during which Postgres took ${f(postingsPerWriteSecond)} postings rows/s from it. The index holds ${f(postingsPerChunk)} postings rows and ${f(bytesPerChunk)} bytes (records, postings, statistics, all indexes) per chunk; a postings row costs ${f(bytesPerPosting)} bytes with its two indexes, and repeats the chunk id (${f(one.idBytes)} bytes on average here) in the heap and in both.`,
    '',
    `- **Write rate.** 100 workers at that pace ask for ${f(chunks100)} chunks/s: ${f(postings100)} postings rows/s in ${f(100 * perWorkerDocs)} transactions/s (one replaceSource per source). No row is shared between writers (each appends its own statistics delta), so this is Postgres' raw insert rate into a B-tree-indexed table: ${f(postings100 / postingsPerWriteSecond)}× what one connection got here, well past one primary. Partition the records and postings by hash of the source (a source's transaction stays in one partition; declarative partitioning or Citus distributes them over nodes), and batch several sources per transaction to cut the commit rate.`,
    `- **Index size.** 100 M chunks × ${f(bytesPerChunk)} bytes = ${f((bytesPerChunk * 1e8) / 2 ** 40, 1)} TiB, ${pct(one.postingsBytes, one.tableBytes + one.postingsBytes)} of it postings. The first change is the postings' shape: a bigint record key instead of the text id and a term dictionary (term → int) instead of the term text would shrink a row (int4 term, int8 doc, int2 field, float4 tf) with its two index entries to roughly 100 bytes, tuple and index headers included: under half of today's. A term's df would then be a lookup.`,
    '- **Search at that size.** df is counted per query (count(DISTINCT id) over the postings of the query terms), which reads millions of rows for a common term; it must become a per-term counter maintained like N (appended deltas, folded in), or the lexical side must move to an inverted index Postgres maintains itself (GIN full text, pg_search). Vectors need pgvector\'s HNSW (the real[] scan here is exact and linear).',
  ].join('\n');
}

const suite: Suite = {
  name: 'ingest',
  description: `The distributed ingest (issue 18): \`chunkwise index --queue\` enqueues the scale-out corpus (State of the Union addresses in ~6,000-character sections plus the Moby Dick chapters) on the Redis Cluster; then N \`chunkwise worker\` processes (\`--embedder glove --cache redis+cluster://…\`, a cold cache namespace each run) read, chunk (recursive, Markdown, 512 o200k tokens), embed, and \`replaceSource\` into one PostgreSQL 15 table (BM25 postings + a \`real[]\` vector column: no pgvector on Debian 12). Opt-in (needs the servers of \`.ci/services.sh\`; the CLI runs from source through tsx): \`source .ci/services.env && pnpm bench ingest\`.`,
  async cases() {
    await measure();
    return [];
  },
  notes() {
    return [
      `Corpus: ${f(corpus.files)} files, ${f(corpus.characters / 1e6, 1)} M characters. Shares are of the workers' busy time summed over workers: read + hash (file read, UTF-8 check, SHA-256), chunking, embedding (content-cache lookups and GloVe on misses), Postgres writes (replaceSource), the wait for a Redis replica to confirm the cache writes, and the rest (BullMQ: fetching, locking and acknowledging jobs, between jobs). ${cpus().length} cores shared with everything else on the machine: more workers than cores cannot scale here, and the load average says how busy it was.`,
      '',
      table(),
      '',
      estimate(),
    ].join('\n');
  },
};

export default suite;
