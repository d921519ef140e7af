import { ChunkwiseError } from '@chunkwise/core';
import { packStrings, snapshotParts, unpackSnapshot, unpackStrings, type SnapshotArray, type SnapshotArrayPieces } from '../snapshot-codec.js';
import { Int32Blocks } from './int32-blocks.js';
import type { InvertedIndex } from './inverted-index.js';

/** What must match between a snapshot and the options it is loaded with. */
export interface BM25Settings {
  k1: number;
  b: number;
  fieldNames: readonly string[];
  weights: Float64Array;
  analyzer: string;
}

interface BM25SnapshotHeader {
  kind: 'bm25';
  k1: number;
  b: number;
  fields: string[];
  weights: number[];
  analyzer: string;
  terms: number;
  slots: number;
  used: number;
}

/**
 * The index as snapshot parts: an image of its arrays as they are in memory (the postings arena
 * with its per-term start, length and capacity, df, lengths, document terms) plus the terms, ids
 * and metadata (JSON) as packed strings. The big arrays are views, not copies, so saving a large
 * index does not double its memory; the parts stay valid until the index changes. Tombstones must
 * be compacted away first.
 */
export function bm25SnapshotParts<M>(index: InvertedIndex<M>, settings: BM25Settings): Uint8Array[] {
  if (index.deadCount > 0) throw new Error('compact the index before saving it');
  const F = settings.fieldNames.length;
  const arena = index.arena;
  const T = arena.terms;
  const S = index.slotCount;
  const header: BM25SnapshotHeader = {
    kind: 'bm25',
    k1: settings.k1,
    b: settings.b,
    fields: [...settings.fieldNames],
    weights: Array.from(settings.weights),
    analyzer: settings.analyzer,
    terms: T,
    slots: S,
    used: arena.used,
  };
  const arrays: (SnapshotArray | SnapshotArrayPieces)[] = [
    index.df.subarray(0, T),
    arena.start.subarray(0, T),
    arena.length.subarray(0, T),
    arena.maxTf.subarray(0, T * F),
    arena.minLen.subarray(0, T * F),
    arena.docs.subarray(0, arena.used),
    ...arena.tfs.map((tfs) => tfs.subarray(0, arena.used)),
    ...index.lengths.map((lengths) => lengths.subarray(0, S)),
    index.totalLength,
    index.docTermStart.subarray(0, S + 1),
    // Stored in blocks, written as one array.
    { pieces: index.docTerms.pieces(index.docTermStart[S] as number) },
    ...packStrings([...index.termIds.keys()]),
    ...packStrings(index.slotIds.slice(0, S)),
    ...packStrings(index.slotMeta.slice(0, S).map((meta) => (meta === undefined ? '' : JSON.stringify(meta)))),
  ];
  return snapshotParts(header, arrays);
}

/**
 * Fills an empty index from snapshot bytes (views of `bytes`, no copies of the big arrays).
 * Damage → CORRUPT_DATA; a snapshot saved with other settings → INVALID_ARGUMENT.
 */
export function readBM25Snapshot<M>(bytes: Uint8Array, index: InvertedIndex<M>, settings: BM25Settings): void {
  const { header, arrays } = unpackSnapshot<BM25SnapshotHeader>(bytes);
  const corrupt = (why: string): never => {
    throw new ChunkwiseError('CORRUPT_DATA', `Not a usable BM25Index snapshot: ${why}.`);
  };
  const F = settings.fieldNames.length;
  if (header === null || typeof header !== 'object' || header.kind !== 'bm25' || !Array.isArray(header.fields) || !Array.isArray(header.weights)) corrupt('bad header');
  if (header.k1 !== settings.k1 || header.b !== settings.b || header.fields.join('\u0000') !== settings.fieldNames.join('\u0000') || header.weights.some((w, f) => w !== settings.weights[f]) || header.analyzer !== settings.analyzer) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `The snapshot was saved with other options (k1 ${header.k1}, b ${header.b}, fields ${header.fields.join(', ')}, analyzer ${header.analyzer}).`);
  }
  const { terms: T, slots: S, used } = header;
  if (![T, S, used].every((n) => Number.isInteger(n) && n >= 0) || arrays.length !== 15 + 2 * F) corrupt('bad sizes');
  let at = 0;
  const next = <A extends SnapshotArray>(Type: abstract new (...args: never[]) => A, length?: number): A => {
    const array = arrays[at++];
    if (!(array instanceof Type) || (length !== undefined && array.length !== length)) corrupt('arrays do not match the header');
    return array as A;
  };
  const df = next(Int32Array, T);
  const start = next(Int32Array, T);
  const length = next(Int32Array, T);
  const maxTf = next(Float64Array, T * F);
  const minLen = next(Float64Array, T * F);
  const docs = next(Int32Array, used);
  const tfs = settings.fieldNames.map(() => next(Int32Array, used));
  const lengths = settings.fieldNames.map(() => next(Int32Array, S));
  const totalLength = next(Float64Array, F);
  const docTermStart = next(Int32Array, S + 1);
  const docTerms = next(Int32Array, docTermStart[S]);
  const termList = unpackStrings(next(Uint8Array), next(Int32Array));
  const ids = unpackStrings(next(Uint8Array), next(Int32Array));
  const metas = unpackStrings(next(Uint8Array), next(Int32Array));
  if (termList?.length !== T || ids?.length !== S || metas?.length !== S) return corrupt('bad string lists');
  for (let term = 0; term < T; term++) {
    const from = start[term] as number;
    if (from < 0 || (length[term] as number) < 0 || from + (length[term] as number) > used || (df[term] as number) < 0) corrupt('postings out of bounds');
  }
  if (docTermStart[0] !== 0) corrupt('document terms out of bounds');
  for (let slot = 0; slot < S; slot++) if ((docTermStart[slot + 1] as number) < (docTermStart[slot] as number)) corrupt('document terms out of bounds');
  for (const token of termList) {
    if (index.termIds.has(token)) corrupt('a term is listed twice');
    index.newTerm(token);
  }
  // The big arrays stay views of `bytes`; those the index changes in place are copied, so the
  // caller's bytes never change.
  index.arena.adopt(T, start, length, used, docs, tfs, maxTf, minLen);
  index.df.set(df); // newTerm() sized it (and its scratch arrays) for T terms
  index.lengths = lengths;
  index.totalLength.set(totalLength);
  index.docTermStart = docTermStart.slice();
  index.docTerms = Int32Blocks.viewOf(docTerms);
  index.pendingSlot = S;
  // Every per-slot array has capacity S; the next add grows them together.
  index.alive = new Uint8Array(S).fill(1);
  index.slotCount = S;
  for (let slot = 0; slot < S; slot++) {
    const id = ids[slot] as string;
    if (id === '' || index.slotOf.has(id)) corrupt('bad id list');
    let meta: M | undefined;
    const json = metas[slot] as string;
    if (json !== '') {
      try {
        meta = JSON.parse(json) as M;
      } catch {
        corrupt('bad metadata');
      }
    }
    index.slotIds[slot] = id;
    index.slotMeta[slot] = meta;
    index.slotOf.set(id, slot);
  }
}
