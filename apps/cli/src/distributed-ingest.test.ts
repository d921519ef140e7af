import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedEmbedder, createCache, type CacheValue } from '@chunkwise/cache';
import { redisStore } from '@chunkwise/cache/redis';
import { RecursiveChunker } from '@chunkwise/chunking';
import { seededRandom } from '@chunkwise/core';
import { BM25Index } from '@chunkwise/retrieval';
import { PostgresStore } from '@chunkwise/retrieval/postgres';
import { Cluster } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, clusterNodes, clusterOk, clusterWhole, launchOf, replicationField, slotOf, startNode, takeOver, waitFor, withFailoverLock, type NodeLaunch } from './__fixtures__/redis-cluster-admin.js';
import { runChunkwise, spawnChunkwise } from './__fixtures__/run-chunkwise.js';
import { writeScaleOutCorpus, type CorpusDocument } from './__fixtures__/scale-out-corpus.js';
import { openIngestQueue, queueStatus, QUEUE_PREFIX, type QueueStatus } from './ingest/ingest-queue.js';
import { parseRedisTarget } from './ingest/redis-target.js';

const url = process.env.CHUNKWISE_PG_URL;
const clusterList = process.env.CHUNKWISE_REDIS_CLUSTER;
const ports = (process.env.CHUNKWISE_REDIS_CLUSTER_PORTS ?? '').split(/\s+/).filter(Boolean).map(Number);
const run = `dist_${process.pid}_${Date.now().toString(36)}`;
const MODEL = 'glove-wink-sg-100d-sif-prior';

