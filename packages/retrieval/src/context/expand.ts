import { ChunkwiseError } from '@chunkwise/core';
import type { ContextHit, SelectContextOptions } from './types.js';

/** A candidate passage before token counting: an expanded hit. */
export interface Unit {
  id: string;
  ids: string[];
  text: string;
  docId: string | undefined;
  start: number | undefined;
  end: number | undefined;
  score: number;
}

/**
 * Applies small-to-big expansion: parent windows (index small chunks, return their wider window;
 * the situated-context idea of SitEmb, arXiv 2508.01959, applied at read time) and ±n neighbour
 * chunks. Units that overlap a better-scoring unit of the same document are dropped, so the same
 * text never appears twice (this is also how several granularities fused by RRF are reconciled).
 */
export function expandHits(hits: readonly ContextHit[], expand: SelectContextOptions['expand']): Unit[] {
  const ordered = [...hits].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const units: Unit[] = [];
  for (const hit of ordered) {
    let unit: Unit = { id: hit.id, ids: [hit.id], text: hit.text, docId: hit.docId, start: hit.start, end: hit.end, score: hit.score };
    const parent = expand?.parent?.(hit);
    if (parent !== undefined && parent !== null && (typeof parent !== 'object' || typeof parent.id !== 'string' || typeof parent.text !== 'string')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `expand.parent must return { id, text, start?, end? } or undefined (for hit "${hit.id}").`);
    }
    if (parent) unit = { ...unit, ids: [hit.id, parent.id], text: parent.text, start: parent.start, end: parent.end };
    const radius = expand?.neighbours ?? 0;
    if (!parent && radius > 0 && hit.docId !== undefined && expand?.chunks) {
      const chunks = expand.chunks(hit.docId) ?? [];
      if (!Array.isArray(chunks) || chunks.some((c) => c === null || typeof c !== 'object' || typeof c.id !== 'string' || typeof c.text !== 'string')) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `expand.chunks must return the document's chunks as hits ({ id, text, … }) or undefined (for "${hit.docId}").`);
      }
      const at = chunks.findIndex((c) => c.id === hit.id);
      if (at >= 0) {
        const window = chunks.slice(Math.max(0, at - radius), at + radius + 1);
        const first = window[0] as ContextHit;
        const last = window[window.length - 1] as ContextHit;
        let text = first.text;
        for (let i = 1; i < window.length; i++) {
          const previous = window[i - 1] as ContextHit;
          const next = window[i] as ContextHit;
          // Contiguous chunks join seamlessly; overlapping ones drop the repeated prefix.
          if (previous.end !== undefined && next.start !== undefined && next.start < previous.end && next.end !== undefined) {
            text += next.text.slice(Math.min(next.text.length, previous.end - next.start));
          } else {
            text += previous.end !== undefined && previous.end === next.start ? next.text : ` ${next.text}`;
          }
        }
        unit = { ...unit, ids: window.map((c) => c.id), text, start: first.start, end: last.end };
      }
    }
    if (units.some((u) => overlaps(u, unit))) continue;
    units.push(unit);
  }
  return units;
}

function overlaps(a: Unit, b: Unit): boolean {
  if (a.ids.some((id) => b.ids.includes(id))) return true;
  if (a.docId === undefined || a.docId !== b.docId) return false;
  if (a.start === undefined || a.end === undefined || b.start === undefined || b.end === undefined) return false;
  return a.start < b.end && b.start < a.end;
}
