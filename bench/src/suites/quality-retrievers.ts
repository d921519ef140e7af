import { cpus, loadavg } from 'node:os';
import { createChunker } from '@chunkwise/chunking';
import type { Tokenizer } from '@chunkwise/core';
import { buildChunkIndex, evaluateRetrieval, mean, standardDeviation, type ChunkIndex, type EmbedderSource, type QuestionResult, type RetrieverName } from '@chunkwise/eval';
import type { ContextStrategy, EmbeddingTextOptions } from '@chunkwise/retrieval';
import { getEncoding } from '@chunkwise/tokenizers';
import type { Suite } from '../harness.js';
import { loadQualityEmbedder } from './quality-embedder.js';
import type { Family, Split } from './quality-grid.js';
import { qualityTasks, type QualityTask } from './quality-tasks.js';
import { documentMetadata, METADATA_PREFIX } from './quality-titles.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RULER_PER_TYPE = env('CHUNKWISE_BENCH_QUALITY_RULER', 16);
const HELD_OUT = env('CHUNKWISE_BENCH_QUALITY_HELD_OUT', 96);
const BUDGET = env('CHUNKWISE_BENCH_QUALITY_BUDGET', 1200);
/** Equal k: the top this-many chunks. */
const K = 5;
/** The chunking the quality suite chose: recursive, 200 o200k tokens, no overlap. */
const SIZE = 200;
/** Situated windows tried: tokens of context on each side of the chunk (chunking's contextTokens). */
const WINDOWS = [100, 200];

/** What the embedder sees: the chunk, its situated window, a metadata prefix. */
interface Embedding {
  label: string;
  contextTokens: number;
  embedText?: EmbeddingTextOptions;
}

const prefix: EmbeddingTextOptions = { metadataPrefix: [...METADATA_PREFIX] };
const EMBEDDINGS: Embedding[] = [
  { label: '', contextTokens: 0 },
  ...WINDOWS.map((w): Embedding => ({ label: ` · situated ±${w}`, contextTokens: w, embedText: { situated: true } })),
  { label: ' · metadata prefix', contextTokens: 0, embedText: prefix },
  { label: ` · situated ±${WINDOWS[0]} + metadata prefix`, contextTokens: WINDOWS[0] as number, embedText: { situated: true, ...prefix } },
];

interface Scores {
  questions: number;
  recall: number;
  recallSe: number;
  iou: number;
  mrr: number;
  tokens: number;
}

interface Row {
  label: string;
  /** Top K chunks, and the budget filled best first (selectContext top-k), per split and family. */
  atK: Record<Split, Record<Family, Scores>>;
  atBudget: Record<Split, Record<Family, Scores>>;
}

/** Hybrid with a chosen fusion depth and weights (plain embeddings). */
interface FusionRow {
  depth: number;
  weights: readonly [number, number];
  atK: Record<Split, Record<Family, Scores>>;
  atBudget: Record<Split, Record<Family, Scores>>;
}

/** Hits of each ranking fused (evaluateRetrieval's `fusionDepth`) and the RRF weights of BM25 and dense. */
interface Fusion {
  depth: number;
  weights: readonly [number, number];
}

const FUSIONS: Fusion[] = [
  { depth: 10, weights: [1, 1] },
  { depth: 50, weights: [1, 1] },
  { depth: 10, weights: [1, 0.5] },
  { depth: 50, weights: [1, 0.5] },
];

interface StrategyRow {
  strategy: ContextStrategy;
  scores: Record<Family, Scores>;
}

let rows: Row[] = [];
let chosenFusion: Fusion | undefined;
let strategies: StrategyRow[] = [];
let fusions: FusionRow[] = [];
let tasks: QualityTask[] = [];
let note = '';
const indexNotes: string[] = [];
let wallMs = 0;
let cpuMs = 0;

function scoresOf(results: readonly Pick<QuestionResult, 'recall' | 'iou' | 'reciprocalRank' | 'tokens'>[]): Scores {
  const recalls = results.map((r) => r.recall);
  return {
    questions: results.length,
    recall: mean(recalls),
    recallSe: results.length > 1 ? standardDeviation(recalls) / Math.sqrt(results.length) : 0,
    iou: mean(results.map((r) => r.iou)),
    mrr: mean(results.map((r) => r.reciprocalRank)),
    tokens: mean(results.map((r) => r.tokens)),
  };
}

