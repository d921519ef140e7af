/**
 * TF-IDF sentence vectors, the representation LexRank (Erkan & Radev 2004) ranks and MMR
 * (Carbonell & Goldstein 1998) compares. Vectors are sparse and L2-normalised, so a dot product is
 * the cosine similarity.
 */

// Function words carry no topic; leaving them out keeps the similarity graph sparse and meaningful.
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off ' +
    'on once only or other our ours ourselves out over own same shall she should so some such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up upon very was we were what ' +
    'when where which while who whom why will with would you your yours yourself yourselves one us may must might ' +
    'let made make much many every said say thus therefore yet whether within without ' +
    // Archaic pronouns and auxiliaries, frequent in older prose (Moby Dick, early addresses).
    'ye thou thee thy thine hath doth art shalt wilt hast dost unto'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** A light English stemmer: folds plurals and possessives so "states", "state's" and "state" match. */
export function stem(word: string): string {
  let w = word.replace(/['’]s?$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 4 && w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Content terms of a sentence: lower-cased, stemmed, without stopwords and one-letter words. */
export function contentTerms(sentence: string): string[] {
  const terms: string[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(sentence); match !== null; match = WORD.exec(sentence)) {
    const word = match[0].toLowerCase();
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    const stemmed = stem(word);
    if (!STOPWORDS.has(stemmed)) terms.push(stemmed);
  }
  return terms;
}

/** Sparse unit vectors: `terms[i]` ascending term ids of sentence i, `weights[i]` their weights. */
export interface TermVectors {
  terms: Int32Array[];
  weights: Float64Array[];
  /** Distinct content terms per sentence (TextRank's |S|). */
  termCounts: Int32Array;
  vocabularySize: number;
}

/** Content terms of many sentences as ids into one vocabulary: tokenised once, reused by every graph. */
export interface TermIds {
  /** `terms[i]`: the content-term ids of sentence i, in text order (repeats kept). */
  terms: Int32Array[];
  /** Term of each id. */
  vocabulary: string[];
}

export function termIds(sentences: readonly string[]): TermIds {
  const ids = new Map<string, number>();
  const vocabulary: string[] = [];
  const terms = sentences.map((sentence) =>
    Int32Array.from(contentTerms(sentence), (term) => {
      let id = ids.get(term);
      if (id === undefined) {
        id = vocabulary.length;
        ids.set(term, id);
        vocabulary.push(term);
      }
      return id;
    }),
  );
  return { terms, vocabulary };
}

/**
 * TF-IDF with sublinear tf (1 + ln tf) and smoothed idf ln((1 + N) / (1 + df)) + 1, so a term in
 * every sentence still weighs a little and a one-sentence text gets a non-zero vector.
 */
export function buildTermVectors(sentences: readonly string[]): TermVectors {
  const { terms, vocabulary } = termIds(sentences);
  return vectorsFromIds(terms, vocabulary.length);
}

/**
 * The same vectors from sentences already tokenised into ids (`termIds`), any subset of them: idf
 * counts only the sentences given. Ids are renumbered densely so the graph's arrays stay small.
 */
export function vectorsFromIds(sentenceTerms: readonly Int32Array[], vocabularySize: number): TermVectors {
  const local = new Int32Array(vocabularySize).fill(-1);
  let size = 0;
  const df: number[] = [];
  const counted: Map<number, number>[] = [];
  for (const ids of sentenceTerms) {
    const counts = new Map<number, number>();
    for (const global of ids) {
      let id = local[global]!;
      if (id < 0) {
        id = size++;
        local[global] = id;
        df.push(0);
      }
      const previous = counts.get(id);
      if (previous === undefined) df[id]!++;
      counts.set(id, (previous ?? 0) + 1);
    }
    counted.push(counts);
  }
  const n = sentenceTerms.length;
  const idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
  const terms: Int32Array[] = [];
  const weights: Float64Array[] = [];
  const termCounts = new Int32Array(n);
  counted.forEach((counts, i) => {
    const ids = Int32Array.from(counts.keys()).sort();
    const w = new Float64Array(ids.length);
    let norm = 0;
    ids.forEach((id, k) => {
      const value = (1 + Math.log(counts.get(id)!)) * idf[id]!;
      w[k] = value;
      norm += value * value;
    });
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < w.length; k++) w[k]! /= norm;
    terms.push(ids);
    weights.push(w);
    termCounts[i] = ids.length;
  });
  return { terms, weights, termCounts, vocabularySize: size };
}

/** Cosine similarity of two sparse unit vectors (merge of two sorted id lists). */
export function cosine(vectors: TermVectors, a: number, b: number): number {
  const ta = vectors.terms[a]!;
  const tb = vectors.terms[b]!;
  const wa = vectors.weights[a]!;
  const wb = vectors.weights[b]!;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < ta.length && j < tb.length) {
    const x = ta[i]!;
    const y = tb[j]!;
    if (x === y) dot += wa[i++]! * wb[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return dot;
}
