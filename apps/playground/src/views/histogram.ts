/** One bar of a histogram: values in `[from, to)` (the last bar also holds `to`). */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/**
 * Bins non-negative integer sizes (token counts) into at most `maxBins` bars of equal integer
 * width, starting at 0 so bars compare across settings. Every value lands in exactly one bin.
 */
export function histogram(values: ArrayLike<number>, maxBins = 20): HistogramBin[] {
  if (!Number.isInteger(maxBins) || maxBins < 1) throw new RangeError(`maxBins must be a positive integer, got ${String(maxBins)}.`);
  if (values.length === 0) return [];
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  // Integer widths keep labels honest ("64–95 tokens"), and max + 1 makes the top value fit a bin.
  const width = Math.max(1, Math.ceil((max + 1) / maxBins));
  const binCount = Math.ceil((max + 1) / width);
  const bins = Array.from({ length: binCount }, (_, i): HistogramBin => ({ from: i * width, to: (i + 1) * width, count: 0 }));
  for (let i = 0; i < values.length; i++) bins[Math.floor(values[i]! / width)]!.count++;
  return bins;
}

/** Min, mean and max of sizes, or null when there are none. */
export function summarize(values: ArrayLike<number>): { min: number; mean: number; max: number } | null {
  if (values.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, mean: sum / values.length, max };
}
