/**
 * Greedy packing of consecutive items into groups whose sizes add up to at most `capacity`: BooookScore
 * merges "as many consecutive summaries as fit" (arXiv 2310.00785 §2). An item larger than the
 * capacity gets a group of its own; callers shrink such items first.
 */
export function packGroups(sizes: readonly number[], capacity: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  sizes.forEach((size, i) => {
    if (current.length > 0 && used + size > capacity) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(i);
    used += size;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
