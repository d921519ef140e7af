import { describeValue, invalid, requireArray } from './argument-checks.js';

/** Finite numbers only: a NaN or an infinity would make every summary NaN without saying where from. */
function requireFinite(values: readonly number[], what: string): void {
  requireArray(values, what);
  for (const v of values) if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${what} must hold finite numbers, got ${describeValue(v)}.`);
}

/** Arithmetic mean; 0 for no values. */
export function mean(values: readonly number[]): number {
  requireFinite(values, 'mean() values');
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function standardDeviation(values: readonly number[]): number {
  requireFinite(values, 'standardDeviation() values');
  if (values.length < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return Math.sqrt(sum / (values.length - 1));
}
