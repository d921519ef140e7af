import { ChunkwiseError, type Chunk, type Span, type Tokenizer } from '@chunkwise/core';
import { GraphemeBoundaries, graphemeCeil } from './boundaries/graphemes.js';
import type { Level } from './boundaries/levels.js';
import { isCharacterTokenizer } from './character-tokenizer.js';
import { characterBoundaries, computeTokenBoundaries, isCodePointBoundary, type TokenBoundaries } from './token-boundaries.js';

/**
 * The engine under every chunker. It tokenizes the text once, plans chunk spans from a hierarchy
 * of levels using prefix token counts (no per-piece re-tokenization), and then verifies each chunk
 * with exactly one count. A chunk whose real count is over the limit — rare, where BPE merges
 * differ at a cut — is re-planned with exact counts, so the limit is a guarantee, not an estimate.
 *
 * With a tokenizer that has `sliceCounter` (every `@chunkwise/tokenizers` encoding), that single
 * pass also makes each exact count cost a few pieces near the chunk's ends instead of a second
 * tokenization of the chunk; any other tokenizer is counted with `count(text.slice(a, b))`.
 */
export class ChunkPlanner {
  readonly boundaries: TokenBoundaries;
  readonly graphemes: GraphemeBoundaries;
  /** Real tokens of `[start, end)`. */
  readonly count: (start: number, end: number) => number;
  /**
   * The last position `<= position` from which tokenizing the rest of the text gives the same
   * tokens as this pass (a pre-token boundary), or `position` itself when the tokenizer cannot say.
   */
  readonly restartPoint: (position: number) => number;
  /**
   * Ends of the spans `toChunks` was given. Planning from one of these gives what planning the
   * whole text gives after it; an end `toChunks` added by re-planning an over-limit span does not.
   */
  readonly spanEnds = new Set<number>();

  constructor(
    readonly text: string,
    readonly tokenizer: Tokenizer,
  ) {
    this.restartPoint = (position) => (isCodePointBoundary(text, position) ? position : position - 1);
    const counter = isCharacterTokenizer(tokenizer) ? undefined : tokenizer.sliceCounter?.(text);
    if (isCharacterTokenizer(tokenizer)) {
      this.boundaries = characterBoundaries(text);
      this.count = (start, end) => end - start;
    } else if (counter) {
      this.boundaries = computeTokenBoundaries(tokenizer, text, counter);
      this.count = (start, end) => counter.count(start, end);
      if (counter.pieceStartAtMost) this.restartPoint = (position) => counter.pieceStartAtMost!(position);
    } else {
      this.boundaries = computeTokenBoundaries(tokenizer, text);
      this.count = (start, end) => tokenizer.count(text.slice(start, end));
    }
    this.graphemes = new GraphemeBoundaries(text);
  }

  /** Estimated tokens of `[start, end)` from the single pass. */
  estimate(start: number, end: number): number {
    return this.boundaries.prefix(end) - this.boundaries.prefix(start);
  }

  /**
   * Spans tiling `[start, end)`, each estimated at `<= budget` tokens. Oversized pieces descend the
   * levels (coarse to fine) and finally to grapheme-aligned token cuts; at every level the pieces
   * are merged greedily left to right, so a chunk only ends inside a coarse unit when that unit
   * cannot fit on its own.
   */
  plan(start: number, end: number, levels: readonly Level[], budget: number, exact = false, limit = budget): Span[] {
    if (start >= end) return [];
    const measure = exact ? (a: number, b: number) => this.count(a, b) : (a: number, b: number) => this.estimate(a, b);
    const spans: Span[] = [];
    let from = start;
    for (const cut of this.split(start, end, levels, 0, { budget, limit, measure, exact })) {
      spans.push({ start: from, end: cut });
      from = cut;
    }
    return spans;
  }