interface Worker {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

function startWorker(args: string[], cwd: string): Worker {
  const child = spawnChunkwise(args, { cwd });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
  child.stderr?.resume();
  return { child, stdout: () => stdout, exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

describe.runIf(url !== undefined && clusterList !== undefined && ports.length >= 6)('a distributed ingest on PostgreSQL 15 and Redis Cluster (3 worker processes)', () => {
  const workers: Worker[] = [];
  let killed: { port: number; launch: NodeLaunch } | undefined;
  const client = new pg.Client({ connectionString: url });
  let connected = false;

  /** Gives the shared cluster its node back in its old master role, whatever happened in the test. */
  async function restoreCluster(): Promise<void> {
    if (killed === undefined) return;
    const { port, launch } = killed;
    if (!(await alive(port))) startNode(launch);
    await waitFor('the killed master to rejoin as a synced replica', async () => (await replicationField(port, 'role')) === 'master' || (await replicationField(port, 'master_link_status')) === 'up');
    if ((await replicationField(port, 'role')) !== 'master') await takeOver(port);
    await waitFor('the old master role back and a healthy cluster', async () => {
      if ((await replicationField(port, 'role')) !== 'master') return false;
      for (const p of ports) if (!(await clusterOk(p))) return false;
      return true;
    });
    killed = undefined;
  }

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await restoreCluster();
    if (connected) {
      await client.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`);
      await client.end();
    }
  }, 300_000);

  it('indexes every source exactly once with exact BM25 and each embedding cached once, through a worker SIGKILL and a master failover', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chunkwise-distributed-'));
    const docs: CorpusDocument[] = writeScaleOutCorpus(join(dir, 'corpus')).map((d) => ({ ...d, name: `corpus/${d.name}` }));
    expect(docs.length).toBeGreaterThan(1900);
    await client.connect();
    connected = true;
    await client.query(`CREATE SCHEMA ${run}`);
    const table = `${run}.chunks`;
    const queueUrl = `redis+cluster://${clusterList as string}`;
    const queueArgs = ['--queue', queueUrl, '--queue-name', run];
    for (const p of ports) await waitFor('a healthy cluster before the test', () => clusterOk(p));

    const enqueued = await runChunkwise(['--json', 'index', 'corpus', '--db', url as string, '--table', table, ...queueArgs, '--max-tokens', '512', '--backoff-ms', '500'], { cwd: dir });
    expect([enqueued.code, enqueued.stderr]).toEqual([0, '']);
    expect(JSON.parse(enqueued.stdout)).toMatchObject({ sources: docs.length, added: docs.length });

    const workerArgs = ['--json', 'worker', '--db', url as string, '--table', table, ...queueArgs, '--embedder', 'glove', '--cache', queueUrl, '--cache-namespace', run, '--lock-ms', '5000', '--exit-when-idle'];
    for (let i = 0; i < 3; i++) workers.push(startWorker(workerArgs, dir));

    // The chunks every source must end with, chunked here as `index` chunks (while the workers run).
    const chunker = new RecursiveChunker({ maxTokens: 512, recipe: 'markdown' });
    const expected = new Map<string, string[]>();
    for (const doc of docs) {
      expected.set(doc.name, (await chunker.chunk(doc.text)).map((c) => c.text));
      await new Promise((resolve) => setImmediate(resolve));
    }

    const queue = openIngestQueue(parseRedisTarget(queueUrl, '--queue'), run);
    let status: QueueStatus | undefined;
    const progress = async () => (status = await queueStatus(queue.queue));
    try {
      // One worker dies mid-run, without a chance to release its job or its connections.
      // All three busy at the moment of the kill, so it dies holding a job.
      await waitFor('a quarter of the sources done, three jobs running', async () => (await progress()).done >= docs.length / 4 && (status as QueueStatus).active === 3, 600_000, 100);
      (workers[0] as Worker).child.kill('SIGKILL');

      // Then the Redis master that holds the queue (the {chunkwise} slot) dies; its replica takes
      // over. Under the failover lock, from a whole cluster, and put back before the lock is let go.
      await waitFor('half of the sources done', async () => (await progress()).done >= docs.length / 2, 600_000, 500);
      expect((status as QueueStatus).done).toBeLessThan(docs.length - 100);
      await withFailoverLock(async () => {
        await waitFor('a whole cluster (every master with a synced replica)', () => clusterWhole(ports), 300_000, 500);
        const slot = await slotOf(ports[0] as number, QUEUE_PREFIX);
        const topology = await clusterNodes(ports[0] as number);
        const victim = topology.find((n) => n.master && !n.failed && n.slots.some(([from, to]) => slot >= from && slot <= to)) as (typeof topology)[number];
        const launch = await launchOf(victim.port);
        killed = { port: victim.port, launch };
        process.kill(launch.pid, 'SIGKILL');
        const survivor = ports.find((p) => p !== victim.port) as number;
        await waitFor('a replica promoted for the queue slot', async () => {
          const now = await clusterNodes(survivor);
          return now.some((n) => n.master && !n.failed && n.port !== victim.port && n.slots.some(([from, to]) => slot >= from && slot <= to)) && (await clusterOk(survivor));
        });
        // The workers carry on against the promoted replica meanwhile.
        await waitFor('a tenth more of the sources done after the failover', async () => (await progress()).done >= docs.length * 0.6 || (status as QueueStatus).queued === 0, 600_000, 500);
        await restoreCluster();
      });

      const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
      expect(codes).toEqual([0, 0]);
      await waitFor('the final status', async () => (await progress()).queued === 0 && (status as QueueStatus).active === 0, 60_000, 500);
      expect({ ...status, dead: [] }).toEqual({ queued: 0, active: 0, done: docs.length, failed: 0, dead: [] });
      // The job the killed worker held was found stalled (its lock expired) and run again elsewhere.
      const completed = await queue.queue.getCompleted(0, -1);
      expect(completed.filter((job) => job.stalledCounter > 0).length).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.close();
      await restoreCluster();
    }
    const summaries = workers.slice(1).map((w) => JSON.parse(w.stdout()) as { jobs: { done: number }; embedded: number });
    // The killed worker's last job ran again elsewhere: the survivors did the rest.
    expect(summaries.reduce((sum, s) => sum + s.jobs.done, 0)).toBeGreaterThan(0);

    // Every source indexed exactly once: its records are exactly its chunks, ids #0..n-1, one version.
    const { rows } = await client.query<{ id: string; text: string; source: string; hash: string; embedding: string | null }>(
      `SELECT id, text, meta->>'source' AS source, meta->>'contentHash' AS hash, embedding::text AS embedding FROM ${table}`,
    );
    const bySource = new Map<string, typeof rows>();
    for (const row of rows) bySource.set(row.source, [...(bySource.get(row.source) ?? []), row]);
    expect(bySource.size).toBe(docs.length);
    let total = 0;
    for (const [source, texts] of expected) {
      const records = (bySource.get(source) ?? []).sort((a, b) => Number(a.id.split('#').pop()) - Number(b.id.split('#').pop()));
      expect(records.map((r) => [r.id, r.text])).toEqual(texts.map((text, i) => [`${source}#${i}`, text]));
      expect(new Set(records.map((r) => r.hash)).size).toBe(1);
      total += texts.length;
    }
    expect(rows.length).toBe(total);

    // BM25 top-10 for 100 queries equals one process's BM25Index over the same chunks.
    const index = new BM25Index();
    for (const [source, texts] of expected) texts.forEach((text, i) => index.add(`${source}#${i}`, text));
    const store = await PostgresStore.open(client, { table, dimensions: 100, vectorType: 'array' });
    const random = seededRandom(18);
    for (let q = 0; q < 100; q++) {
      const doc = docs[Math.floor(random() * docs.length)] as CorpusDocument;
      const words = doc.text.split(/\s+/).filter((w) => /^[A-Za-z]{3,}$/.test(w));
      const start = Math.floor(random() * Math.max(1, words.length - 6));
      const query = words.slice(start, start + 1 + Math.floor(random() * 5)).join(' ');
      expect([query, await store.searchText(query, { k: 10 })]).toEqual([query, index.search(query, { k: 10 })]);
    }

    // The cache holds each distinct chunk text's embedding exactly once (no other key in the
    // namespace), and it is the vector the index stored.
    const distinct = [...new Set(rows.map((r) => r.text))];
    const cluster = new Cluster((clusterList as string).split(',').map((n) => ({ host: n.split(':')[0] as string, port: Number(n.split(':')[1]) })));
    cluster.on('error', () => undefined);
    try {
      await new Promise((resolve) => cluster.once('ready', resolve));
      let keys = 0;
      for (const node of cluster.nodes('master')) {
        for await (const batch of node.scanStream({ match: `${run}:*`, count: 1000 }) as AsyncIterable<string[]>) keys += batch.length;
      }
      expect(keys).toBe(distinct.length);
    } finally {
      cluster.disconnect();
    }
    const cacheStore = redisStore({ cluster: (clusterList as string).split(',') });
    try {
      const notCached = { dimensions: 100, embed: () => Promise.reject(new Error('a chunk text is missing from the cache')) };
      const cached = cachedEmbedder(notCached, createCache<CacheValue>({ store: cacheStore, namespace: run }), { model: MODEL });
      const vectors = await cached.embed(distinct);
      const stored = new Map(rows.map((r) => [r.text, r.embedding]));
      distinct.forEach((text, i) => {
        const vector = vectors[i] as Float32Array;
        const inIndex = stored.get(text);
        if (vector.some((v) => v !== 0)) expect(Float32Array.from(JSON.parse((inIndex as string).replace(/^\{(.*)\}$/, '[$1]')) as number[])).toEqual(vector);
        else expect(inIndex).toBeNull();
      });
    } finally {
      await cacheStore.close();
    }
  }, 1_200_000);
});
