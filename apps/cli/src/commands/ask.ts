import { Option, type Command } from 'commander';
import { ChunkwiseError } from '@chunkwise/core';
import { CONTEXT_STRATEGIES, type ContextStrategy } from '@chunkwise/retrieval';
import { ANSWER_METHODS, type AnswerMethod } from '@chunkwise/summarization';
import { answerQuestion, citationRows, describeRepairs, type CitedAnswer } from '../answer-question.js';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { withInterrupts } from '../interrupt.js';
import { defaultLlmCachePath, openLlmCache } from '../llm-cache.js';
import { addLlmOptions, languageModelFromOptions, type LlmFlags } from '../llm-options.js';
import { print, printNote, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { CONTEXT_STRATEGY_DEFAULT_HELP, contextStrategyFor, QUALITY_DEFAULTS } from '../quality-defaults.js';
import { addRetrieverOptions, openRetriever, type RetrieverFlags } from '../retriever-option.js';
import { openStoreTarget } from '../store-target.js';
import { addTokenizerOption, loadTokenizer } from '../tokenizer-option.js';

interface AskFlags extends LlmFlags, RetrieverFlags {
  db: string;
  table?: string;
  budget: number;
  strategy?: ContextStrategy;
  k?: number;
  method?: AnswerMethod;
  words: number;
  tokenizer: string;
  /** A file, false for --no-cache, undefined for the default place. */
  cache?: string | false;
}

export function registerAsk(program: Command): void {
  const command = program
    .command('ask')
    .description('answer a question from an index with numbered sources: retrieve, fit a context to the budget, answer (extractive offline, or an LLM’s, streamed), every [n] an exact span of a file')
    .argument('<question>', 'what to ask')
    .requiredOption('--db <path|url>', 'SQLite index file or postgres://user:pass@host/db, built by `chunkwise index`')
    .option('--table <name>', 'table of a postgres:// index (default chunkwise_records)')
    .addOption(integerOption('--budget <tokens>', 'largest context given to the answer, in tokens of --tokenizer', { min: 1, default: QUALITY_DEFAULTS.budgetTokens }))
    .addOption(new Option('--strategy <name>', `how the context is filled: ${CONTEXT_STRATEGIES.join(', ')} (default: ${CONTEXT_STRATEGY_DEFAULT_HELP})`).choices(CONTEXT_STRATEGIES))
    .addOption(integerOption('-k, --k <n>', 'at most this many passages in the context (default: as many as the budget takes)', { min: 1 }))
    .addOption(new Option('-m, --method <name>', `${ANSWER_METHODS.join(', ')} (default: extractive, or compact when an LLM is configured)`).choices(ANSWER_METHODS))
    .addOption(integerOption('-w, --words <n>', 'longest answer, in words', { min: 1, default: 120 }))
    .option('--cache <file>', 'SQLite file of finished LLM answers, reused by a rerun (default: the one summarize uses, llm-calls.db)')
    .option('--no-cache', 'make every LLM call; keep and reuse none');
  addRetrieverOptions(command);
  addLlmOptions(command);
  addTokenizerOption(command, { description: 'tokenizer that counts --budget' }).action(async (question: string, flags: AskFlags, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    if (question.trim() === '') throw new UsageError('ask needs a question, e.g. chunkwise ask "Who is Queequeg?" --db index.db.');
    const model = languageModelFromOptions(flags);
    const method = flags.method ?? (model ? 'compact' : 'extractive');
    if (method !== 'extractive' && !model) {
      throw new UsageError(`--method ${method} needs an LLM: pass --llm <baseURL> --model <name> (or set CHUNKWISE_LLM_URL and CHUNKWISE_LLM_MODEL).`);
    }
    const tokenizer = await loadTokenizer(flags.tokenizer);
    const ui = new ProgressUI({ quiet: globals.quiet === true || globals.json === true });
    const target = await openStoreTarget(flags.db, {
      create: false,
      ...(flags.table === undefined ? {} : { table: flags.table }),
      missingHint: `build one with \`chunkwise index <files…> --db ${flags.db}\``,
    });
    const cache = model && flags.cache !== false ? openLlmCache(flags.cache ?? defaultLlmCachePath()) : undefined;
    // Text goes to stdout as it arrives, unless the output is one JSON document.
    let streamed = '';
    const onText = globals.json
      ? undefined
      : (text: string) => {
          streamed += text;
          print(text);
        };
    let cited: CitedAnswer;
    let retrieverName: string;
    const strategy: ContextStrategy = flags.strategy ?? contextStrategyFor(flags.retriever);
    try {
      if ((await target.store.count()) === 0) {
        throw new ChunkwiseError('NOT_FOUND', `${target.label} holds no passages; index files into it first: chunkwise index <files…> --db ${target.label}.`);
      }
      const retriever = await openRetriever(target, flags, { onProgress: ui.onProgress });
      retrieverName = retriever.embedder ? `${retriever.name} (${retriever.embedder.spec})` : retriever.name;
      try {
        const run = (signal?: AbortSignal) =>
          answerQuestion(
            target,
            question,
            { retriever, tokenizer, budgetTokens: flags.budget, strategy, k: flags.k, method, model, cache: cache?.cache, targetWords: flags.words, signal },
            onText,
          );
        // With a model, Ctrl-C aborts the call in flight; finished answers stay cached.
        cited = model ? await withInterrupts(run) : await run();
      } finally {
        await retriever.close();
      }
    } finally {
      ui.stop();
      cache?.close();
      await target.close();
    }
    const { result, passages } = cited;
    const citations = citationRows(result.citations);
    const repairs = describeRepairs(result, passages.length);
    if (globals.json) {
      writeJson({
        question,
        answer: result.text,
        answered: result.answered,
        method: result.method,
        retriever: retrieverName,
        citations,
        repairs: result.repairs,
        passages: passages.map(({ id, docId, start, end, score, tokens }) => ({ id, source: docId, start, end, score, tokens })),
        usage: result.usage,
        calls: result.calls,
        cacheHits: result.cacheHits,
      });
      return;
    }
    // The stream showed the model's text; the checked answer differs only where it was repaired.
    if (streamed.trim() !== result.text.trim()) print(`\n\nchecked answer:\n${result.text}`);
    print('\n');
    if (citations.length > 0) {
      print('\nsources\n');
      for (const citation of citations) print(`[${citation.marker}] ${citation.source} [${citation.start}, ${citation.end})\n    “${citation.text.replace(/\s+/g, ' ').trim()}”\n`);
    }
    if (globals.quiet !== true) {
      for (const line of repairs) printNote(`chunkwise: ${line}\n`);
      const calls = result.calls + result.cacheHits > 0 ? `, ${result.calls} model calls${result.cacheHits ? `, ${result.cacheHits} cached` : ''}` : '';
      printNote(`${result.method} answer from ${passages.length} passages (${retrieverName}, ${strategy} ≤ ${flags.budget} tokens)${calls}\n`);
    }
  });
}
