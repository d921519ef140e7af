import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ChunkwiseError } from '@chunkwise/core';
import { selectContext, type ContextHit, type SelectContextOptions } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { addTokenizerOption, loadTokenizer } from '../tokenizer-option.js';

interface SearchOptions {
  db: string;
  k: number;
  budget?: number;
  strategy: string;
  tokenizer: string;
}

const STRATEGIES = ['top-k', 'score-drop', 'knapsack', 'search'] as const;

export function registerSearch(program: Command): void {
  const command = program
    .command('search')
    .description('search an index built by `chunkwise index`; with --budget, assemble a cited context that fits')
    .argument('<query>', 'what to look for')
    .requiredOption('--db <path>', 'SQLite index file')
    .addOption(integerOption('-k, --k <n>', 'how many hits', { min: 1, default: 5 }))
    .addOption(integerOption('--budget <tokens>', 'assemble a context of at most this many tokens (of --tokenizer) from the hits', { min: 1 }))
    .option('--strategy <name>', `context strategy: ${STRATEGIES.join(', ')}`, 'top-k');
  addTokenizerOption(command, { description: 'tokenizer that counts --budget' })
    .action(async (query: string, options: SearchOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const { k, budget } = options;
      if (!(STRATEGIES as readonly string[]).includes(options.strategy)) {
        throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(options.strategy)}.`);
      }
      // Opening a missing path would create an empty store; searching one is a mistake.
      if (!existsSync(options.db)) throw new ChunkwiseError('NOT_FOUND', `No index at ${options.db}; build one with \`chunkwise index <files…> --db ${options.db}\`.`);
      const store = SqliteStore.open(options.db);
      try {
        const found = await store.searchText(query, { k: budget === undefined ? k : Math.max(k, 50) });
        const hits: (ContextHit & { source: string })[] = [];
        for (const hit of found) {
          const record = await store.get(hit.id);
          if (!record) continue;
          const meta = record.meta ?? {};
          hits.push({ id: hit.id, score: hit.score, text: record.text, source: String(meta.source), docId: String(meta.source), start: Number(meta.start), end: Number(meta.end), chunkIndex: Number(meta.index) });
        }
        if (budget === undefined) {
          const top = hits.slice(0, k);
          if (globals.json) {
            writeJson({ query, hits: top.map(({ id, score, source, start, end, text }) => ({ id, score, source, start, end, text })) });
            return;
          }
          if (top.length === 0) print('no matches\n');
          top.forEach((hit, i) => print(`${i + 1}. ${hit.score.toFixed(3)}  ${hit.source} [${hit.start}, ${hit.end})\n   ${snippet(hit.text)}\n`));
          return;
        }
        const tokenizer = await loadTokenizer(options.tokenizer);
        const context = selectContext(hits, { budgetTokens: budget, tokenizer, strategy: options.strategy as SelectContextOptions['strategy'] & string, k });
        if (globals.json) {
          writeJson({ query, budget, strategy: options.strategy, tokens: context.tokens, passages: context.passages.map(({ id, docId, start, end, score, tokens, text }) => ({ id, source: docId, start, end, score, tokens, text })) });
          return;
        }
        print(`context: ${context.passages.length} passages, ${context.tokens} of ${budget} tokens (${options.strategy})\n\n`);
        context.passages.forEach((p, i) => print(`[${i + 1}] ${p.docId} [${p.start}, ${p.end})\n${p.text}\n\n`));
      } finally {
        await store.close();
      }
    });
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
