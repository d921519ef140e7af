import type { CacheValue } from '@chunkwise/cache';
import { ChunkSpans } from './chunk-spans.js';
import type { DigestContext, DigestStage } from './types.js';

interface StageRecord {
  facts: CacheValue;
  summary: string;
  /** The chunks stage's spans are kept under their own key, as one binary value. */
  chunks?: boolean;
}

/**
 * Wraps a stage with the digest's content cache (`<outDir>/cache.db`): when the same document was
 * already digested by the same stage version and settings, its facts (and chunk offsets) are
 * restored and the stage says "reused" instead of recomputing. `settings` returns every option the
 * stage's result depends on (limit, tokenizer, encodings, model); it is part of the key, so a change
 * of any of them is a miss.
 */
export function cachedStage(stage: DigestStage, version: string, settings: (context: DigestContext) => Record<string, unknown>): DigestStage {
  return {
    name: stage.name,
    async run(context: DigestContext) {
      const { cache } = context;
      if (!cache || context.documentKey === undefined) return stage.run(context);
      const key = { stage: stage.name, version, document: context.documentKey, settings: settings(context) };
      const spansKey = { ...key, part: 'spans' };
      const hit = (await cache.get(key)) as StageRecord | undefined;
      const spans = hit?.chunks ? await cache.get(spansKey) : undefined;
      if (hit && typeof hit === 'object' && 'facts' in hit && (!hit.chunks || spans instanceof Uint32Array)) {
        context.report[stage.name] = hit.facts;
        if (spans instanceof Uint32Array) context.chunks = ChunkSpans.fromArray(spans);
        context.reused.push(stage.name);
        return `${hit.summary} (reused from cache)`;
      }
      const summary = await stage.run(context);
      const record: StageRecord = { facts: context.report[stage.name] as CacheValue, summary };
      if (stage.name === 'chunks' && context.chunks) {
        await cache.set(spansKey, context.chunks.toArray());
        record.chunks = true;
      }
      await cache.set(key, record as unknown as CacheValue);
      return summary;
    },
  };
}
