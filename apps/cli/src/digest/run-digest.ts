import { performance } from 'node:perf_hooks';
import type { ProgressCallback } from '@chunkwise/core';
import type { SourceDocument } from './document.js';
import { DIGEST_STAGES, type DigestContext, type DigestOptions, type DigestReport, type DigestStage } from './stages.js';

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
      characters: document.text.length,
      words: 0,
    },
    stages: [],
    totalMs: 0,
  };
  // One context for the whole run: stages hand results (such as the chunks) to later stages on it.
  const context: DigestContext = { document, options, report, onProgress: hooks.onProgress ?? (() => {}) };
  for (const stage of stages) {
    const stageStart = performance.now();
    const summary = await stage.run(context);
    const ms = round(performance.now() - stageStart);
    report.stages.push({ name: stage.name, ms, summary });
    hooks.onStageDone?.(stage.name, summary, ms);
  }
  report.totalMs = round(performance.now() - started);
  return report;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
