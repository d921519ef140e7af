import type { Command } from 'commander';
import { SUMMARIZATION_METHODS, summarize, type SummarizationMethod, type SummarizeResult } from '@chunkwise/summarization';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { readInput } from '../input.js';
import { withInterrupts } from '../interrupt.js';
import { defaultLlmCachePath, openLlmCache } from '../llm-cache.js';
import { addLlmOptions, languageModelFromOptions, type LlmFlags } from '../llm-options.js';
import { print, printNote, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';

interface SummarizeFlags extends LlmFlags {
  method?: string;
  words: number;
  tolerance: string;
  chunkTokens?: number;
  /** A file, false for --no-cache, undefined for the default place. */
  cache?: string | false;
}

export function registerSummarize(program: Command): void {
  const command = program
    .command('summarize')
    .description('summarize a text to a word target: extractive offline, or hierarchical/incremental/map-reduce/refine with an LLM')
    .argument('<file>', 'UTF-8 text or Markdown file, or - for stdin')
    .option('-m, --method <name>', `one of ${SUMMARIZATION_METHODS.join(', ')} (default: extractive, or hierarchical when an LLM is configured)`)
    .addOption(integerOption('-w, --words <n>', 'target length in words', { min: 1, default: 250 }))
    .option('--tolerance <fraction>', 'allowed length deviation before a retry, e.g. 0.1 for ±10%', '0.1')
    .addOption(integerOption('--chunk-tokens <n>', 'largest chunk sent to the LLM, in tokens (default 2048, capped by the window)', { min: 1 }))
    .option('--cache <file>', 'SQLite file of finished LLM calls, reused by a rerun (default $CHUNKWISE_CACHE_DIR, $XDG_CACHE_HOME/chunkwise or ~/.cache/chunkwise, file llm-calls.db)')
    .option('--no-cache', 'make every LLM call; keep and reuse none');
  addLlmOptions(command).action(async (file: string, flags: SummarizeFlags, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const targetWords = flags.words;
    const tolerance = Number(flags.tolerance);
    if (!(tolerance >= 0 && tolerance < 1)) throw new UsageError(`--tolerance must be a fraction in [0, 1), got ${JSON.stringify(flags.tolerance)}.`);
    const model = languageModelFromOptions(flags);
    const method = (flags.method ?? (model ? 'hierarchical' : 'extractive')) as SummarizationMethod;
    if (!SUMMARIZATION_METHODS.includes(method)) {
      throw new UsageError(`--method must be one of ${SUMMARIZATION_METHODS.join(', ')}, got ${JSON.stringify(flags.method)}.`);
    }
    if (method !== 'extractive' && !model) {
      throw new UsageError(`--method ${method} needs an LLM: pass --llm <baseURL> --model <name> (or set CHUNKWISE_LLM_URL and CHUNKWISE_LLM_MODEL).`);
    }
    const input = await readInput(file);
    const ui = new ProgressUI({ quiet: globals.quiet === true });
    // Only LLM calls are worth keeping: an extractive summary makes none.
    const cache = model && flags.cache !== false ? openLlmCache(flags.cache ?? defaultLlmCachePath()) : undefined;
    let result: SummarizeResult;
    try {
      const run = (signal?: AbortSignal) =>
        summarize(input.text, {
          method,
          targetWords,
          tolerance,
          ...(model ? { model } : {}),
          ...(cache ? { cache: cache.cache } : {}),
          ...(signal ? { signal } : {}),
          ...(flags.chunkTokens === undefined ? {} : { chunkTokens: flags.chunkTokens }),
          onProgress: ui.onProgress,
        });
      // With a model, Ctrl-C aborts the calls in flight and keeps the finished ones for a rerun.
      result = model ? await withInterrupts(run) : await run();
    } finally {
      ui.stop();
      cache?.close();
    }
    if (globals.json) {
      writeJson({ source: input.name, ...result });
      return;
    }
    // The summary alone on stdout (so `> summary.txt` works); the figures on stderr.
    print(result.summary + '\n');
    if (globals.quiet !== true) printNote(describeResult(result) + '\n');
  });
}

/** One line of figures: method, achieved length against the target, calls and tokens. */
export function describeResult(result: SummarizeResult): string {
  const error = `${result.lengthError >= 0 ? '+' : ''}${(result.lengthError * 100).toFixed(1)}%`;
  const parts = [`${result.method}: ${result.words.toLocaleString('en-US')} words (target ${result.targetWords.toLocaleString('en-US')}, ${error})`];
  if (result.method !== 'extractive') {
    parts.push(
      `${result.calls} calls (${result.retries} retries, ${result.trimmed} trimmed, ${result.cacheHits} cached)`,
      `${result.promptTokens.toLocaleString('en-US')} prompt + ${result.completionTokens.toLocaleString('en-US')} completion tokens`,
    );
  }
  parts.push(`${result.levels} level${result.levels === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
