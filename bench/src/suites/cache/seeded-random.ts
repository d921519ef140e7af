/** mulberry32: seeded, so every run of the traces is the same trace. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTokens(random: () => number, length: number, vocab = 50_000): number[] {
  return Array.from({ length }, () => Math.floor(random() * vocab));
}
