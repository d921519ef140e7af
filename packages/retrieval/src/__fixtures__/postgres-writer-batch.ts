import type { StoreRecord } from '../stores/store.js';

const WORDS = ['whale', 'line', 'harpoon', 'ship', 'sea', 'captain', 'oil', 'boat', 'crew', 'storm', 'union', 'congress'];

/**
 * The records writer `name` upserts as batch n: 20 shared ids every writer overwrites and 30 of its
 * own, with texts of varying length (so document lengths, not only counts, must add up).
 */
export function writerBatch(name: string, n: number): StoreRecord[] {
  const text = (i: number, kind: string) => `${name}mark${n} ${kind} record ${i} ${Array.from({ length: 1 + ((i * 7 + n) % 11) }, (_, j) => WORDS[(i + j * n) % WORDS.length]).join(' ')}`;
  return [
    ...Array.from({ length: 20 }, (_, i) => ({ id: `shared-${i}`, text: text(i, 'shared'), meta: { writer: name, batch: n } })),
    ...Array.from({ length: 30 }, (_, i) => ({ id: `${name}-${n}-${i}`, text: text(i, 'own'), meta: { writer: name, batch: n } })),
  ];
}
