/** A hit: document id and its score. */
export interface ScoredId {
  id: string;
  score: number;
}

/** True when a ranks before b: higher score first, then smaller id (a total, stable order). */
export function ranksBefore(a: ScoredId, b: ScoredId): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/** Keeps the k best hits; the root is the worst kept hit, the admission threshold. */
export class TopKHeap {
  private readonly items: ScoredId[] = [];

  constructor(private readonly k: number) {}

  get size(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.k;
  }

  /** The worst kept hit's score; -Infinity until the heap is full. */
  get threshold(): number {
    return this.full ? (this.items[0] as ScoredId).score : Number.NEGATIVE_INFINITY;
  }

  /** Whether a hit with this score and id would be kept (without building the hit). */
  admits(score: number, id: string): boolean {
    if (this.items.length < this.k) return true;
    const worst = this.items[0] as ScoredId;
    return score > worst.score || (score === worst.score && id < worst.id);
  }

  offer(hit: ScoredId): boolean {
    const items = this.items;
    if (items.length < this.k) {
      items.push(hit);
      this.up(items.length - 1);
      return true;
    }
    if (!ranksBefore(hit, items[0] as ScoredId)) return false;
    items[0] = hit;
    this.down(0);
    return true;
  }

  /** The kept hits, best first. */
  sorted(): ScoredId[] {
    return [...this.items].sort((a, b) => (ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : 0));
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ranksBefore(items[parent] as ScoredId, items[i] as ScoredId)) break;
      [items[parent], items[i]] = [items[i] as ScoredId, items[parent] as ScoredId];
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < items.length && ranksBefore(items[worst] as ScoredId, items[l] as ScoredId)) worst = l;
      if (r < items.length && ranksBefore(items[worst] as ScoredId, items[r] as ScoredId)) worst = r;
      if (worst === i) return;
      [items[worst], items[i]] = [items[i] as ScoredId, items[worst] as ScoredId];
      i = worst;
    }
  }
}
