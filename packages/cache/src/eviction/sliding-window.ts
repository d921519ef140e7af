import { checkCount } from '../argument-checks.js';

/** Positions a sliding window keeps of a sequence of `length` tokens: the last `window`, ascending. */
export function slidingWindowKeep(length: number, window: number): Int32Array {
  checkCount('slidingWindowKeep', 'length', length);
  checkCount('slidingWindowKeep', 'window', window);
  const start = Math.max(0, length - window);
  const keep = new Int32Array(length - start);
  for (let i = 0; i < keep.length; i++) keep[i] = start + i;
  return keep;
}
