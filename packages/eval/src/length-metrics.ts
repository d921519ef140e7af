import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireArray, requireString } from './argument-checks.js';

function assertLength(value: number, what: string, positive = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a finite number ${positive ? '> 0' : '≥ 0'}, got ${describeValue(value)}.`);
  }
}

const isRange = (value: unknown): boolean => Array.isArray(value) && value.length === 2 && value.every((x) => typeof x === 'number' && !Number.isNaN(x)) && (value[0] as number) <= (value[1] as number);

/** A bucket as RULER_LENGTH_BUCKETS holds them: a target name, a level and two (low, high] ranges. */
function assertBucket(bucket: unknown): asserts bucket is LengthBucket {
  if (!isObject(bucket) || typeof bucket.target !== 'string' || typeof bucket.level !== 'number' || !Number.isInteger(bucket.level) || !isRange(bucket.precise) || !isRange(bucket.flexible)) {
    invalid(`A length bucket must be { target, level, precise: [low, high], flexible: [low, high] } (see RULER_LENGTH_BUCKETS), got ${describeValue(bucket)}.`);
  }
}

/**
 * Signed relative length error (actual − target) / target: 0.1 is 10% too long, −0.1 10% too
 * short. Summarization's `lengthError` is this number in words.
 */
export function relativeLengthError(actual: number, target: number): number {
  assertLength(actual, 'The actual length');
  assertLength(target, 'The target length', true);
  return (actual - target) / target;
}

/**
 * InstructCMP's ΔCR (arXiv 2406.11097): the compression ratio achieved minus the one asked for,
 * in percentage points of the source length, 100 · (actual − target) / source. Positive means the
 * output kept too many words.
 */
export function compressionRatioDelta(actual: number, target: number, source: number): number {
  assertLength(actual, 'The actual length');
  assertLength(target, 'The target length');
  assertLength(source, 'The source length', true);
  return (100 * (actual - target)) / source;
}

/** One target length of Ruler's Target Length Generation task with its Precise and Flexible Match ranges. */
export interface LengthBucket {
  /** The target's name ("150", ">800"). */
  target: string;
  /** 0, 1 or 2: Ruler's short, medium and long levels. */
  level: number;
  /** A length L is a Precise Match when precise[0] < L ≤ precise[1]. */
  precise: readonly [number, number];
  /** And a Flexible Match when flexible[0] < L ≤ flexible[1]. */
  flexible: readonly [number, number];
}

/**
 * Ruler's (arXiv 2409.18943) target lengths in words with their PM / FM ranges, as the authors'
 * evaluation code defines them (`src/utils/config.py`): lower bound exclusive, upper inclusive.
 */
export const RULER_LENGTH_BUCKETS: readonly LengthBucket[] = [
  { target: '10', level: 0, precise: [0, 20], flexible: [0, 20] },
  { target: '30', level: 0, precise: [20, 40], flexible: [20, 40] },
  { target: '50', level: 0, precise: [40, 60], flexible: [40, 60] },
  { target: '80', level: 0, precise: [70, 90], flexible: [60, 100] },
  { target: '150', level: 1, precise: [130, 170], flexible: [100, 200] },
  { target: '300', level: 1, precise: [280, 320], flexible: [200, 400] },
  { target: '500', level: 1, precise: [450, 550], flexible: [400, 600] },
  { target: '700', level: 2, precise: [630, 770], flexible: [600, 800] },
  { target: '>800', level: 2, precise: [800, Infinity], flexible: [800, Infinity] },
];

/** Ruler's word count: runs of letters, digits and underscores (the `\w+` of its evaluation code). */
export function rulerWordCount(text: string): number {
  requireString(text, 'rulerWordCount() text');
  return text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

const inRange = (length: number, [low, high]: readonly [number, number]) => length > low && length <= high;

/** Whether a length is a Precise Match and a Flexible Match for a target bucket. */
export function lengthMatch(length: number, bucket: LengthBucket): { precise: boolean; flexible: boolean } {
  assertLength(length, 'The length');
  assertBucket(bucket);
  return { precise: inRange(length, bucket.precise), flexible: inRange(length, bucket.flexible) };
}

export interface LengthMatchRow {
  /** A bucket's target, a level ("level 0"), or "all". */
  name: string;
  count: number;
  /** Share of samples that are a Precise Match (0–1; Ruler reports it ×100). */
  precise: number;
  flexible: number;
}

/**
 * Ruler's PM / FM table: per target bucket, per level and over all samples. A sample names its
 * target bucket and the length it got (in words, e.g. `rulerWordCount(output)`).
 */
export function lengthMatchTable(samples: readonly { target: string; length: number }[], buckets: readonly LengthBucket[] = RULER_LENGTH_BUCKETS): LengthMatchRow[] {
  requireArray(samples, 'Length samples');
  requireArray(buckets, 'Length buckets');
  for (const bucket of buckets) assertBucket(bucket);
  const byTarget = new Map(buckets.map((b) => [b.target, b]));
  const tally = new Map<string, { count: number; precise: number; flexible: number }>();
  const add = (name: string, match: { precise: boolean; flexible: boolean }) => {
    let row = tally.get(name);
    if (!row) tally.set(name, (row = { count: 0, precise: 0, flexible: 0 }));
    row.count++;
    row.precise += Number(match.precise);
    row.flexible += Number(match.flexible);
  };
  for (const sample of samples) {
    if (!isObject(sample)) invalid(`A length sample must be { target, length }, got ${describeValue(sample)}.`);
    const bucket = typeof sample.target === 'string' ? byTarget.get(sample.target) : undefined;
    if (!bucket) invalid(`Unknown target length ${describeValue(sample.target)}; expected one of ${buckets.map((b) => b.target).join(', ')}.`);
    const match = lengthMatch(sample.length, bucket);
    add(bucket.target, match);
    add(`level ${bucket.level}`, match);
    add('all', match);
  }
  const order = [...buckets.map((b) => b.target), ...[...new Set(buckets.map((b) => b.level))].map((l) => `level ${l}`), 'all'];
  return order
    .filter((name) => tally.has(name))
    .map((name) => {
      const row = tally.get(name) as { count: number; precise: number; flexible: number };
      return { name, count: row.count, precise: row.precise / row.count, flexible: row.flexible / row.count };
    });
}
