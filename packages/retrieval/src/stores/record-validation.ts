import { ChunkwiseError } from '@chunkwise/core';
import type { RecordMeta, StoreRecord } from './store.js';

/** A checked record: own copies of fields and meta; the vector still as given (each store checks its dimension). */
export type ValidRecord = Omit<StoreRecord, 'vector'> & { vector?: ArrayLike<number> };

/**
 * The one record check every store runs before writing anything: a non-empty string id, a text
 * string, BM25F fields the store declares (strings), and metadata that is a plain object of
 * JSON scalars. A text with no terms after analysis is valid: it is stored and counted, and no
 * query matches it.
 */
export function validateRecord(record: unknown, declaredFields: ReadonlySet<string>): ValidRecord {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new ChunkwiseError('INVALID_ARGUMENT', 'A record must be an object with id and text.');
  const { id, text, fields, meta, vector } = record as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'A record id must be a non-empty string.');
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${id}" needs a text string.`, { details: { id } });
  checkWellFormed(id, 'its id', id);
  checkWellFormed(id, 'its text', text);
  const out: ValidRecord = { id, text };
  if (fields !== undefined) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new ChunkwiseError('INVALID_ARGUMENT', `fields of record "${id}" must be an object of strings.`, { details: { id } });
    const copy: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'text') throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${id}" has fields.text: the text goes in record.text.`, { details: { id } });
      if (!declaredFields.has(name)) throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${id}" has field "${name}", which the store does not declare in options.fields.`, { details: { id } });
      if (typeof value !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Field "${name}" of record "${id}" must be a string.`, { details: { id } });
      checkWellFormed(id, `field "${name}"`, value);
      copy[name] = value;
    }
    out.fields = copy;
  }
  if (meta !== undefined) {
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new ChunkwiseError('INVALID_ARGUMENT', `meta of record "${id}" must be a plain object.`, { details: { id } });
    const copy: RecordMeta = {};
    for (const [key, value] of Object.entries(meta)) {
      if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `meta.${key} of record "${id}" must be a string, finite number, boolean or null.`, { details: { id } });
      }
      checkWellFormed(id, `meta key "${key}"`, key);
      if (typeof value === 'string') checkWellFormed(id, `meta.${key}`, value);
      copy[key] = value;
    }
    out.meta = copy;
  }
  if (vector !== undefined) {
    if (vector === null || typeof vector !== 'object' || typeof (vector as ArrayLike<number>).length !== 'number') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `The vector of record "${id}" must be an array or typed array of numbers.`, { details: { id } });
    }
    out.vector = vector as ArrayLike<number>;
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A lone surrogate (half of a UTF-16 pair) has no UTF-8 form: SQLite and Postgres would store
 * U+FFFD instead and read back other text, so every store refuses it rather than change it.
 */
function checkWellFormed(id: string, what: string, text: string): void {
  const match = LONE_SURROGATE.exec(text);
  if (match) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${id.replace(LONE_SURROGATE, '\uFFFD')}": ${what} has a lone surrogate (U+${(match[0].charCodeAt(0)).toString(16).toUpperCase()}) at offset ${match.index}, which no store can keep as UTF-8. Cut text at code point boundaries.`, {
      details: { offset: match.index },
    });
  }
}