/** Per split and family, from one evaluation over every question. */
function bySplit(results: readonly (Pick<QuestionResult, 'recall' | 'iou' | 'reciprocalRank' | 'tokens' | 'corpusId'>)[], questionSplit: readonly Split[], familyOf: ReadonlyMap<string, Family>): Record<Split, Record<Family, Scores>> {
  const out = {} as Record<Split, Record<Family, Scores>>;
  for (const split of ['tune', 'test'] as const) {
    out[split] = {} as Record<Family, Scores>;
    for (const family of ['synthetic', 'held-out'] as const) out[split][family] = scoresOf(results.filter((r, i) => questionSplit[i] === split && familyOf.get(r.corpusId) === family));
  }
  return out;
}

const meanOf = (s: Record<Family, Scores>) => (s.synthetic.recall + s['held-out'].recall) / 2;
const seOf = (s: Record<Family, Scores>) => Math.hypot(s.synthetic.recallSe, s['held-out'].recallSe) / 2;
const f3 = (x: number) => x.toFixed(3);

const suite: Suite = {
  name: 'quality-retrievers',
  description:
    'BM25 vs dense vs hybrid vs situated and metadata-prefixed embeddings (GloVe SIF), measured with `@chunkwise/eval` at equal k and at an equal token budget on the quality tasks.',
  cases() {
    return [];
  },
  async notes() {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    indexNotes.length = 0;
    const tokenizer: Tokenizer = await getEncoding('o200k_base');
    tasks = qualityTasks({ rulerPerType: RULER_PER_TYPE, heldOut: HELD_OUT });
    const embedder = await loadQualityEmbedder();
    if (!embedder.source) return `Not run: ${embedder.note}`;
    note = embedder.note;
    const corpora = Object.assign({}, ...tasks.map((t) => t.corpora)) as Record<string, string>;
    const questions = tasks.flatMap((t) => [...t.tune, ...t.test]);
    const questionSplit: Split[] = tasks.flatMap((t) => [...t.tune.map((): Split => 'tune'), ...t.test.map((): Split => 'test')]);
    const familyOf = new Map(tasks.flatMap((t) => Object.keys(t.corpora).map((id) => [id, t.family] as const)));
    const chunkMeta = documentMetadata(corpora);
    const indexes = new Map<string, ChunkIndex>();
    const indexFor = async (e: Embedding | undefined): Promise<ChunkIndex> => {
      const key = e === undefined ? 'bm25' : `${e.contextTokens}/${JSON.stringify(e.embedText ?? {})}`;
      let index = indexes.get(key);
      if (!index) {
        const chunker = createChunker('recursive', { maxTokens: SIZE, tokenizer, ...(e !== undefined && e.contextTokens > 0 && { contextTokens: e.contextTokens }) });
        index = await buildChunkIndex({ corpora, chunker, ...(e !== undefined && { embedder: embedder.source as EmbedderSource }), ...(e?.embedText && { embedText: e.embedText, chunkMeta }) });
        indexes.set(key, index);
        indexNotes.push(`${e === undefined ? 'BM25 only' : `embeddings${e.label || ' · plain'}`}: chunked ${(index.chunkMs / 1000).toFixed(1)} s, BM25 ${(index.bm25Ms / 1000).toFixed(1)} s, embedded ${(index.embedMs / 1000).toFixed(1)} s${index.zeroVectors ? ` (${index.zeroVectors} zero vectors)` : ''}`);
        process.stdout.write(`  ${indexNotes[indexNotes.length - 1]}\n`);
      }
      return index;
    };
    const log = (row: Row) => process.stdout.write(`  ${row.label}: test recall@${K} ${f3(meanOf(row.atK.test))}, @${BUDGET} ${f3(meanOf(row.atBudget.test))}\n`);
    /** Both evaluations of one retriever (hybrid: with the given fusion, else the runner's defaults). */
    const evaluate = async (index: ChunkIndex, retriever: RetrieverName, fusion: Fusion | undefined) => {
      const fuse = fusion && { fusionDepth: fusion.depth, weights: fusion.weights };
      const atK = await evaluateRetrieval({ dataset: questions, index, retriever, k: K, ...fuse });
      // Best first while it fits: the same fill for every retriever (score-drop reads score gaps, which RRF flattens).
      const atBudget = await evaluateRetrieval({ dataset: questions, index, retriever, budgetTokens: BUDGET, contextStrategy: 'top-k', tokenizer, ...fuse });
      return { atK: bySplit(atK.questions, questionSplit, familyOf), atBudget: bySplit(atBudget.questions, questionSplit, familyOf) };
    };
    const viaRunner = async (label: string, index: ChunkIndex, retriever: RetrieverName, fusion?: Fusion): Promise<Row> => {
      const row = { label, ...(await evaluate(index, retriever, fusion)) };
      log(row);
      return row;
    };

    // The fusion is chosen first, on tune, with plain embeddings; every hybrid row then uses it.
    const plain = await indexFor(EMBEDDINGS[0]);
    fusions = [];
    for (const fusion of FUSIONS) fusions.push({ ...fusion, ...(await evaluate(plain, 'hybrid', fusion)) });
    const best = [...fusions].sort((a, b) => meanOf(b.atBudget.tune) - meanOf(a.atBudget.tune))[0] as FusionRow;
    chosenFusion = { depth: best.depth, weights: best.weights };

    rows = [await viaRunner('bm25', await indexFor(undefined), 'bm25')];
    for (const e of EMBEDDINGS) {
      const index = await indexFor(e);
      rows.push(await viaRunner(`dense${e.label}`, index, 'dense'));
      rows.push(await viaRunner(`hybrid${e.label}`, index, 'hybrid', chosenFusion));
    }
    rows.push(await viaRunner('hybrid with the defaults (top 10 of each, 1 : 1; evaluateRetrieval and ChunkwiseRetriever)', plain, 'hybrid'));
    const bm25Index = await indexFor(undefined);
    strategies = [];
    for (const strategy of ['top-k', 'score-drop', 'knapsack', 'search'] as const) {
      const result = await evaluateRetrieval({ dataset: questions, index: bm25Index, retriever: 'bm25', budgetTokens: BUDGET, contextStrategy: strategy, tokenizer });
      strategies.push({ strategy, scores: bySplit(result.questions, questionSplit, familyOf).test });
    }
    wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    cpuMs = (cpu.user + cpu.system) / 1000;
    return report();
  },
};

