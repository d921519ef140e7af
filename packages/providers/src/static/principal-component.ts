/**
 * Accumulates `Σ v vᵀ` over vectors (uncentred, as SIF's TruncatedSVD), then gives its top
 * eigenvector by power iteration: the first principal component that SIF removes.
 */
export class SecondMoment {
  readonly matrix: Float64Array;
  count = 0;
  private readonly sum: Float64Array;

  constructor(readonly dimensions: number) {
    this.matrix = new Float64Array(dimensions * dimensions);
    this.sum = new Float64Array(dimensions);
  }

  add(vector: ArrayLike<number>): void {
    const d = this.dimensions;
    const m = this.matrix;
    for (let i = 0; i < d; i++) {
      const vi = vector[i]!;
      if (vi === 0) continue;
      this.sum[i]! += vi;
      const row = i * d;
      // Upper triangle only; mirrored once in topEigenvector.
      for (let j = i; j < d; j++) m[row + j]! += vi * vector[j]!;
    }
    this.count++;
  }

  /** The unit eigenvector of the largest eigenvalue, or undefined when every vector was zero. */
  topEigenvector(iterations = 200): Float64Array | undefined {
    const d = this.dimensions;
    const m = this.matrix;
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i * d + j] = m[j * d + i]!;
    // Start from the mean direction: deterministic, and already close for word-vector averages.
    let v = Float64Array.from(this.sum);
    if (norm(v) === 0) return undefined;
    scale(v, 1 / norm(v));
    const next = new Float64Array(d);
    for (let step = 0; step < iterations; step++) {
      next.fill(0);
      for (let i = 0; i < d; i++) {
        let s = 0;
        const row = i * d;
        for (let j = 0; j < d; j++) s += m[row + j]! * v[j]!;
        next[i] = s;
      }
      const length = norm(next);
      if (length === 0) return undefined;
      scale(next, 1 / length);
      let change = 0;
      for (let i = 0; i < d; i++) change = Math.max(change, Math.abs(next[i]! - v[i]!));
      v = Float64Array.from(next);
      if (change < 1e-10) break;
    }
    return v;
  }
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function scale(v: Float64Array, by: number): void {
  for (let i = 0; i < v.length; i++) v[i]! *= by;
}
