import { ChunkwiseError } from '@chunkwise/core';

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Weighted mean of vectors, as a new Float32Array. */
export function weightedMean(vectors: readonly ArrayLike<number>[], weights: readonly number[]): Float32Array {
  const dimensions = vectors[0]?.length ?? 0;
  const out = new Float32Array(dimensions);
  let total = 0;
  vectors.forEach((vector, i) => {
    const weight = weights[i] ?? 1;
    total += weight;
    for (let d = 0; d < dimensions; d++) out[d] = (out[d] ?? 0) + (vector[d] ?? 0) * weight;
  });
  if (total > 0) for (let d = 0; d < dimensions; d++) out[d] = (out[d] ?? 0) / total;
  return out;
}

/** The `p`-th percentile (0–100) of `values`, linearly interpolated. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (rank - low);
}

/** Centered moving average of width `width` (odd; 1 = unchanged), shrinking at the edges. */
export function movingAverage(values: readonly number[], width: number): number[] {
  const half = Math.max(0, Math.floor(width / 2));
  return values.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let k = Math.max(0, i - half); k <= Math.min(values.length - 1, i + half); k++) {
      sum += values[k] ?? 0;
      n++;
    }
    return sum / n;
  });
}

/** Embeds in batches so one call never carries a whole book. */
export async function embedAll(
  embedder: { embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]> },
  texts: readonly string[],
  signal: AbortSignal | undefined,
  batchSize = 128,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const vectors = await embedder.embed(batch, signal ? { signal } : undefined);
    if (vectors.length !== batch.length) {
      throw new ChunkwiseError('UPSTREAM', `The embedder returned ${String(vectors.length)} vectors for ${String(batch.length)} texts.`);
    }
    out.push(...vectors);
  }
  return out;
}
