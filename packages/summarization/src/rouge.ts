/** Precision, recall and F1 of one ROUGE variant. */
export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** ROUGE's tokens: lower-cased runs of letters and digits (no stemming, no stopword removal). */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

function score(overlap: number, candidateTotal: number, referenceTotal: number): RougeScore {
  const precision = candidateTotal > 0 ? overlap / candidateTotal : 0;
  const recall = referenceTotal > 0 ? overlap / referenceTotal : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join('\u0000');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N (Lin 2004 §2): n-gram overlap with counts clipped to the reference's. */
export function rougeN(candidate: string, reference: string, n: number): RougeScore {
  const c = ngramCounts(rougeTokens(candidate), n);
  const r = ngramCounts(rougeTokens(reference), n);
  let overlap = 0;
  let candidateTotal = 0;
  let referenceTotal = 0;
  for (const count of r.values()) referenceTotal += count;
  for (const [gram, count] of c) {
    candidateTotal += count;
    overlap += Math.min(count, r.get(gram) ?? 0);
  }
  return score(overlap, candidateTotal, referenceTotal);
}

/**
 * ROUGE-L (Lin 2004 §3): longest common subsequence of the two token sequences, taken whole (as
 * rouge-score's `rougeL`, not the sentence-union `rougeLsum`). O(m·n) time, O(n) memory.
 */
export function rougeL(candidate: string, reference: string): RougeScore {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  let previous = new Uint32Array(r.length + 1);
  let current = new Uint32Array(r.length + 1);
  for (let i = 1; i <= c.length; i++) {
    for (let j = 1; j <= r.length; j++) {
      current[j] = c[i - 1] === r[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return score(previous[r.length]!, c.length, r.length);
}

/** ROUGE-1, ROUGE-2 and ROUGE-L of a candidate summary against one reference. */
export function rouge(candidate: string, reference: string): RougeScores {
  return { rouge1: rougeN(candidate, reference, 1), rouge2: rougeN(candidate, reference, 2), rougeL: rougeL(candidate, reference) };
}
