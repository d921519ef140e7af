import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, isPlainObject } from '../argument-checks.js';
import type { RecordMeta } from '../stores/store.js';

/**
 * The store key that holds the LangChain metadata a store cannot keep as flat values (objects and
 * arrays, such as a text splitter's `loc: { lines }`), as JSON. Flat values stay top-level, so
 * metadata filters work on them.
 */
export const NESTED_METADATA_KEY = 'lc_metadata';

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** LangChain metadata → store meta: scalars as they are, everything else as JSON under `lc_metadata`. */
export function toRecordMeta(metadata: unknown): RecordMeta {
  if (metadata === undefined || metadata === null) return {};
  if (!isPlainObject(metadata)) throw new ChunkwiseError('INVALID_ARGUMENT', `Document metadata must be a plain object, got ${describeValue(metadata)}.`);
  const meta: RecordMeta = {};
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === NESTED_METADATA_KEY) throw new ChunkwiseError('INVALID_ARGUMENT', `The metadata key "${NESTED_METADATA_KEY}" is reserved by the Chunkwise vector store.`);
    if (value === undefined) continue;
    if (isScalar(value)) meta[key] = value;
    else if (typeof value === 'object') nested[key] = value;
    else throw new ChunkwiseError('INVALID_ARGUMENT', `metadata.${key} cannot be stored: ${describeValue(value)} is not JSON.`);
  }
  if (Object.keys(nested).length > 0) {
    let json: string;
    try {
      json = JSON.stringify(nested);
    } catch (cause) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Document metadata must be JSON (${(cause as Error).message}).`, { cause });
    }
    meta[NESTED_METADATA_KEY] = json;
  }
  return meta;
}

/** Store meta → LangChain metadata: the inverse of toRecordMeta (records written by Chunkwise itself pass through). */
export function fromRecordMeta(meta: RecordMeta | undefined): Record<string, unknown> {
  if (meta === undefined) return {};
  const { [NESTED_METADATA_KEY]: nested, ...flat } = meta;
  if (typeof nested !== 'string') return { ...flat };
  let parsed: unknown;
  try {
    parsed = JSON.parse(nested);
  } catch (cause) {
    throw new ChunkwiseError('CORRUPT_DATA', `The record's ${NESTED_METADATA_KEY} is not JSON (${(cause as Error).message}); it was not written by ChunkwiseVectorStore.`, { cause });
  }
  if (!isPlainObject(parsed)) throw new ChunkwiseError('CORRUPT_DATA', `The record's ${NESTED_METADATA_KEY} must hold a JSON object, got ${describeValue(parsed)}.`);
  return { ...flat, ...parsed };
}
