/** Above this many DP cells, token costs are rounded up to coarser units (always feasible). */
const MAX_CELLS = 4_000_000;

/**
 * 0/1 knapsack: the subset of items with the largest total value whose total cost fits the
 * capacity. Exact dynamic programming when items × capacity is small; otherwise costs are rounded
 * *up* to a coarser unit, which keeps every answer within the true capacity.
 */
export function knapsack(values: readonly number[], costs: readonly number[], capacity: number): number[] {
  const n = values.length;
  if (n === 0 || capacity <= 0) return [];
  const unit = Math.max(1, Math.ceil((n * (capacity + 1)) / MAX_CELLS));
  const cap = Math.floor(capacity / unit);
  const w = costs.map((c) => Math.ceil(c / unit));
  const best = new Float64Array(cap + 1);
  const take = new Uint8Array(n * (cap + 1));
  for (let i = 0; i < n; i++) {
    const weight = w[i] as number;
    const value = values[i] as number;
    if (value <= 0 || weight > cap) continue;
    for (let c = cap; c >= weight; c--) {
      const withItem = (best[c - weight] as number) + value;
      if (withItem > (best[c] as number)) {
        best[c] = withItem;
        take[i * (cap + 1) + c] = 1;
      }
    }
  }
  const chosen: number[] = [];
  let c = cap;
  for (let i = n - 1; i >= 0; i--) {
    if (take[i * (cap + 1) + c]) {
      chosen.push(i);
      c -= w[i] as number;
    }
  }
  return chosen.reverse();
}