  /** Ends of merged units tiling `[start, end)`. */
  private split(start: number, end: number, levels: readonly Level[], depth: number, sizing: Sizing): number[] {
    const { budget, measure, exact } = sizing;
    if (measure(start, end) <= budget) return [end];
    for (let level = depth; level < levels.length; level++) {
      const splits = levels[level]?.splits(this.text, start, end) ?? [];
      if (splits.length === 0) continue;
      const units: number[] = [];
      let from = start;
      splits.push(end);
      for (const cut of splits) {
        if (measure(from, cut) <= budget) units.push(cut);
        else for (const unit of this.split(from, cut, levels, level + 1, sizing)) units.push(unit);
        from = cut;
      }
      return exact ? this.mergeExact(start, units, budget, measure) : this.merge(start, units, budget, measure);
    }
    const units: number[] = [];
    this.fill(start, end, sizing, units);
    return units;
  }

  /**
   * Last resort for a piece no level can split: cut it into runs of at most `budget` tokens at
   * positions that are both token stops and grapheme boundaries. A grapheme over the budget but
   * within `limit` (the chunk's hard limit: overlap gives way for it) stays whole; only a grapheme
   * bigger than the limit itself is cut, between code points, as the contract allows.
   */
  private fill(start: number, end: number, sizing: Sizing, out: number[]): void {
    const { budget, limit, measure, exact } = sizing;
    let from = start;
    while (from < end) {
      if (measure(from, end) <= budget) {
        out.push(end);
        return;
      }
      let cut = exact ? this.exactFillTarget(from, end, budget) : this.estimatedFillTarget(from, end, budget);
      const grapheme = this.graphemes.floor(cut, from);
      if (grapheme > from) cut = grapheme;
      else {
        // No whole grapheme fits by the estimate: take the next grapheme whole if it really fits,
        // otherwise cut it between code points (allowed: one grapheme over the limit).
        const whole = graphemeCeil(this.graphemes, this.text, from + 1);
        if (whole <= end && this.count(from, whole) <= limit) cut = whole;
        else if (exact) {
          cut = isCodePointBoundary(this.text, cut) ? cut : cut - 1;
          if (cut <= from) cut = from + (isCodePointBoundary(this.text, from + 1) ? 1 : 2);
        } else {
          cut = this.boundaries.floorStop(cut);
          if (cut <= from) cut = this.boundaries.nextStop(from);
        }
      }
      // Exact mode: BPE counts are not monotone in the cut, so step back until the piece fits.
      while (exact && cut > from && measure(from, cut) > budget) {
        const previous = this.graphemes.floor(cut - 1, from);
        if (previous <= from) break;
        cut = previous;
      }
      if (cut <= from) cut = Math.min(end, this.boundaries.nextStop(from));
      out.push(Math.min(cut, end));
      from = Math.min(cut, end);
    }
  }

  private estimatedFillTarget(from: number, end: number, budget: number): number {
    let cut = Math.min(end, this.boundaries.stopForTokens(this.boundaries.prefix(from) + budget));
    // Prefer a cut that is a token stop and a grapheme boundary at once; a few steps back at most.
    for (let tries = 0; tries < 8 && cut > from; tries++) {
      const grapheme = this.graphemes.floor(cut, from);
      if (grapheme <= from) break;
      const stop = this.boundaries.floorStop(grapheme);
      if (stop === grapheme) return grapheme;
      cut = stop;
    }
    return cut;
  }

  private exactFillTarget(from: number, end: number, budget: number): number {
    let lo = from;
    let hi = end;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.count(from, mid) <= budget) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Greedy merge with a cheap measure: one estimate per unit. */
  private merge(start: number, units: readonly number[], budget: number, measure: (a: number, b: number) => number): number[] {
    const ends: number[] = [];
    let chunkStart = start;
    let chunkEnd = start;
    for (const unit of units) {
      if (chunkEnd > chunkStart && measure(chunkStart, unit) > budget) {
        ends.push(chunkEnd);
        chunkStart = chunkEnd;
      }
      chunkEnd = unit;
    }
    if (chunkEnd > chunkStart) ends.push(chunkEnd);
    return ends;
  }

