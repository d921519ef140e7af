import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCache, type CacheValue } from '@chunkwise/cache';
import { sqliteStore, type SqliteStore } from '@chunkwise/cache/sqlite';
import { hashKey, throwIfAborted } from '@chunkwise/core';
import type { ProgressCallback } from '@chunkwise/core';
import type { SourceDocument } from './document.js';
import { DIGEST_STAGES } from './stages.js';
import type { DigestContext, DigestOptions, DigestReport, DigestStage } from './types.js';

export interface RunDigestHooks {
  onProgress?: ProgressCallback;
  onStageDone?: (stage: string, summary: string, ms: number) => void;
}

/** Runs every digest stage over one document and returns the report. */
export async function runDigest(
  document: SourceDocument,
  options: DigestOptions,
  hooks: RunDigestHooks = {},
  stages: DigestStage[] = DIGEST_STAGES,
): Promise<DigestReport> {
  const started = performance.now();
  const report: DigestReport = {
    document: {
      name: document.name,
      title: document.title,
      sections: document.sections.length,
      characters: document.characters,
      words: 0,
    },
    stages: [],
    totalMs: 0,
  };
  // One context for the whole run: stages hand results (such as the chunks) to later stages on it.
  const context: DigestContext = { document, options, report, onProgress: hooks.onProgress ?? (() => {}), reused: [] };
  const store = options.cache === false ? undefined : openCache(options.outDir);
  if (store) {
    context.cache = createCache<CacheValue>({ store, namespace: 'digest' });
    context.documentKey = await hashKey({ name: document.name, sha256: document.sha256 });
  }
  try {
    await runStages(context, stages, hooks);
  } finally {
    store?.close();
  }
  report.reused = context.reused;
  report.totalMs = round(performance.now() - started);
  return report;
}

function openCache(outDir: string): SqliteStore {
  mkdirSync(outDir, { recursive: true });
  return sqliteStore({ path: join(outDir, 'cache.db') });
}

async function runStages(context: DigestContext, stages: DigestStage[], hooks: RunDigestHooks): Promise<void> {
  const { report } = context;
  for (const stage of stages) {
    throwIfAborted(context.options.signal);
    const stageStart = performance.now();
    const summary = await stage.run(context);
    const ms = round(performance.now() - stageStart);
    report.stages.push({ name: stage.name, ms, summary });
    hooks.onStageDone?.(stage.name, summary, ms);
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
