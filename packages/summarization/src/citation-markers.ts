import type { AnswerRepair } from './answer-types.js';

const GROUP = String.raw`\[\s*\d{1,6}(?:\s*[,;]\s*\d{1,6})*\s*\]`;
/** A run of bracketed citations — `[2]`, `[1, 3]`, `[1; 3][4]`, `[1] [2]` — with the space before it. */
const MARKER_RUN = new RegExp(String.raw`(\s*)(${GROUP}(?:\s*${GROUP})*)`, 'g');
/** What a streamed answer ends with that may still grow into (or onto) a marker run: spaces, whole groups, an open one. */
const UNSETTLED_END = new RegExp(String.raw`(?:\s*${GROUP})*\s*(?:\[[\d\s,;]{0,40})?$`);

/** The text without citation markers (and the space before each), for counting words and sentence ends. */
export function stripMarkers(text: string): string {
  return text.replace(/\s*\[\s*\d{1,6}(?:\s*[,;]\s*\d{1,6})*\s*\]/g, '');
}

/**
 * Rewrites a model's citations from passage numbers (as the prompt numbered them) to answer
 * markers 1, 2, 3… in order of first use: `[3] … [1] … [3]` becomes `[1] … [2] … [1]`, a group
 * `[1, 3]` becomes `[2][1]`, and a number that names no passage is dropped and reported. The same
 * rewriting runs over a whole text or over a stream of pieces (`push`/`end`), with the same result.
 */
export class MarkerRewriter {
  /** Answer marker → passage number (1-based), in marker order. */
  readonly passages: number[] = [];
  readonly repairs: AnswerRepair[] = [];
  private readonly markerOf = new Map<number, number>();
  private readonly reported = new Set<number>();
  private pending = '';

  constructor(private readonly passageCount: number) {}

  /** The whole text rewritten (equivalent to one `push` and `end`). */
  rewrite(text: string): string {
    return this.push(text) + this.end();
  }

  /** Feeds the next piece of a streamed answer; returns what can be shown now. */
  push(piece: string): string {
    this.pending += piece;
    // Hold back the end that is not settled yet: an open "[12", markers another may join, and the
    // spaces before them, which go if every marker of the run is dropped.
    const cut = UNSETTLED_END.exec(this.pending)!.index;
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.rewriteComplete(ready);
  }

  /** Flushes what `push` held back. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return this.rewriteComplete(rest);
  }

  private rewriteComplete(text: string): string {
    return text.replace(MARKER_RUN, (_whole, space: string, run: string) => {
      const markers = (run.match(/\d+/g) ?? [])
        .map((n) => this.marker(Number(n)))
        .filter((marker): marker is number => marker !== undefined)
        .map((marker) => `[${marker}]`)
        .join('');
      return markers ? space + markers : '';
    });
  }

  private marker(passage: number): number | undefined {
    if (!Number.isInteger(passage) || passage < 1 || passage > this.passageCount) {
      if (!this.reported.has(passage)) {
        this.reported.add(passage);
        this.repairs.push({ kind: 'unknown-marker', marker: passage });
      }
      return undefined;
    }
    let marker = this.markerOf.get(passage);
    if (marker === undefined) {
      marker = this.passages.length + 1;
      this.markerOf.set(passage, marker);
      this.passages.push(passage);
    }
    return marker;
  }
}
