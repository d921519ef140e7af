import { ChunkwiseError, seededRandom } from '@chunkwise/core';
import { checkInteger, checkNumber, checkOptions, MAX_ELEMENTS } from '../argument-checks.js';
import type { AttentionShape } from '../attention-shape.js';

export interface NeedleHaystackOptions {
  seqK: number;
  seqQ: number;
  headDim: number;
  seed: number;
  /** Near-duplicates of the needle planted as distractors (default 8). */
  distractors?: number;
  /** Tokens in the needle (and in each distractor): 1 for a single key, more for a sentence. */
  needleTokens?: number;
  /** Cosine between each query and the needle's direction (default 0.9). */
  queryCosine?: number;
}

/**
 * A needle-in-a-haystack case with nothing to give the needle away but its direction. Haystack
 * keys and queries are standard normal vectors (norm ≈ √d, the spread a LayerNorm-ed projection
 * has); the needle is a key whose norm is drawn from the same haystack (the norm of a random
 * haystack key) and whose direction is the queries' shared one; the distractors are
 * near-duplicates of it (cosine 0.6–0.85 to the needle, same norm distribution), as a passage
 * that says almost the same thing. Queries point along the needle with cosine `queryCosine`.
 *
 * With d = 64 the needle's logit q·k/√d is about 0.9·√d ≈ 7, the best of 32k random keys about
 * 4.5: it is the top key, but it carries only a few percent of the softmax — as in real long
 * contexts — and a selector must find it by its direction alone.
 */
export function needleHaystack(options: NeedleHaystackOptions): NeedleHaystack {
  const { seqK, seqQ, headDim: d, seed, distractors = 8, needleTokens = 1, queryCosine = 0.9 } = checkHaystackOptions(options);
  const { tail, lead } = spanRegion(seqK);
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const normal = (length: number) => Float32Array.from({ length }, gaussian);
  const shape = { heads: 1, kvHeads: 1, seqQ, seqK, headDim: d };
  const k = normal(seqK * d);
  const v = normal(seqK * d);
  const norm = (x: ArrayLike<number>, at = 0) => {
    let sum = 0;
    for (let c = 0; c < d; c++) sum += (x[at + c] as number) ** 2;
    return Math.sqrt(sum);
  };
  const direction = normal(d);
  const unit = direction.map((x) => x / norm(direction));
  /** A vector at cosine `cosine` to `unit` with norm `length`. */
  const around = (cosine: number, length: number) => {
    const noise = normal(d);
    let along = 0;
    for (let c = 0; c < d; c++) along += (noise[c] as number) * (unit[c] as number);
    for (let c = 0; c < d; c++) noise[c] = (noise[c] as number) - along * (unit[c] as number);
    const noiseNorm = norm(noise);
    const sine = Math.sqrt(1 - cosine * cosine);
    return Float32Array.from({ length: d }, (_, c) => length * (cosine * (unit[c] as number) + (sine * (noise[c] as number)) / noiseNorm));
  };
  const haystackNorm = () => norm(k, Math.floor(random() * seqK) * d);
  // A needle of several tokens is a sentence whose keys share its direction (cosine 0.9 each).
  const place = () => lead + Math.floor(random() * (seqK - tail - lead - needleTokens));
  const needle = place();
  for (let t = 0; t < needleTokens; t++) k.set(around(needleTokens === 1 ? 0.999 : 0.9, haystackNorm()), (needle + t) * d);
  const distractorPositions: number[] = [];
  const overlaps = (position: number) => [needle, ...distractorPositions].some((other) => Math.abs(other - position) < needleTokens);
  while (distractorPositions.length < distractors) {
    const position = place();
    if (overlaps(position)) continue;
    distractorPositions.push(position);
    const cosine = 0.6 + 0.25 * random();
    for (let t = 0; t < needleTokens; t++) k.set(around(cosine, haystackNorm()), (position + t) * d);
  }
  const q = new Float32Array(seqQ * d);
  for (let i = 0; i < seqQ; i++) q.set(around(queryCosine, norm(normal(d))), i * d);
  return { shape, q, k, v, needle, needleTokens, distractors: distractorPositions };
}

/**
 * Spans go in [lead, seqK − tail): clear of the first keys (sinks) and of the queries' recent
 * window (2048 keys at 32k), which every selector keeps anyway.
 */
function spanRegion(seqK: number): { tail: number; lead: number } {
  const tail = Math.min(2048, Math.floor(seqK / 4));
  return { tail, lead: Math.floor(tail / 8) };
}

/** Throws INVALID_ARGUMENT (LIMIT_EXCEEDED for sizes too large) unless `needleHaystack` can build these. */
export function checkHaystackOptions(input: NeedleHaystackOptions): NeedleHaystackOptions {
  const options = checkOptions(input, 'options');
  const { seqK, seqQ, headDim: d, seed, distractors = 8, needleTokens = 1, queryCosine = 0.9 } = options;
  checkInteger(d, 'headDim', 2, 4096);
  checkInteger(seqK, 'seqK', 256, Math.floor(MAX_ELEMENTS / d));
  checkInteger(seqQ, 'seqQ', 1, Math.floor(seqK / 4));
  checkInteger(distractors, 'distractors', 0);
  checkInteger(needleTokens, 'needleTokens', 1);
  checkNumber(seed, 'seed');
  checkNumber(queryCosine, 'queryCosine', Number.MIN_VALUE, 1);
  const { tail, lead } = spanRegion(seqK);
  if ((distractors + 1) * needleTokens * 4 > seqK - tail - lead) throw new ChunkwiseError('INVALID_ARGUMENT', `needleHaystack: ${distractors + 1} spans of ${needleTokens} tokens do not fit in ${seqK} keys.`);
  return options;
}

export interface NeedleHaystack {
  /** One head; the queries are the last `seqQ` positions. */
  shape: AttentionShape;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  /** First key of the needle; it spans `needleTokens` keys. */
  needle: number;
  needleTokens: number;
  /** First key of each distractor span. */
  distractors: number[];
}
