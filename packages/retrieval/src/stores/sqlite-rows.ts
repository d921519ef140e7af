import { ChunkwiseError } from '@chunkwise/core';
import { recordChecksum } from './record-checksum.js';
import type { RecordMeta, StoredRecord } from './store.js';

/** A record row as SQLite returns it. */
export interface Row {
  id: string;
  text: string;
  fields: string | null;
  meta: string | null;
  vector: Uint8Array | null;
  checksum: number;
}

export const ROW_COLUMNS = 'id, text, fields, meta, vector, checksum';

/** The column values of a validated record, in ROW_COLUMNS order, checksum last. */
export function encodeRow(record: StoredRecord): [string, string, string | null, string | null, Buffer | null, number] {
  const fields = record.fields ? JSON.stringify(record.fields) : null;
  const meta = record.meta ? JSON.stringify(record.meta) : null;
  const vector = record.vector ? Buffer.from(record.vector.buffer, record.vector.byteOffset, record.vector.byteLength) : null;
  return [record.id, record.text, fields, meta, vector, recordChecksum(record.id, record.text, fields, meta, vector)];
}

/**
 * A row back as a record, after checking its checksum (and, when given, that it is the row that
 * was asked for): a damaged row is CORRUPT_DATA, never a record with changed text.
 */
export function decodeRow(row: Row, path: string, expectedId?: string): StoredRecord {
  const fail = (why: string, cause?: unknown): never => {
    throw new ChunkwiseError('CORRUPT_DATA', `Record "${String(row.id)}" in ${path} is damaged: ${why}. \`verifySqliteStore\` says what can be recovered.`, { cause, details: { id: row.id, path } });
  };
  if (typeof row.id !== 'string' || typeof row.text !== 'string' || (expectedId !== undefined && row.id !== expectedId)) fail('its row does not read back');
  if (recordChecksum(row.id, row.text, row.fields, row.meta, row.vector) !== row.checksum) fail('its checksum does not match');
  try {
    const record: StoredRecord = { id: row.id, text: row.text };
    if (row.fields !== null) record.fields = JSON.parse(row.fields) as Record<string, string>;
    if (row.meta !== null) record.meta = JSON.parse(row.meta) as RecordMeta;
    if (row.vector !== null) {
      if (row.vector.byteLength % 4 !== 0) throw new Error('vector blob length is not a multiple of 4');
      record.vector = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
    }
    return record;
  } catch (error) {
    return fail((error as Error).message, error);
  }
}
