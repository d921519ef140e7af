import type { StoredRecord } from './store.js';

/**
 * True when two validated records have the same text, fields, metadata and vector (key order
 * ignored; vectors compared as float32, as they are stored). replaceSource skips such records.
 */
export function sameRecord(a: StoredRecord, b: StoredRecord): boolean {
  return a.id === b.id && a.text === b.text && sameEntries(a.fields, b.fields) && sameEntries(a.meta, b.meta) && sameVector(a.vector, b.vector);
}

function sameEntries(a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && Object.is(x[key], y[key]));
}

function sameVector(a: Float32Array | undefined, b: Float32Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
