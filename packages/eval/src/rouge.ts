// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- wink-porter2-stemmer ships no types; this keeps our declaration with the file when sibling packages typecheck our source.
/// <reference path="./wink-porter2-stemmer.d.ts" />
import { sentenceSpans } from '@chunkwise/chunking';
import { ChunkwiseError } from '@chunkwise/core';
import stem from 'wink-porter2-stemmer';
import { describeValue, optionsObject, requireBoolean, requireStrings } from './argument-checks.js';

/** Precision, recall and F1 of one ROUGE variant. */
export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  /** LCS of the two texts taken whole (rouge-score's `rougeL`). */
  rougeL: RougeScore;
  /** Summary-level LCS: union LCS per reference sentence (Lin 2004 §3.2; rouge-score's `rougeLsum`). */
  rougeLsum: RougeScore;
}

export interface RougeOptions {
  /**
   * Reduce words of more than three letters to their stem (Porter2, the Snowball English stemmer),
   * so "killed" matches "kill". Default false. rouge-score stems with NLTK's original Porter
   * stemmer under the same length rule; the two differ on a few words.
   */
  stem?: boolean;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * ROUGE's tokens: the text lower-cased, every run of letters and digits one token, everything else
 * a separator (no stopword removal); with `stem`, tokens longer than three characters stemmed.
 */
export function rougeTokens(text: string, options: RougeOptions = {}): string[] {
  assertText(text, 'text');
  const { stem: stemming } = rougeOptions(options);
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  return stemming ? tokens.map((t) => (t.length > 3 ? stem(t) : t)) : tokens;
}

function rougeOptions(options: RougeOptions | undefined): RougeOptions {
  const checked = optionsObject(options, 'ROUGE options');
  requireBoolean(checked.stem, 'stem');
  return checked;
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

function assertText(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `ROUGE needs the ${what} as a string, got ${describeValue(value)}.`);
}

/** ROUGE-N (Lin 2004 §2): n-gram overlap, each n-gram counted at most as often as the reference has it. */
export function rougeN(candidate: string, reference: string, n: number, options: RougeOptions = {}): RougeScore {
  assertText(candidate, 'candidate');
  assertText(reference, 'reference');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `ROUGE-N needs an integer n ≥ 1, got ${describeValue(n)}.`);
  rougeOptions(options);
  const c = ngramCounts(rougeTokens(candidate, options), n);
  const r = ngramCounts(rougeTokens(reference, options), n);
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

/** Token strings → small integers, so the LCS loops compare numbers. */
function intern(sequences: readonly (readonly string[])[]): Uint32Array[] {
  const ids = new Map<string, number>();
  return sequences.map((tokens) => Uint32Array.from(tokens, (t) => {
    let id = ids.get(t);
    if (id === undefined) ids.set(t, (id = ids.size));
    return id;
  }));
}

/** Length of the longest common subsequence: O(m·n) time, O(n) memory. */
function lcsLength(a: Uint32Array, b: Uint32Array): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const x = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] = x === b[j - 1] ? (previous[j - 1] as number) + 1 : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/**
 * ROUGE-L (Lin 2004 §3.1): longest common subsequence of the two token sequences taken whole
 * (rouge-score's `rougeL`; `rougeLsum` is the sentence-level variant).
 */
export function rougeL(candidate: string, reference: string, options: RougeOptions = {}): RougeScore {
  assertText(candidate, 'candidate');
  assertText(reference, 'reference');
  const [c, r] = intern([rougeTokens(candidate, options), rougeTokens(reference, options)]) as [Uint32Array, Uint32Array];
  return score(lcsLength(c, r), c.length, r.length);
}

/** A full LCS table is kept per sentence pair for backtracking; beyond this many cells, refuse. */
const MAX_TABLE_CELLS = 50_000_000;

/**
 * Positions in `ref` of one longest common subsequence with `can`, by the same backtracking as
 * rouge-score (`_backtrack_norec`), so union LCS picks the same words.
 */
