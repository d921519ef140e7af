import { Option, type Command } from 'commander';
import { RecursiveChunker } from '@chunkwise/chunking';
import { isChunkwiseError, throwIfAborted } from '@chunkwise/core';
import { syncSource, type SourceSyncResult } from '@chunkwise/retrieval';
import { EMBEDDER_HELP, loadEmbedder, parseEmbedderSpec, type EmbedderSpec } from '../embedder-option.js';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { openIndexEmbedding } from '../index-embedding.js';
import { STDIN_SOURCE, collectSources, fileExists, isInsideFolder, type IndexSource } from '../index-sources.js';
import { readInput } from '../input.js';
import { withInterrupts } from '../interrupt.js';
import { print, printNote, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { QUALITY_DEFAULTS } from '../quality-defaults.js';
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
  embedder?: EmbedderSpec;
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
    .addOption(integerOption('-m, --max-tokens <n>', 'chunk size limit (tokens of --tokenizer; default from the quality table in docs/benchmarks.md)', { min: 1, default: QUALITY_DEFAULTS.maxTokens }))
    .option('--prune', 'drop indexed sources under the given folders whose files no longer exist')
    .addOption(
      new Option('--embedder <spec>', `store a vector per chunk for dense and hybrid search, recorded with the index (later runs and searches use it): ${EMBEDDER_HELP}`).argParser((value: string) =>
        parseEmbedderSpec(value),
      ),
    );
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
    let embedderSpec: string | undefined;
    await withInterrupts(async (signal) => {
      // Loaded first: a Postgres index needs the vectors' width to open its vector column.
      const requested = options.embedder === undefined ? undefined : await loadEmbedder(options.embedder, { onProgress: ui.onProgress });
      const target = await openStoreTarget(options.db, { create: true, ...(options.table === undefined ? {} : { table: options.table }), ...(requested && { dimensions: requested.embedder.dimensions }) });
      label = target.label;
      const embedding = await openIndexEmbedding(target, requested).catch(async (error: unknown) => {
        await target.close();
        throw error;
      });
      embedderSpec = embedding?.loaded.spec;
      try {
        if (embedding && options.workers > 1) throw new UsageError(`--workers does not embed yet, and ${label} keeps ${embedding.loaded.spec} vectors: index without --workers.`);
        // A new embedder learns from what it will embed (GloVe's SIF weights): this run's chunks.
        const stdin = new Map<IndexSource, string>();
        if (embedding?.fresh && embedding.loaded.fits) embedding.loaded.fit(await chunkTextsOf(sources, chunker, stdin, signal));
        // --workers N: threads run the per-source job of `chunkwise worker`; this thread writes.
        const onProgress = (done: number, total: number) => ui.onProgress({ stage: 'index', done, total, unit: 'files' });
        if (options.workers > 1) indexed.push(...(await indexInThreads(target.store, sources, { ...options, signal, onProgress }, skipped)));
        for (const [i, source] of (options.workers > 1 ? [] : sources).entries()) {
          throwIfAborted(signal);
          const text = stdin.get(source) ?? (await readSource(source, skipped));
          if (text !== undefined) {
            const chunks = await chunker.chunk(text, { signal });
            // One transaction per source: it is either fully the new text's chunks or as it was.
            const origin = () => ({ origin: source.path === undefined ? 'stdin' : 'file' });
            const { source: file, ...result } = await (embedding ? embedding.sync(target.store, source.name, chunks, origin, signal) : syncSource(target.store, source.name, chunks, origin));
            indexed.push({ file, chunks: chunks.length, ...result });
          }
          ui.onProgress({ stage: 'index', done: i + 1, total: sources.length, unit: 'files' });
        }
        if (embedding?.fresh) await embedding.record(target);
        if (options.prune) pruned.push(...(await pruneVanished(target, folders, sources, signal)));
        totals = { records: await target.store.count(), sources: (await target.store.sources()).length };
      } catch (error) {
        throw pointAtDoctor(error, options.db);
      } finally {
        ui.stop();
        await embedding?.close();
        await target.close();
      }
    });
    if (globals.json) {
      writeJson({ db: label, ...(embedderSpec && { embedder: embedderSpec }), files: indexed, pruned, skipped, records: totals.records, sources: totals.sources });
      return;
    }
    for (const file of indexed) print(`${file.file}: ${file.chunks} chunks (${describeSync(file)})\n`);
    for (const { source, chunks } of pruned) print(`${source}: gone, ${chunks} chunks dropped\n`);
    for (const { file, reason } of skipped) printNote(`skipped ${file}: ${reason}\n`);
    print(`${label}: ${totals.records} chunks from ${totals.sources} sources${embedderSpec ? `, vectors of ${embedderSpec}` : ''}\n`);
  });
}

/**
 * The texts of every source's chunks, for fitting a new embedder (GloVe's SIF) to the index.
 * Standard input can be read once only: its text is kept in `stdin` for the indexing pass.
 */
async function chunkTextsOf(sources: readonly IndexSource[], chunker: RecursiveChunker, stdin: Map<IndexSource, string>, signal: AbortSignal): Promise<string[]> {
  const texts: string[] = [];
  for (const source of sources) {
    const text = await readSource(source, []);
    if (text === undefined) continue;
    if (source.path === undefined) stdin.set(source, text);
    for (const chunk of await chunker.chunk(text, { signal })) texts.push(chunk.text);
  }
  return texts;
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
