/**
 * `x` (`rows × d`, row-major) with every row that holds a NaN or ±Inf replaced by zeros, or `x`
 * itself when all of it is finite. Selectors summarise many keys at once (chunk means, centroids,
 * boundaries), so one non-finite key would otherwise turn a whole chunk's or cluster's score into
 * NaN and scramble the ranking for every query block; read as a zero vector, it contributes
 * nothing to any summary and the rest of the selection stands.
 */
export function finiteRows(x: Float32Array, d: number): Float32Array {
  let firstBad = -1;
  for (let i = 0; i < x.length; i++) {
    const value = x[i] as number;
    if (value - value !== 0) {
      firstBad = i;
      break;
    }
  }
  if (firstBad < 0) return x;
  const out = Float32Array.from(x);
  for (let row = Math.floor(firstBad / d) * d; row < out.length; row += d) {
    for (let c = 0; c < d; c++) {
      const value = out[row + c] as number;
      if (value - value !== 0) {
        out.fill(0, row, row + d);
        break;
      }
    }
  }
  return out;
}

/** Sorts `order` by `scores` descending; NaN ranks last (an overflowed score never wins). */
export function sortByScoreDescending(order: Int32Array | number[], scores: Float64Array): void {
  const rank = (i: number) => {
    const score = scores[i] as number;
    return Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score;
  };
  order.sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    return y > x ? 1 : y < x ? -1 : 0;
  });
}
