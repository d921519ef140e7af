/**
 * A word bigram model with interpolated absolute discounting (Ney, Essen & Kneser 1994), fitted on
 * the text being chunked. It is the model-free default for perplexity chunking: it rates how
 * predictable each word is from the one before, which is enough to find where a new topic starts.
 */
export class BigramModel {
  private readonly unigrams = new Map<string, number>();
  private readonly bigrams = new Map<string, number>();
  private readonly followers = new Map<string, number>();
  private readonly contextTotals = new Map<string, number>();
  private total = 0;
  private readonly discount = 0.75;

  constructor(words: readonly string[]) {
    let previous = '<s>';
    for (const word of words) {
      this.unigrams.set(word, (this.unigrams.get(word) ?? 0) + 1);
      const key = `${previous}\u0000${word}`;
      const seen = this.bigrams.get(key) ?? 0;
      if (seen === 0) this.followers.set(previous, (this.followers.get(previous) ?? 0) + 1);
      this.bigrams.set(key, seen + 1);
      this.contextTotals.set(previous, (this.contextTotals.get(previous) ?? 0) + 1);
      this.total++;
      previous = word;
    }
  }

  /** −ln p(word | previous). */
  negativeLogProbability(previous: string, word: string): number {
    const vocabulary = this.unigrams.size + 1;
    // Add-one unigram so unseen words keep a finite cost.
    const unigram = ((this.unigrams.get(word) ?? 0) + 1) / (this.total + vocabulary);
    const contextTotal = this.contextTotals.get(previous) ?? 0;
    if (contextTotal === 0) return -Math.log(unigram);
    const pair = this.bigrams.get(`${previous}\u0000${word}`) ?? 0;
    const backoffWeight = (this.discount * (this.followers.get(previous) ?? 0)) / contextTotal;
    const p = Math.max(pair - this.discount, 0) / contextTotal + backoffWeight * unigram;
    return -Math.log(p);
  }
}

/** Lower-cased words and numbers; punctuation is not scored. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{M}]+|\p{N}+/gu) ?? [];
}
