import { seededRandom } from '@chunkwise/core';

/**
 * "Embedding-like" random vectors: points around a few hundred cluster centres inside a
 * low-dimensional subspace plus isotropic noise. Uniform random vectors in high dimension have
 * no neighbourhood structure at all, which no real embedding model produces.
 */
export function clusteredVectors(count: number, dimensions: number, seed = 7, latent = 24, clusters = 200): Float32Array[] {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const basis = Array.from({ length: latent }, () => Float32Array.from({ length: dimensions }, gauss));
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: latent }, () => gauss() * 2));
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const centre = centres[Math.floor(random() * clusters)] as Float32Array;
    const v = new Float32Array(dimensions);
    for (let j = 0; j < latent; j++) {
      const weight = (centre[j] as number) + gauss();
      const row = basis[j] as Float32Array;
      for (let d = 0; d < dimensions; d++) v[d] = (v[d] as number) + weight * (row[d] as number);
    }
    for (let d = 0; d < dimensions; d++) v[d] = (v[d] as number) + gauss() * 0.5;
    out.push(v);
  }
  return out;
}
