import { cpus, loadavg } from 'node:os';
import { getEncoding } from '@chunkwise/tokenizers';
import type { RetrieverName } from '@chunkwise/eval';
import type { ContextStrategy } from '@chunkwise/retrieval';
import type { Suite } from '../harness.js';
import { loadQualityEmbedder } from './quality-embedder.js';
import { choose, runQualityGrid, score, scoreError, type Family, type QualityConfig, type QualityRow, type Split } from './quality-grid.js';
import { qualityTasks, type QualityTask } from './quality-tasks.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** RULER questions per needle type and source, and held-out sentences per source (half tune, half test). */
const RULER_PER_TYPE = env('CHUNKWISE_BENCH_QUALITY_RULER', 16);
const HELD_OUT = env('CHUNKWISE_BENCH_QUALITY_HELD_OUT', 96);
/** The equal token budget every configuration fills (the digest's answer budget). */
const BUDGET = env('CHUNKWISE_BENCH_QUALITY_BUDGET', 1200);
const CHUNKERS = (process.env.CHUNKWISE_BENCH_QUALITY_CHUNKERS ?? 'token,sentence,recursive,perplexity,optimal').split(',');
const SIZES = [200, 400, 800];
const OVERLAPS = [0, 1 / 8];
const CONTEXTS: ContextStrategy[] = ['top-k', 'score-drop', 'knapsack', 'search'];
/** The CLI's and digest's defaults (apps/cli/src/quality-defaults.ts, chosen from this table's previous run): a row of the grid. */
const CLI_DEFAULT: QualityConfig = { chunker: 'recursive', size: 200, overlap: 0, retriever: 'bm25', context: 'score-drop' };
/** The defaults before the quality table: recursive chunks of 512, BM25, SAGE score-drop, at most 3 passages. */
const EARLIER_DEFAULT: QualityConfig = { chunker: 'recursive', size: 512, overlap: 0, retriever: 'bm25', context: 'score-drop', k: 3 };

let rows: QualityRow[] = [];
let tasks: QualityTask[] = [];
let embedderNote = '';
let wallMs = 0;
let cpuMs = 0;

const pct = (x: number) => x.toFixed(3);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const name = (r: QualityConfig) => `${r.chunker} ${r.size}${r.overlap ? `+${r.overlap}` : ''} · ${r.retriever} · ${r.context}${r.k ? ` (k ≤ ${r.k})` : ''}`;
const same = (a: QualityConfig, b: QualityConfig) => a.chunker === b.chunker && a.size === b.size && a.overlap === b.overlap && a.retriever === b.retriever && a.context === b.context && a.k === b.k;

function cells(row: QualityRow, split: Split): string[] {
  const f = (family: Family) => row.scores[split][family];
  const both = (key: 'precisionOmega' | 'tokens') => (f('synthetic')[key] + f('held-out')[key]) / 2;
  return [pct(score(row, split)), pct(f('synthetic').recall), pct(f('synthetic').iou), pct(f('held-out').recall), pct(f('held-out').iou), pct(both('precisionOmega')), both('tokens').toFixed(0)];
}

const HEADER =
  '| configuration | recall (mean) | synthetic recall | synthetic IoU | held-out recall | held-out IoU | Precision-Ω | context tokens | chunks | index s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
const line = (row: QualityRow, split: Split, label = name(row)) => `| ${label} | ${cells(row, split).join(' | ')} | ${row.chunks.toLocaleString('en')} | ${seconds(row.indexMs)} |`;

/** The chosen row's neighbours along one axis (size varies with overlap): everything else as chosen. */
function axis(best: QualityRow, key: 'chunker' | 'size' | 'retriever' | 'context', grid: readonly QualityRow[]): QualityRow[] {
  const varying: readonly string[] = key === 'size' ? ['size', 'overlap'] : [key];
  const fields = ['chunker', 'size', 'overlap', 'retriever', 'context'] as const;
  return grid.filter((r) => fields.every((f) => varying.includes(f) || r[f] === best[f]));
}

const suite: Suite = {
  name: 'quality',
  description:
    'Retrieval quality at an equal token budget, measured with `@chunkwise/eval`: every chunker × size (200/400/800 o200k tokens, without and with 1/8 overlap) × retriever × context strategy on RULER needle tasks and held-out sentences built from Moby Dick and the State of the Union addresses.',
  cases() {
    return [];
  },
  async notes() {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const tokenizer = await getEncoding('o200k_base');
    tasks = qualityTasks({ rulerPerType: RULER_PER_TYPE, heldOut: HELD_OUT });
    const embedder = await loadQualityEmbedder();
    embedderNote = embedder.note;
    const retrievers: RetrieverName[] = embedder.source ? ['bm25', 'dense', 'hybrid'] : ['bm25'];
    rows = await runQualityGrid({
      tasks,
      chunkers: CHUNKERS,
      sizes: SIZES,
      overlaps: OVERLAPS,
      retrievers,
      contexts: CONTEXTS,
      budgetTokens: BUDGET,
      tokenizer,
      ...(embedder.source ? { embedder: embedder.source } : {}),
      extra: [EARLIER_DEFAULT],
      log: (message) => process.stdout.write(`  ${message}\n`),
    });
    wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    cpuMs = (cpu.user + cpu.system) / 1000;
    return report();
  },
};