  /**
   * Greedy merge with real counts: galloping then binary search for the last unit that fits, so
   * a chunk costs O(log units) counts instead of one per unit (a run of 50,000 newlines would
   * otherwise be quadratic).
   */
  private mergeExact(start: number, units: readonly number[], budget: number, measure: (a: number, b: number) => number): number[] {
    const ends: number[] = [];
    let chunkStart = start;
    let i = 0;
    while (i < units.length) {
      let lo = i;
      let step = 1;
      while (lo + step < units.length && measure(chunkStart, units[lo + step] ?? 0) <= budget) {
        lo += step;
        step *= 2;
      }
      let hi = Math.min(units.length - 1, lo + step - 1);
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (measure(chunkStart, units[mid] ?? 0) <= budget) lo = mid;
        else hi = mid - 1;
      }
      const end = units[lo] ?? chunkStart;
      ends.push(end);
      chunkStart = end;
      i = lo + 1;
    }
    return ends;
  }

  /**
   * Plans `[from, end)` with `levels` and turns the spans into chunks. With overlap, the first chunk
   * (one with no chunk before it) repeats nothing, so it is planned with the whole of `maxTokens`;
   * every later span gets `maxTokens − overlap` and is preceded by up to `overlap` tokens of the
   * text before it. For `TokenChunker` that gives the classic windows `[k·stride, k·stride + maxTokens)`.
   */
  chunk(from: number, end: number, levels: readonly Level[], maxTokens: number, overlap: number, previous?: Span): Chunk[] {
    const budget = maxTokens - overlap;
    if (overlap === 0 || previous !== undefined || from >= end) {
      return this.toChunks(this.plan(from, end, levels, budget, false, maxTokens), levels, maxTokens, overlap, previous);
    }
    // Plan the first span on a range just past maxTokens, so its end is a real cut of the levels.
    const probe = Math.min(end, this.boundaries.firstStopWithTokens(this.boundaries.prefix(from) + maxTokens + 1));
    const first = this.plan(from, probe, levels, maxTokens)[0] ?? { start: from, end: probe };
    const rest = this.plan(first.end, end, levels, budget, false, maxTokens);
    return this.toChunks([first, ...rest], levels, maxTokens, overlap);
  }

  /**
   * Turns planned spans into chunks: joins whitespace-only spans to a neighbour (or leaves them out
   * when neither has room), prepends up to `overlap` tokens of the preceding text (counted inside
   * `maxTokens`), counts each chunk once, and re-plans exactly any span that is over. Spans planned
   * elsewhere (sentence groups, semantic groups) may be oversize; they are split here.
   * `previous` is the chunk before the first span, when there is one (a stream resuming after chunks
   * it already emitted): the first span then takes its overlap as usual.
   */
  toChunks(spans: readonly Span[], levels: readonly Level[], maxTokens: number, overlap: number, previous?: Span): Chunk[] {
    const chunks: Chunk[] = [];
    const budget = maxTokens - overlap;
    const pieces: Span[] = [];
    // Ends inside a given span, where planning cannot resume (only a given span's end is a resume point).
    const innerEnds = new Set<number>();
    for (const span of spans) {
      if (this.estimate(span.start, span.end) > (pieces.length === 0 && previous === undefined ? maxTokens : budget)) {
        for (const piece of this.plan(span.start, span.end, levels, budget, false, maxTokens)) {
          pieces.push(piece);
          if (piece.end < span.end) innerEnds.add(piece.end);
        }
      } else pieces.push(span);
    }
    const settled = this.joinBlanks(pieces, budget, previous === undefined ? maxTokens : budget);
    // Nor where whitespace after a span was pulled into it.
    for (const piece of settled) if (!piece.tookTrailingBlank && !innerEnds.has(piece.end)) this.spanEnds.add(piece.end);

    const emit = (span: Span): void => {
      const last = chunks[chunks.length - 1];
      // -1: no chunk before this one.
      const before = last?.start ?? previous?.start ?? -1;
      const previousEnd = last?.end ?? previous?.end ?? span.start;
      let start = overlap > 0 && before >= 0 ? this.overlapStart(span.start, overlap, before, previousEnd) : span.start;
      let tokenCount = this.count(start, span.end);
      while (tokenCount > maxTokens && start < span.start) {
        // Overlap is the first thing to give way: step it forward a stop at a time.
        start = Math.min(span.start, graphemeCeil(this.graphemes, this.text, this.boundaries.nextStop(start)));
        tokenCount = this.count(start, span.end);
      }
      if (tokenCount > maxTokens) {
        // A chunk with nothing before it has no overlap to make room for.
        const room = before < 0 ? maxTokens : budget;
        const replanned = this.plan(span.start, span.end, levels, room, true, maxTokens);
        if (replanned.length === 1 && replanned[0]?.start === span.start && replanned[0].end === span.end) {
          throw new ChunkwiseError(
            'LIMIT_EXCEEDED',
            `A single character needs ${String(tokenCount)} tokens, more than maxTokens (${String(maxTokens)}); raise maxTokens.`,
            { details: { maxTokens, tokenCount, start: span.start } },
          );
        }
        for (const piece of this.joinBlanks(replanned, budget, room)) emit(piece);
        return;
      }
      chunks.push({ text: this.text.slice(start, span.end), start, end: span.end, index: chunks.length, tokenCount });
    };
    for (const piece of settled) emit(piece);
    return chunks;
  }

  /**
   * Whitespace-only spans carry nothing to search or embed: each joins the span before it when the
   * two fit `budget` together, else the span after it (`firstBudget` for the very first span),
   * else it is left out — no chunk is ever only whitespace, and every other character stays covered.
   * Joins are measured with real counts (blank spans are rare), so a join never forces a re-plan.
   */
  private joinBlanks(spans: readonly Span[], budget: number, firstBudget: number): (Span & { tookTrailingBlank?: true })[] {
    const measure = (a: number, b: number): number => this.count(a, b);
    const out: (Span & { tookTrailingBlank?: true })[] = [];
    let blankStart = -1;
    for (const span of spans) {
      if (!this.hasContent(span.start, span.end)) {
        const last = out[out.length - 1];
        if (blankStart < 0 && last && last.end === span.start && measure(last.start, span.end) <= (out.length === 1 ? firstBudget : budget)) {
          out[out.length - 1] = { start: last.start, end: span.end, tookTrailingBlank: true };
        } else if (blankStart < 0) blankStart = span.start;
        continue;
      }
      if (blankStart >= 0 && measure(blankStart, span.end) <= (out.length === 0 ? firstBudget : budget)) out.push({ start: blankStart, end: span.end });
      else out.push(span);
      blankStart = -1;
    }
    return out;
  }

  /** True when `[start, end)` holds a character that is not whitespace (`\s`); most spans answer at their first character. */
  private hasContent(start: number, end: number): boolean {
    const { text } = this;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === 32 || (code >= 9 && code <= 13)) continue;
      if (code < 128 || !WHITESPACE.test(text[i] ?? '')) return true;
    }
    return false;
  }

  /**
   * Where a chunk whose new text starts at `start` begins: the earliest grapheme-aligned stop with at
   * most `overlap` tokens before `start` (and at most `overlap` real tokens shared with the previous
   * chunk, which ends at `previousEnd`), but after `previousStart`, so chunks always advance. When
   * `overlap` reaches past the previous chunk's start, the overlap is all of that chunk but its first stop.
   */
  private overlapStart(start: number, overlap: number, previousStart: number, previousEnd: number): number {
    const earliest = graphemeCeil(this.graphemes, this.text, this.boundaries.nextStop(previousStart));
    let position = graphemeCeil(this.graphemes, this.text, this.boundaries.firstStopWithTokens(Math.max(0, this.boundaries.prefix(start) - overlap)));
    if (position < earliest) position = earliest;
    // Estimates and real counts differ at BPE edges (a slice can merge what the whole-text pass
    // split): settle on real counts, forward while the shared text is over, back while more fits.
    const shared = Math.min(start, previousEnd);
    while (position < shared && this.count(position, shared) > overlap) {
      position = graphemeCeil(this.graphemes, this.text, this.boundaries.nextStop(position));
    }
    for (let step = 0, candidate = position; step < 4; step++) {
      candidate = this.boundaries.floorStop(candidate - 1);
      if (candidate < earliest) break;
      if (!this.graphemes.isBoundary(candidate)) continue;
      if (this.count(candidate, shared) > overlap) break;
      position = candidate;
    }
    return position >= start ? start : position;
  }
}

/** Sizes for one planning pass: `budget` per span, `limit` per grapheme, measured by estimate or exactly. */
interface Sizing {
  budget: number;
  limit: number;
  measure: (a: number, b: number) => number;
  exact: boolean;
}

const WHITESPACE = /\s/u;
