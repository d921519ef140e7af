import { seededRandom } from '@chunkwise/core';

/**
 * Stand-in embeddings for the attention view, laid out `[heads][seq][dim]` as @chunkwise/attention
 * expects. With no model in the page, a token's vector is a fixed pseudo-random function of its id,
 * so repeated words get identical keys and content-based selectors (DHSA) have real structure to
 * find; `randomEmbeddings` gives the structureless baseline.
 */
export function tokenEmbeddings(ids: ArrayLike<number>, heads: number, dim: number): Float32Array {
  const out = new Float32Array(heads * ids.length * dim);
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < ids.length; t++) fillGaussian(out, (h * ids.length + t) * dim, dim, mix(ids[t]!, h));
  }
  return out;
}

export function randomEmbeddings(seq: number, heads: number, dim: number, seed: number): Float32Array {
  const out = new Float32Array(heads * seq * dim);
  for (let row = 0; row < heads * seq; row++) fillGaussian(out, row * dim, dim, mix(row, seed));
  return out;
}

/** A 32-bit hash of (value, salt) (the murmur3 finaliser), used as a PRNG seed. */
function mix(value: number, salt: number): number {
  let x = (Math.imul(value ^ 0x85ebca6b, 0x9e3779b1) + Math.imul(salt + 1, 0xc2b2ae35)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Standard normal values (Box–Muller over mulberry32), scaled by 1/√count so rows have unit norm on average. */
function fillGaussian(out: Float32Array, offset: number, count: number, seed: number): void {
  const random = seededRandom(seed);
  // Half a step up, into (0, 1): log(0) would give an infinite radius.
  const next = (): number => random() + 2 ** -33;
  const scale = 1 / Math.sqrt(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(next()));
    const angle = 2 * Math.PI * next();
    out[offset + i] = radius * Math.cos(angle) * scale;
    if (i + 1 < count) out[offset + i + 1] = radius * Math.sin(angle) * scale;
  }
}
