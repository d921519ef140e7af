/**
 * A binary heap of (distance, node) pairs on parallel typed arrays: no per-push allocation in
 * the HNSW inner loop. `max` puts the largest distance on top (the result set); otherwise the
 * smallest (the candidate queue).
 */
export class DistHeap {
  size = 0;
  private dist: Float64Array;
  private node: Int32Array;

  constructor(
    private readonly max: boolean,
    capacity = 64,
  ) {
    this.dist = new Float64Array(capacity);
    this.node = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  topDist(): number {
    return this.dist[0] as number;
  }

  topNode(): number {
    return this.node[0] as number;
  }

  push(dist: number, node: number): void {
    if (this.size === this.dist.length) {
      const d = new Float64Array(this.size * 2);
      d.set(this.dist);
      this.dist = d;
      const n = new Int32Array(this.size * 2);
      n.set(this.node);
      this.node = n;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(dist, this.dist[parent] as number)) break;
      this.dist[i] = this.dist[parent] as number;
      this.node[i] = this.node[parent] as number;
      i = parent;
    }
    this.dist[i] = dist;
    this.node[i] = node;
  }

  pop(): void {
    const last = --this.size;
    if (last <= 0) return;
    const dist = this.dist[last] as number;
    const node = this.node[last] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const child = r < last && this.above(this.dist[r] as number, this.dist[l] as number) ? r : l;
      if (!this.above(this.dist[child] as number, dist)) break;
      this.dist[i] = this.dist[child] as number;
      this.node[i] = this.node[child] as number;
      i = child;
    }
    this.dist[i] = dist;
    this.node[i] = node;
  }

  /** Drains the heap into (node, dist) pairs sorted by ascending distance. */
  drainAscending(): { node: number; dist: number }[] {
    const out: { node: number; dist: number }[] = [];
    while (this.size > 0) {
      out.push({ node: this.topNode(), dist: this.topDist() });
      this.pop();
    }
    return this.max ? out.reverse() : out;
  }

  private above(a: number, b: number): boolean {
    return this.max ? a > b : a < b;
  }
}
