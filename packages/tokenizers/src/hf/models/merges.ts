import type { ModelJson } from '../tokenizer-json.js';
import { PairMerges } from '../pair-merge.js';
import { invalid } from './check-model.js';

/** The file's merges ("left right" or [left, right]) as ranked id pairs; merges naming unknown tokens are skipped, as tokenizers does. */
export function pairMerges(merges: ModelJson['merges'], idOf: (token: string) => number | undefined): PairMerges {
  const table = new PairMerges();
  (merges ?? []).forEach((merge, rank) => {
    let left: string;
    let right: string;
    if (typeof merge === 'string') {
      const space = merge.indexOf(' ');
      if (space < 0 || merge.indexOf(' ', space + 1) >= 0) invalid(`merge ${JSON.stringify(merge)} is not "left right".`);
      left = merge.slice(0, space);
      right = merge.slice(space + 1);
    } else {
      if (!Array.isArray(merge) || merge.length !== 2 || typeof merge[0] !== 'string' || typeof merge[1] !== 'string') invalid(`merge ${JSON.stringify(merge)} is not [left, right].`);
      [left, right] = merge;
    }
    const leftId = idOf(left);
    const rightId = idOf(right);
    const merged = idOf(left + right);
    if (leftId !== undefined && rightId !== undefined && merged !== undefined) table.add(leftId, rightId, rank, merged);
  });
  return table;
}