function report(): string {
  const grid = rows.filter((r) => !same(r, EARLIER_DEFAULT));
  const earlier = rows.find((r) => same(r, EARLIER_DEFAULT)) as QualityRow;
  const cliDefault = grid.find((r) => same(r, CLI_DEFAULT));
  const ranked = [...grid].sort((a, b) => score(b, 'tune') - score(a, 'tune'));
  const { best: top, chosen: best, threshold } = choose(grid);
  const count = (split: Split) => tasks.reduce((n, t) => n + t[split].length, 0);
  const label = (r: QualityRow) => (r === best ? `**${name(r)}** (chosen)` : name(r)) + (r === cliDefault ? ' (CLI default)' : '');
  const corpusChars = tasks.reduce((n, t) => n + Object.values(t.corpora).reduce((m, c) => m + c.length, 0), 0);
  const out: string[] = [
    `**Tasks.** RULER needles (Hsieh et al. 2024: single, multi-key with 3 distractor needles per question, multi-value with 4 values, multi-query with 2 keys; ${RULER_PER_TYPE} questions per type) in four ~290 k-character haystacks of Moby Dick and four of State of the Union addresses (most recent first), and ${HELD_OUT} held-out sentences (inverse cloze: the sentence is cut out and is the question; the gold span is the two sentences on each side) from the second half of Moby Dick and from further SOTU addresses: ${tasks.reduce((n, t) => n + t.tune.length + t.test.length, 0)} questions over ${(corpusChars / 1e6).toFixed(1)} M characters. Every reference is an exact span, checked by the loader.`,
    '',
    `**Split.** Questions alternate between a *tune* half (${count('tune')} questions) and a *test* half (${count('test')}), in the builders' seeded order. The defaults are chosen on **tune**; every figure below is from **test** unless a column says otherwise.`,
    '',
    `**Budget.** Every configuration fills the same context budget of ${BUDGET.toLocaleString('en')} o200k tokens (the digest's answer budget) with \`selectContext\` from the 50 best-ranked chunks: \`top-k\` (best first while they fit), \`score-drop\` (SAGE's cut), \`knapsack\`, \`search\` (CORAG-style tree search, 200 iterations). Recall is the share of gold characters inside the context, precision the share of the context that is gold, IoU their Jaccard; Precision-Ω is the best precision the chunking allows (all chunks that touch the gold), a property of the chunking alone; "context tokens" is the mean size of the context actually filled. "recall (mean)" averages the synthetic and held-out recalls and is what the defaults are chosen by. Index time is chunking + BM25 (+ embedding for dense and hybrid) of all corpora, on this machine while other work ran.`,
    '',
    `**Retrievers.** ${embedderNote}`,
    '',
    `**Chunkers.** ${CHUNKERS.join(', ')} from \`createChunker\`; \`markdown\` and \`code\` are left out (on plain prose markdown cuts exactly like recursive, and the corpora hold no code); \`semantic\` and \`late\` need an embedding model in the chunker itself.`,
    '',
    `Whole run: ${seconds(wallMs)} s wall, ${seconds(cpuMs)} s CPU (one thread; the machine was shared with other work, load average ${loadavg()[0]?.toFixed(0)}) on ${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}.`,
    '',
    '### Chosen on the tune split',
    '',
    `Best mean recall on **tune**: ${name(top)} (${pct(score(top, 'tune'))} ± ${pct(scoreError(top, 'tune'))} standard error). By the one-standard-error rule (of the configurations within one standard error of the best, the one with the smallest context), the choice is **${name(best)}**: tune ${pct(score(best, 'tune'))}, **test ${pct(score(best, 'test'))} ± ${pct(scoreError(best, 'test'))}**, ${grid.filter((r) => score(r, 'tune') >= threshold).length} configurations within the standard error. ${cliDefault === undefined ? '' : cliDefault === best ? 'It is the CLI\'s default (apps/cli/src/quality-defaults.ts). ' : `The CLI's default (apps/cli/src/quality-defaults.ts, chosen by the previous run) is ${name(cliDefault)}: tune ${pct(score(cliDefault, 'tune'))}, test ${pct(score(cliDefault, 'test'))}, ${score(cliDefault, 'tune') >= threshold ? 'still within one standard error of the best on tune' : 'no longer within one standard error of the best on tune'}. `}The ten best on tune, with their **test** figures, the CLI's default and the defaults before the table:`,
    '',
    HEADER,
    ...[...ranked.slice(0, 10), ...(ranked.slice(0, 10).includes(best) ? [] : [best])].map((r) => line(r, 'test', label(r))),
    ...(cliDefault && !ranked.slice(0, 10).includes(cliDefault) && cliDefault !== best ? [line(cliDefault, 'test', label(cliDefault))] : []),
    line(earlier, 'test', `before the table: ${name(earlier)}`),
    '',
    '### One choice at a time (test split)',
    '',
    'Each table varies one choice and keeps the others as chosen above.',
  ];
  for (const [key, title] of [['chunker', 'Chunker'], ['size', 'Size and overlap'], ['retriever', 'Retriever'], ['context', 'Context strategy']] as const) {
    out.push('', `**${title}**`, '', HEADER, ...axis(best, key, grid).sort((a, b) => score(b, 'test') - score(a, 'test')).map((r) => line(r, 'test')));
  }
  out.push(
    '',
    '### Every configuration (test split)',
    '',
    '<details><summary>' + grid.length + ' rows</summary>',
    '',
    HEADER,
    ...[...grid].sort((a, b) => score(b, 'test') - score(a, 'test')).map((r) => line(r, 'test')),
    '',
    '</details>',
  );
  return out.join('\n');
}

export default suite;
