/** Token ids drawn uniformly from a vocabulary with the given generator (seed it for repeatable traces). */
export function randomTokens(random: () => number, length: number, vocab = 50_000): number[] {
  return Array.from({ length }, () => Math.floor(random() * vocab));
}
