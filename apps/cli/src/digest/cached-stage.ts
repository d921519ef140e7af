import type { Chunk } from '@chunkwise/core';
import type { CacheValue } from '@chunkwise/cache';
import type { DigestContext, DigestStage } from './types.js';

interface StageRecord {
  facts: CacheValue;
  summary: string;
  chunks?: CacheValue;
}

/**
 * Wraps a stage with the digest's content cache (`<outDir>/cache.db`): when the same document was
 * already digested by the same stage version and settings, its facts (and chunks) are restored and
 * the stage says "reused" instead of recomputing. `settings` returns every option the stage's
 * result depends on (limit, tokenizer, encodings, model); it is part of the key, so a change of any
 * of them is a miss.
 */
export function cachedStage(stage: DigestStage, version: string, settings: (context: DigestContext) => Record<string, unknown>): DigestStage {
  return {
    name: stage.name,
    async run(context: DigestContext) {
      const { cache } = context;
      if (!cache || context.documentKey === undefined) return stage.run(context);
      const key = { stage: stage.name, version, document: context.documentKey, settings: settings(context) };
      const hit = (await cache.get(key)) as StageRecord | undefined;
      if (hit && typeof hit === 'object' && 'facts' in hit) {
        context.report[stage.name] = hit.facts;
        if (hit.chunks) context.chunks = hit.chunks as unknown as Chunk[];
        context.reused.push(stage.name);
        return `${hit.summary} (reused from cache)`;
      }
      const summary = await stage.run(context);
      const record: StageRecord = { facts: context.report[stage.name] as CacheValue, summary };
      if (stage.name === 'chunks' && context.chunks) record.chunks = context.chunks as unknown as CacheValue;
      await cache.set(key, record as unknown as CacheValue);
      return summary;
    },
  };
}