function report(): string {
  const test = (r: Row, at: 'atK' | 'atBudget') => r[at].test;
  const count = (split: Split) => tasks.reduce((n, t) => n + t[split].length, 0);
  const kTable = [
    `| retriever | recall (mean) | synthetic recall | synthetic IoU | synthetic MRR@10 | held-out recall | held-out IoU | held-out MRR@10 | tokens |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const s = test(r, 'atK');
      return `| ${r.label} | ${f3(meanOf(s))} ± ${f3(seOf(s))} | ${f3(s.synthetic.recall)} | ${f3(s.synthetic.iou)} | ${f3(s.synthetic.mrr)} | ${f3(s['held-out'].recall)} | ${f3(s['held-out'].iou)} | ${f3(s['held-out'].mrr)} | ${((s.synthetic.tokens + s['held-out'].tokens) / 2).toFixed(0)} |`;
    }),
  ];
  const budgetTable = [
    `| retriever | recall (mean) | synthetic recall | synthetic IoU | held-out recall | held-out IoU | context tokens | tune: recall (mean) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const s = test(r, 'atBudget');
      return `| ${r.label} | ${f3(meanOf(s))} ± ${f3(seOf(s))} | ${f3(s.synthetic.recall)} | ${f3(s.synthetic.iou)} | ${f3(s['held-out'].recall)} | ${f3(s['held-out'].iou)} | ${((s.synthetic.tokens + s['held-out'].tokens) / 2).toFixed(0)} | ${f3(meanOf(r.atBudget.tune))} |`;
    }),
  ];
  const fusionTable = [
    `| hybrid fusion | recall@${K} (mean) | synthetic recall@${K} | held-out recall@${K} | synthetic MRR@10 | held-out MRR@10 | recall@${BUDGET} (mean) | synthetic recall@${BUDGET} | held-out recall@${BUDGET} | tune: recall@${BUDGET} (mean) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...fusions.map((f) => {
      const k = f.atK.test;
      const b = f.atBudget.test;
      return `| top ${f.depth} of each, weights ${f.weights.join(' : ')} | ${f3(meanOf(k))} ± ${f3(seOf(k))} | ${f3(k.synthetic.recall)} | ${f3(k['held-out'].recall)} | ${f3(k.synthetic.mrr)} | ${f3(k['held-out'].mrr)} | ${f3(meanOf(b))} ± ${f3(seOf(b))} | ${f3(b.synthetic.recall)} | ${f3(b['held-out'].recall)} | ${f3(meanOf(f.atBudget.tune))} |`;
    }),
  ];
  const strategyTable = [
    '| context strategy | recall (mean) | synthetic recall | synthetic IoU | held-out recall | held-out IoU | context tokens |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...strategies.map(({ strategy, scores: s }) => `| ${strategy} | ${f3(meanOf(s))} ± ${f3(seOf(s))} | ${f3(s.synthetic.recall)} | ${f3(s.synthetic.iou)} | ${f3(s['held-out'].recall)} | ${f3(s['held-out'].iou)} | ${((s.synthetic.tokens + s['held-out'].tokens) / 2).toFixed(0)} |`),
  ];
  const bm25 = rows[0] as Row;
  const contenders = rows.slice(1).filter((r) => r.label.startsWith('hybrid') || r.label.startsWith('dense'));
  const verdictFor = (at: 'atK' | 'atBudget', what: string) => {
    const best = [...contenders].sort((a, b) => meanOf(b[at].test) - meanOf(a[at].test))[0] as Row;
    // From the rounded means, so that the sentence agrees with the figures beside it.
    const delta = Number((Number(f3(meanOf(best[at].test))) - Number(f3(meanOf(bm25[at].test)))).toFixed(3)) || 0;
    const se = Math.max(seOf(best[at].test), seOf(bm25[at].test));
    return `${what}: the best row, ${best.label}, is ${delta >= 0 ? '+' : ''}${f3(delta)} from BM25 (${f3(meanOf(best[at].test))} vs ${f3(meanOf(bm25[at].test))}; one standard error ${f3(se)}), ${Math.abs(delta) <= se ? 'no difference the test split can see' : delta > 0 ? 'a gain beyond one standard error' : 'a loss beyond one standard error'}`;
  };
  const helps = contenders.some((r) => meanOf(r.atBudget.test) - meanOf(bm25.atBudget.test) > Math.max(seOf(r.atBudget.test), seOf(bm25.atBudget.test)));
  return [
    `**Verdict.** ${verdictFor('atK', `At k = ${K}`)}. ${verdictFor('atBudget', `At ${BUDGET.toLocaleString('en')} tokens`)}. ${helps ? 'Hybrid helps at the budget here.' : 'With the GloVe embedder, hybrid, situated and metadata-prefixed embeddings do not help on these tasks, so BM25 stays the default retriever; hybrid, where used, should fuse shallow lists (top 10 of each, the default of `evaluateRetrieval` and `ChunkwiseRetriever`), never the 50 candidates of a budget.'}`,
    '',
    `**Setup.** The quality suite's tasks (RULER needles over Moby Dick and SOTU haystacks, held-out sentences; ${RULER_PER_TYPE} needles per type and source, ${HELD_OUT} held-out sentences per source), figures from the **test** split (${count('test')} questions; the tune split, ${count('tune')}, is shown only where a choice was made on it). Chunking as the quality suite chose it: recursive, ${SIZE} o200k tokens, no overlap; every row has the same chunks, so only what is searched and embedded differs. ${note}`,
    '',
    `**What is embedded** (retrieval's \`embeddingText\`; BM25 always indexes the plain chunk): *situated ±w* embeds the chunk inside its \`meta.context\` window of about w tokens on each side (chunking's \`contextTokens: w\`; SitEmb), the hit and its citation stay the chunk; *metadata prefix* writes \`president: …; year: …\` (SOTU) or \`chapter: …; title: …\` (Moby Dick) of the document the chunk lies in on a line before it (Enterprise metadata RAG). The SIF embedder of each corpus is fitted on exactly the texts it embeds. Questions are embedded as they are. Dense rows are \`evaluateRetrieval\`'s; hybrid rows fuse BM25 and dense as chosen on tune in the fusion table below. "recall (mean)" averages the synthetic and held-out recalls (± one standard error).`,
    '',
    `Whole run: ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU (load average ${loadavg()[0]?.toFixed(0)}) on ${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}. Indexes: ${indexNotes.join('; ')}.`,
    '',
    `### Equal k: the top ${K} chunks (test split)`,
    '',
    ...kTable,
    '',
    `### Equal budget: ${BUDGET.toLocaleString('en')} tokens filled best first (\`selectContext\` top-k; test split)`,
    '',
    ...budgetTable,
    '',
    `### Hybrid: how deep the fused lists are, and the weight of dense (test split)`,
    '',
    `Reciprocal rank fusion (k = 60) of BM25's and dense's top *n*, plain embeddings; the hybrid rows above use the one with the best tune recall at ${BUDGET.toLocaleString('en')} tokens (**top ${chosenFusion?.depth} of each, weights ${chosenFusion?.weights.join(' : ')}**). In 50-deep lists, chunks that both rank middling outrank the chunk BM25 ranks first; \`evaluateRetrieval\` (option \`fusionDepth\`) and \`ChunkwiseRetriever\` fuse the top 10 of each by default, with weights 1 : 1.`,
    '',
    ...fusionTable,
    '',
    `### Context strategies at ${BUDGET.toLocaleString('en')} tokens, BM25 (test split)`,
    '',
    'The quality section\'s context-strategy rows, re-run after the fix of `selectContext`\'s `search` strategy (it scored a new branch by its first child, so the top hit\'s branch was never explored again, and dropped the top hit on 85% of these questions). Before the fix, at the same configuration: search 0.299 (synthetic 0.431, held-out 0.168).',
    '',
    ...strategyTable,
  ].join('\n');
}

export default suite;
