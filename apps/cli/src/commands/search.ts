import type { Command } from 'commander';
import { CONTEXT_STRATEGIES, hitsToContext, selectContext, type ContextStrategy } from '@chunkwise/retrieval';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { CONTEXT_STRATEGY_DEFAULT_HELP, contextStrategyFor, QUALITY_DEFAULTS } from '../quality-defaults.js';
import { addRetrieverOptions, openRetriever, type RetrieverFlags } from '../retriever-option.js';
import { openStoreTarget } from '../store-target.js';
import { addTokenizerOption, loadTokenizer } from '../tokenizer-option.js';

interface SearchOptions extends RetrieverFlags {
  db: string;
  table?: string;
  k: number;
  budget?: number;
  strategy?: string;
  tokenizer: string;
}

export function registerSearch(program: Command): void {
  const command = program
    .command('search')
    .description('search an index built by `chunkwise index` (BM25, dense or hybrid); with --budget, assemble a cited context that fits')
    .argument('<query>', 'what to look for')
    .requiredOption('--db <path|url>', 'SQLite index file or postgres://user:pass@host/db')
    .option('--table <name>', 'table of a postgres:// index (default chunkwise_records)')
    .addOption(integerOption('-k, --k <n>', 'how many hits (with --budget: at most this many passages, only when given)', { min: 1, default: 5 }))
    .addOption(integerOption('--budget <tokens>', 'assemble a context of at most this many tokens (of --tokenizer) from the hits', { min: 1 }))
    .option('--strategy <name>', `context strategy: ${CONTEXT_STRATEGIES.join(', ')} (default: ${CONTEXT_STRATEGY_DEFAULT_HELP})`);
  addRetrieverOptions(command);
  addTokenizerOption(command, { description: 'tokenizer that counts --budget' }).action(async (query: string, options: SearchOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const { k, budget } = options;
    if (options.strategy !== undefined && !(CONTEXT_STRATEGIES as readonly string[]).includes(options.strategy)) {
      throw new UsageError(`--strategy must be one of ${CONTEXT_STRATEGIES.join(', ')}, got ${JSON.stringify(options.strategy)}.`);
    }
    // Opening a missing file would create an empty store; searching one is a mistake.
    const target = await openStoreTarget(options.db, {
      create: false,
      ...(options.table === undefined ? {} : { table: options.table }),
      missingHint: `build one with \`chunkwise index <files…> --db ${options.db}\``,
    });
    const ui = new ProgressUI({ quiet: globals.quiet === true || globals.json === true });
    try {
      const retriever = await openRetriever(target, options, { onProgress: ui.onProgress }).finally(() => ui.stop());
      // Hybrid fuses two rankings: both go deeper than k, as the budgeted context does.
      const depth = budget === undefined && retriever.name === 'bm25' ? k : Math.max(k, QUALITY_DEFAULTS.candidates);
      const found = await retriever.search(query, depth, { fusionDepth: Math.max(QUALITY_DEFAULTS.fusionDepth, k) }).finally(() => retriever.close());
      const hits = await hitsToContext(target.store, budget === undefined ? found.slice(0, k) : found);
      if (budget === undefined) {
        const top = hits.slice(0, k).map(({ id, score, docId, start, end, text }) => ({ id, score, source: docId, start, end, text }));
        if (globals.json) {
          writeJson({ query, retriever: retriever.name, hits: top });
          return;
        }
        if (top.length === 0) print('no matches\n');
        top.forEach((hit, i) => print(`${i + 1}. ${hit.score.toFixed(3)}  ${hit.source} [${hit.start}, ${hit.end})\n   ${snippet(hit.text)}\n`));
        return;
      }
      const tokenizer = await loadTokenizer(options.tokenizer);
      // With a budget, -k caps the passages only when given: the budget decides (quality-defaults.ts).
      const cap = cmd.getOptionValueSource('k') === 'cli' ? { k } : {};
      const strategy = (options.strategy as ContextStrategy | undefined) ?? contextStrategyFor(retriever.name);
      const context = selectContext(hits, { budgetTokens: budget, tokenizer, strategy, ...cap });
      if (globals.json) {
        writeJson({ query, retriever: retriever.name, budget, strategy, tokenizer: options.tokenizer, tokens: context.tokens, passages: context.passages.map(({ id, docId, start, end, score, tokens, text }) => ({ id, source: docId, start, end, score, tokens, text })) });
        return;
      }
      print(`context: ${context.passages.length} passages, ${context.tokens} of ${budget} tokens (${strategy})\n\n`);
      context.passages.forEach((p, i) => print(`[${i + 1}] ${p.docId} [${p.start}, ${p.end})\n${p.text}\n\n`));
    } finally {
      await target.close();
    }
  });
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
