import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveTokenizer } from '@chunkwise/chunking';
import { ChunkwiseError } from '@chunkwise/core';
import { selectContext, type ContextHit, type SelectContextOptions } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import { UsageError } from '../errors.js';
import { writeJson, type GlobalOptions } from '../output.js';

interface SearchOptions {
  db: string;
  k: string;
  budget?: string;
  strategy: string;
}

const STRATEGIES = ['top-k', 'score-drop', 'knapsack', 'search'] as const;

function positive(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(value)}.`);
  return Number(value);
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('search an index built by `chunkwise index`; with --budget, assemble a cited context that fits')
    .argument('<query>', 'what to look for')
    .requiredOption('--db <path>', 'SQLite index file')
    .option('-k, --k <n>', 'how many hits', '5')
    .option('--budget <tokens>', 'assemble a context of at most this many o200k tokens from the hits')
    .option('--strategy <name>', `context strategy: ${STRATEGIES.join(', ')}`, 'top-k')
    .action(async (query: string, options: SearchOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const k = positive(options.k, '--k');
      const budget = options.budget === undefined ? undefined : positive(options.budget, '--budget');
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
          if (top.length === 0) process.stdout.write('no matches\n');
          top.forEach((hit, i) => process.stdout.write(`${i + 1}. ${hit.score.toFixed(3)}  ${hit.source} [${hit.start}, ${hit.end})\n   ${snippet(hit.text)}\n`));
          return;
        }
        const tokenizer = await resolveTokenizer('o200k_base');
        const context = selectContext(hits, { budgetTokens: budget, tokenizer, strategy: options.strategy as SelectContextOptions['strategy'] & string, k });
        if (globals.json) {
          writeJson({ query, budget, strategy: options.strategy, tokens: context.tokens, passages: context.passages.map(({ id, docId, start, end, score, tokens, text }) => ({ id, source: docId, start, end, score, tokens, text })) });
          return;
        }
        process.stdout.write(`context: ${context.passages.length} passages, ${context.tokens} of ${budget} tokens (${options.strategy})\n\n`);
        context.passages.forEach((p, i) => process.stdout.write(`[${i + 1}] ${p.docId} [${p.start}, ${p.end})\n${p.text}\n\n`));
      } finally {
        await store.close();
      }
    });
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
