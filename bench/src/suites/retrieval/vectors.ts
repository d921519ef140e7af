import { seededRandom } from '@chunkwise/core';

/**
 * "Embedding-like" random vectors: points scattered around cluster centres inside a 32-dimensional
 * subspace of R^384 plus isotropic noise, then unit-normalised. Uniformly random vectors have no
 * neighbourhood structure (every point is about equally far from every other), which no real
 * embedding model produces; this keeps the benchmark honest without model weights.
 */
export function clusteredVectors(count: number, dimensions: number, seed = 7, latent = 32, clusters = 500): Float32Array[] {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const basis = Array.from({ length: latent }, () => Float32Array.from({ length: dimensions }, gauss));
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: latent }, () => gauss() * 1.5));
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const centre = centres[Math.floor(random() * clusters)]!;
    const v = new Float32Array(dimensions);
    for (let j = 0; j < latent; j++) {
      const weight = centre[j]! + gauss();
      const row = basis[j]!;
      for (let d = 0; d < dimensions; d++) v[d]! += weight * row[d]!;
    }
    let norm = 0;
    for (let d = 0; d < dimensions; d++) {
      v[d]! += gauss() * 1.5;
      norm += v[d]! * v[d]!;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let d = 0; d < dimensions; d++) v[d]! *= scale;
    out.push(v);
  }
  return out;
}