function lcsIndices(ref: Uint32Array, can: Uint32Array): number[] {
  const width = can.length + 1;
  if ((ref.length + 1) * width > MAX_TABLE_CELLS) {
    throw new ChunkwiseError(
      'LIMIT_EXCEEDED',
      `ROUGE-Lsum compares sentences pairwise; a pair of ${ref.length} and ${can.length} tokens is too long. Split the texts into sentences (one per line) first.`,
    );
  }
  const table = new Uint32Array((ref.length + 1) * width);
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= can.length; j++) {
      table[i * width + j] = ref[i - 1] === can[j - 1] ? (table[(i - 1) * width + j - 1] as number) + 1 : Math.max(table[(i - 1) * width + j] as number, table[i * width + j - 1] as number);
    }
  }
  const out: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if ((table[i * width + j - 1] as number) > (table[(i - 1) * width + j] as number)) j--;
    else i--;
  }
  return out.reverse();
}

function sentenceTokens(text: string, options: RougeOptions): string[][] {
  return sentenceSpans(text)
    .map(({ start, end }) => rougeTokens(text.slice(start, end), options))
    .filter((tokens) => tokens.length > 0);
}

function tokenCounts(sentences: readonly Uint32Array[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const sentence of sentences) for (const t of sentence) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/**
 * ROUGE-Lsum (Lin 2004 §3.2, summary-level LCS): for each reference sentence, the union of its
 * LCS with every candidate sentence; hits are clipped to each token's count in both texts, as
 * rouge-score does. Sentences are found with `@chunkwise/chunking`'s splitter (a newline always
 * ends one), where rouge-score expects one sentence per line.
 */
export function rougeLsum(candidate: string, reference: string, options: RougeOptions = {}): RougeScore {
  assertText(candidate, 'candidate');
  assertText(reference, 'reference');
  const candSentences = sentenceTokens(candidate, options);
  const refSentences = sentenceTokens(reference, options);
  const interned = intern([...candSentences, ...refSentences]);
  const cand = interned.slice(0, candSentences.length);
  const refs = interned.slice(candSentences.length);
  const candCounts = tokenCounts(cand);
  const refCounts = tokenCounts(refs);
  const n = cand.reduce((sum, s) => sum + s.length, 0);
  const m = refs.reduce((sum, s) => sum + s.length, 0);
  let hits = 0;
  for (const r of refs) {
    const union = new Set<number>();
    for (const c of cand) for (const index of lcsIndices(r, c)) union.add(index);
    for (const index of [...union].sort((a, b) => a - b)) {
      const token = r[index] as number;
      const inCand = candCounts.get(token) ?? 0;
      const inRef = refCounts.get(token) ?? 0;
      if (inCand > 0 && inRef > 0) {
        hits++;
        candCounts.set(token, inCand - 1);
        refCounts.set(token, inRef - 1);
      }
    }
  }
  return score(hits, n, m);
}

/** ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of a candidate against one reference. */
export function rouge(candidate: string, reference: string, options: RougeOptions = {}): RougeScores {
  return {
    rouge1: rougeN(candidate, reference, 1, options),
    rouge2: rougeN(candidate, reference, 2, options),
    rougeL: rougeL(candidate, reference, options),
    rougeLsum: rougeLsum(candidate, reference, options),
  };
}

/**
 * The best score per variant over several references (by F1, as rouge-score's `score_multi`).
 * No references → all zeros.
 */
export function rougeMulti(candidate: string, references: readonly string[], options: RougeOptions = {}): RougeScores {
  assertText(candidate, 'candidate');
  requireStrings(references, 'ROUGE references');
  rougeOptions(options);
  const zero = (): RougeScore => ({ precision: 0, recall: 0, f1: 0 });
  const best: RougeScores = { rouge1: zero(), rouge2: zero(), rougeL: zero(), rougeLsum: zero() };
  for (const reference of references) {
    const scores = rouge(candidate, reference, options);
    for (const key of ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const) if (scores[key].f1 > best[key].f1) best[key] = scores[key];
  }
  return best;
}
