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
  plan(start: number, end: number, levels: readonly Level[], budget: number, exact = false): Span[] {
    if (start >= end) return [];
    const measure = exact ? (a: number, b: number) => this.count(a, b) : (a: number, b: number) => this.estimate(a, b);
    const spans: Span[] = [];
    let from = start;
    for (const cut of this.split(start, end, levels, 0, budget, measure, exact)) {
      spans.push({ start: from, end: cut });
      from = cut;
    }
    return spans;
  }

  /** Ends of merged units tiling `[start, end)`. */
  private split(
    start: number,
    end: number,
    levels: readonly Level[],
    depth: number,
    budget: number,
    measure: (a: number, b: number) => number,
    exact: boolean,
  ): number[] {
    if (measure(start, end) <= budget) return [end];
    for (let level = depth; level < levels.length; level++) {
      const splits = levels[level]?.splits(this.text, start, end) ?? [];
      if (splits.length === 0) continue;
      const units: number[] = [];
      let from = start;
      splits.push(end);
      for (const cut of splits) {
        if (measure(from, cut) <= budget) units.push(cut);
        else for (const unit of this.split(from, cut, levels, level + 1, budget, measure, exact)) units.push(unit);
        from = cut;
      }
      return exact ? this.mergeExact(start, units, budget, measure) : this.merge(start, units, budget, measure);
    }
    const units: number[] = [];
    this.fill(start, end, budget, measure, exact, units);
    return units;
  }

  /**
   * Last resort for a piece no level can split: cut it into runs of at most `budget` tokens at
   * positions that are both token stops and grapheme boundaries. A grapheme bigger than the budget
   * is cut between code points (and only there), as the contract allows.
   */
  private fill(
    start: number,
    end: number,
    budget: number,
    measure: (a: number, b: number) => number,
    exact: boolean,
    out: number[],
  ): void {
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
        if (whole <= end && this.count(from, whole) <= budget) cut = whole;
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
   * Turns planned spans into chunks: prepends up to `overlap` tokens of the preceding text (counted
   * inside `maxTokens`), counts each chunk once, and re-plans exactly any span that is over.
   * Spans planned elsewhere (sentence groups, semantic groups) may be oversize; they are split here.
   * `previousStart` is where the chunk before the first span started, when there is one (a stream
   * resuming after chunks it already emitted): the first span then takes its overlap as usual.
   */
  toChunks(spans: readonly Span[], levels: readonly Level[], maxTokens: number, overlap: number, previousStart?: number): Chunk[] {
    const chunks: Chunk[] = [];
    const budget = maxTokens - overlap;
    const previous = (): number => chunks[chunks.length - 1]?.start ?? previousStart ?? 0;
    const emit = (span: Span, previousStart: number): void => {
      const hasPrevious = chunks.length > 0 || previousStart >= 0;
      let start = overlap > 0 && hasPrevious ? this.overlapStart(span.start, overlap, previousStart) : span.start;
      let tokenCount = this.count(start, span.end);
      while (tokenCount > maxTokens && start < span.start) {
        // Overlap is the first thing to give way: step it forward a stop at a time.
        start = graphemeCeil(this.graphemes, this.text, this.boundaries.nextStop(start));
        tokenCount = this.count(Math.min(start, span.start), span.end);
        start = Math.min(start, span.start);
      }
      if (tokenCount > maxTokens) {
        const pieces = this.plan(span.start, span.end, levels, budget, true);
        if (pieces.length === 1 && pieces[0]?.start === span.start && pieces[0].end === span.end) {
          throw new ChunkwiseError(
            'LIMIT_EXCEEDED',
            `A single character needs ${String(tokenCount)} tokens, more than maxTokens (${String(maxTokens)}); raise maxTokens.`,
            { details: { maxTokens, tokenCount, start: span.start } },
          );
        }
        let last = previousStart;
        for (const piece of pieces) {
          emit(piece, last);
          last = chunks[chunks.length - 1]?.start ?? last;
        }
        return;
      }
      chunks.push({ text: this.text.slice(start, span.end), start, end: span.end, index: chunks.length, tokenCount });
    };
    // -1: no chunk before this one.
    const before = (): number => (chunks.length > 0 || previousStart !== undefined ? previous() : -1);
    for (const span of spans) {
      this.spanEnds.add(span.end);
      if (this.estimate(span.start, span.end) > budget) {
        for (const piece of this.plan(span.start, span.end, levels, budget)) emit(piece, before());
      } else {
        emit(span, before());
      }
    }
    return chunks;
  }

  /** The earliest grapheme-aligned stop after `previousStart` with at most `overlap` tokens before `start`. */
  private overlapStart(start: number, overlap: number, previousStart: number): number {
    const target = this.boundaries.prefix(start) - overlap;
    let position = this.boundaries.firstStopWithTokens(Math.max(0, target));
    position = graphemeCeil(this.graphemes, this.text, position);
    if (position <= previousStart || position > start) return start;
    return position;
  }
}
