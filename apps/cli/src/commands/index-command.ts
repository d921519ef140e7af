import type { Command } from 'commander';
import { RecursiveChunker } from '@chunkwise/chunking';
import { isChunkwiseError, throwIfAborted } from '@chunkwise/core';
import { syncSource, type SourceSyncResult } from '@chunkwise/retrieval';
import { integerOption } from '../flags.js';
import { STDIN_SOURCE, collectSources, fileExists, isInsideFolder, type IndexSource } from '../index-sources.js';
import { readInput } from '../input.js';
import { withInterrupts } from '../interrupt.js';
import { print, printNote, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { openStoreTarget, pointAtDoctor, type StoreTarget } from '../store-target.js';
import { addTokenizerOption } from '../tokenizer-option.js';
import { addScaleOutOptions, runQueueModes, type ScaleOutOptions } from '../ingest/distributed-index.js';
import { expandGlobs } from '../ingest/glob-paths.js';
import { indexInThreads } from '../ingest/local-workers.js';

interface IndexOptions extends ScaleOutOptions {
  db: string;
  table?: string;
  maxTokens: number;
  tokenizer: string;
  prune?: boolean;
}

interface Indexed extends Omit<SourceSyncResult, 'source'> {
  file: string;
  chunks: number;
}

export function registerIndex(program: Command): void {
  const command = program
    .command('index')
    .description('sync files, folders or stdin into a search index: each source’s chunks are replaced in one transaction')
    .argument('[paths...]', 'UTF-8 text or Markdown files, folders (every .md, .markdown, .txt, .text file under them), quoted globs, or - for stdin')
    .option('--db <path|url>', 'SQLite index file (created if missing) or postgres://user:pass@host/db (required)')
    .option('--table <name>', 'table of a postgres:// index (default chunkwise_records)')
    .addOption(integerOption('-m, --max-tokens <n>', 'chunk size limit (tokens of --tokenizer)', { min: 1, default: 512 }))
    .option('--prune', 'drop indexed sources under the given folders whose files no longer exist');
  addScaleOutOptions(command);
  addTokenizerOption(command, { description: 'tokenizer that counts --max-tokens' }).action(async (paths: string[], options: IndexOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    paths = await expandGlobs(paths);
    if (await runQueueModes(paths, options, globals)) return;
    const { sources, folders } = await collectSources(paths);
    const chunker = new RecursiveChunker({ maxTokens: options.maxTokens, tokenizer: options.tokenizer, recipe: 'markdown' });
    const ui = new ProgressUI({ quiet: globals.quiet === true || globals.json === true });
    const indexed: Indexed[] = [];
    const skipped: { file: string; reason: string }[] = [];
    const pruned: { source: string; chunks: number }[] = [];
    let totals = { records: 0, sources: 0 };
    let label = options.db;
    await withInterrupts(async (signal) => {
      const target = await openStoreTarget(options.db, { create: true, ...(options.table === undefined ? {} : { table: options.table }) });
      label = target.label;
      try {
        // --workers N: threads run the per-source job of `chunkwise worker`; this thread writes.
        const onProgress = (done: number, total: number) => ui.onProgress({ stage: 'index', done, total, unit: 'files' });
        if (options.workers > 1) indexed.push(...(await indexInThreads(target.store, sources, { ...options, signal, onProgress }, skipped)));
        for (const [i, source] of (options.workers > 1 ? [] : sources).entries()) {
          throwIfAborted(signal);
          const text = await readSource(source, skipped);
          if (text !== undefined) {
            const chunks = await chunker.chunk(text, { signal });
            // One transaction per source: it is either fully the new text's chunks or as it was.
            const { source: file, ...result } = await syncSource(target.store, source.name, chunks, () => ({ origin: source.path === undefined ? 'stdin' : 'file' }));
            indexed.push({ file, chunks: chunks.length, ...result });
          }
          ui.onProgress({ stage: 'index', done: i + 1, total: sources.length, unit: 'files' });
        }
        if (options.prune) pruned.push(...(await pruneVanished(target, folders, sources, signal)));
        totals = { records: await target.store.count(), sources: (await target.store.sources()).length };
      } catch (error) {
        throw pointAtDoctor(error, options.db);
      } finally {
        ui.stop();
        await target.close();
      }
    });
    if (globals.json) {
      writeJson({ db: label, files: indexed, pruned, skipped, records: totals.records, sources: totals.sources });
      return;
    }
    for (const file of indexed) print(`${file.file}: ${file.chunks} chunks (${describeSync(file)})\n`);
    for (const { source, chunks } of pruned) print(`${source}: gone, ${chunks} chunks dropped\n`);
    for (const { file, reason } of skipped) printNote(`skipped ${file}: ${reason}\n`);
    print(`${label}: ${totals.records} chunks from ${totals.sources} sources\n`);
  });
}

/** The text of a source; a file in a walked folder that is not UTF-8 text is skipped, not fatal. */
async function readSource(source: IndexSource, skipped: { file: string; reason: string }[]): Promise<string | undefined> {
  try {
    return (await readInput(source.path ?? '-')).text;
  } catch (error) {
    if (source.folder !== undefined && isChunkwiseError(error, 'INVALID_ARGUMENT')) {
      skipped.push({ file: source.name, reason: 'not UTF-8 text' });
      return undefined;
    }
    throw error;
  }
}

/**
 * `--prune`: sources that lie under an indexed folder, were not found in this walk and are no
 * longer on disk lose all their chunks (each in its own transaction). Stdin's source is never
 * pruned: it has no file.
 */
async function pruneVanished(target: StoreTarget, folders: readonly string[], found: readonly IndexSource[], signal: AbortSignal) {
  const present = new Set(found.map((source) => source.name));
  const pruned: { source: string; chunks: number }[] = [];
  for (const source of await target.store.sources()) {
    if (present.has(source) || !folders.some((folder) => isInsideFolder(source, folder))) continue;
    if ((await target.store.get(`${source}#0`))?.meta?.origin === 'stdin' || source === STDIN_SOURCE) continue;
    if (await fileExists(source)) continue;
    throwIfAborted(signal);
    const result = await target.store.replaceSource(source, []);
    pruned.push({ source, chunks: result.removed });
  }
  return pruned;
}

function describeSync(result: Omit<SourceSyncResult, 'source'>): string {
  if (result.added + result.updated + result.removed === 0) return 'unchanged';
  const parts = [['added', result.added], ['updated', result.updated], ['removed', result.removed], ['unchanged', result.unchanged]] as const;
  return parts.filter(([, n]) => n > 0).map(([label, n]) => `${n} ${label}`).join(', ');
}
