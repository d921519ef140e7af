import { expect } from 'vitest';
import { BM25Index, type BM25Options } from '../bm25/bm25-index.js';
import type { Store, StoredRecord } from '../stores/store.js';

/** Every record of a store, in id order. */
export async function allRecords(store: Store): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const record of store.records()) out.push(record);
  return out;
}

/** Query words drawn from the records themselves (every third record, a few words each), plus misses. */
export function queriesFrom(records: readonly StoredRecord[], count = 24): string[] {
  const words = records.flatMap((r, i) => (i % 3 === 0 ? r.text.split(/\s+/).filter((w) => /^[a-z]{3,}$/i.test(w)).slice(0, 4) : []));
  const queries: string[] = [];
  for (let i = 0; queries.length < count && words.length > 0; i++) {
    queries.push([words[(i * 7) % words.length], words[(i * 13 + 5) % words.length], words[(i * 3 + 1) % words.length]].slice(0, 1 + (i % 3)).join(' '));
  }
  queries.push('zyzzyva quagga');
  return queries;
}

/**
 * The check behind "term statistics stay exact": the store's BM25 hits and scores for every query
 * equal those of an in-memory BM25Index built, in one process, over the store's final records.
 * A wrong document count or total length changes every idf or length norm, so it shows here.
 */
export async function expectSingleWriterScores(store: Store, options: BM25Options = {}, queries?: readonly string[]): Promise<void> {
  const records = await allRecords(store);
  const index = new BM25Index({ ...options, fields: { text: 1, ...options.fields } });
  for (const record of records) index.add(record.id, { ...record.fields, text: record.text });
  expect(await store.count()).toBe(records.length);
  for (const query of queries ?? queriesFrom(records)) {
    expect([query, await store.searchText(query, { k: 10 })]).toEqual([query, index.search(query, { k: 10 })]);
  }
}
