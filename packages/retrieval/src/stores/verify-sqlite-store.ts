import { existsSync } from 'node:fs';
import { ChunkwiseError, isChunkwiseError } from '@chunkwise/core';
import type Database from 'better-sqlite3';
import { SqliteDatabase } from './better-sqlite3-peer.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './sqlite-schema.js';
import { readSnapshot, type SnapshotStatus, type SnapshotTag } from './sqlite-snapshots.js';
import { decodeRow, ROW_COLUMNS, type Row } from './sqlite-rows.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

/** What verifySqliteStore found in a store file. */
export interface SqliteStoreVerification {
  /** True when SQLite finds no damage, every record matches its checksum and the counts agree. */
  ok: boolean;
  path: string;
  /** What SQLite itself reports (PRAGMA integrity_check); empty when it finds nothing. */
  sqlite: string[];
  /** Records that read back intact. */
  records: number;
  /** How many records the file says it holds (undefined when that cannot be read). */
  expectedRecords: number | undefined;
  /** Ids of records that fail their checksum or cannot be decoded. */
  damaged: string[];
  /** Ids of the intact records: what recoverSqliteStore copies into a new file. */
  recoverable: string[];
  /** Records the file counts but SQLite no longer finds (expected − intact − damaged, when positive). */
  missing: number;
  /**
   * The saved index: 'current' (an open loads it), 'stale' (an open re-indexes the records),
   * 'damaged' (a page fails its checksum; an open re-indexes) or 'none'.
   */
  snapshot: SnapshotStatus;
  /** One sentence per problem, for a person to read. */
  problems: string[];
}

/**
 * Checks a SqliteStore file without writing to it: SQLite's own integrity check, every record
 * against its checksum, the record count and checksum sum the file keeps, and the saved index
 * pages. Says what can be recovered: the intact records (recoverSqliteStore copies them into a new
 * file; the index is rebuilt from them). Never throws for a damaged file; a path that does not
 * exist is NOT_FOUND.
 */
export function verifySqliteStore(path: string): SqliteStoreVerification {
  if (typeof path !== 'string' || path === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'verifySqliteStore needs a file path.');
  if (!existsSync(path)) throw new ChunkwiseError('NOT_FOUND', `No file at ${path}.`);
  const report: SqliteStoreVerification = { ok: false, path, sqlite: [], records: 0, expectedRecords: undefined, damaged: [], recoverable: [], missing: 0, snapshot: 'none', problems: [] };
  let db: Database.Database | undefined;
  try {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== APPLICATION_ID) {
      report.problems.push(`It is not a Chunkwise store (application_id ${applicationId}).`);
      return report;
    }
    try {
      report.sqlite = (db.pragma('integrity_check(100)') as { integrity_check: string }[]).map((row) => row.integrity_check).filter((line) => line !== 'ok');
    } catch (error) {
      report.sqlite = [(error as Error).message];
    }
    if (report.sqlite.length > 0) report.problems.push(`SQLite reports damage: ${report.sqlite.slice(0, 3).join('; ')}.`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      report.problems.push(`It has store schema ${version}: its records carry no checksums yet (opening it with SqliteStore upgrades it).`);
      return report;
    }
    let state: SnapshotTag | undefined;
    try {
      state = db.prepare('SELECT generation, records, digest FROM store_state').get() as SnapshotTag | undefined;
    } catch (error) {
      report.problems.push(`Its record count cannot be read: ${(error as Error).message}.`);
    }
    report.expectedRecords = state?.records;
    let digest = 0;
    let after = '';
    const page = db.prepare(`SELECT ${ROW_COLUMNS} FROM records WHERE id > ? ORDER BY id LIMIT 500`);
    for (;;) {
      let rows: Row[];
      try {
        rows = page.all(after) as Row[];
      } catch (error) {
        report.problems.push(`Records after ${after === '' ? 'the start' : JSON.stringify(after)} cannot be read: ${(error as Error).message}.`);
        break;
      }
      for (const row of rows) {
        try {
          decodeRow(row, path);
          report.recoverable.push(row.id);
          digest = (digest + row.checksum) % 4294967296;
        } catch {
          report.damaged.push(String(row.id));
        }
      }
      if (rows.length < 500) break;
      after = String((rows.at(-1) as Row).id);
    }
    report.records = report.recoverable.length;
    if (report.damaged.length > 0) report.problems.push(`${report.damaged.length} record(s) fail their checksum: ${report.damaged.slice(0, 5).join(', ')}${report.damaged.length > 5 ? ', …' : ''}.`);
    if (state) {
      report.missing = Math.max(0, state.records - report.records - report.damaged.length);
      if (report.missing > 0) report.problems.push(`${report.missing} record(s) the file counts are no longer found.`);
      else if (report.damaged.length === 0 && (state.records !== report.records || state.digest !== digest)) report.problems.push('The records differ from what the file counts (rows added or changed outside Chunkwise).');
      try {
        report.snapshot = readSnapshot(db, 'bm25', state).status;
      } catch {
        report.snapshot = 'damaged';
      }
    }
    report.ok = report.problems.length === 0;
    return report;
  } catch (error) {
    report.problems.push(`SQLite cannot read it: ${(error as Error).message}.`);
    return report;
  } finally {
    db?.close();
  }
}

/**
 * Copies the intact records of a (damaged) store file into a new store at `to` (which must not
 * exist yet) and indexes them; returns how many were copied and the ids that were lost.
 */
export async function recoverSqliteStore(from: string, to: string, options: SqliteStoreOptions = {}): Promise<{ copied: number; lost: string[] }> {
  if (typeof to !== 'string' || to === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'recoverSqliteStore needs a path for the new store.');
  if (existsSync(to)) throw new ChunkwiseError('INVALID_ARGUMENT', `${to} exists already: recover into a new file.`);
  const report = verifySqliteStore(from);
  if (report.expectedRecords === undefined && report.records === 0 && report.problems.length > 0) {
    throw new ChunkwiseError('CORRUPT_DATA', `Nothing can be recovered from ${from}: ${report.problems.join(' ')}`, { details: { problems: report.problems } });
  }
  const db = new SqliteDatabase(from, { readonly: true, fileMustExist: true });
  const target = SqliteStore.open(to, options);
  try {
    const read = db.prepare(`SELECT ${ROW_COLUMNS} FROM records WHERE id = ?`);
    for (let i = 0; i < report.recoverable.length; i += 500) {
      const batch = report.recoverable.slice(i, i + 500).map((id) => decodeRow(read.get(id) as Row, from, id));
      await target.upsert(batch);
    }
  } catch (error) {
    if (!isChunkwiseError(error)) throw new ChunkwiseError('STORE', `Recovery from ${from} failed: ${(error as Error).message}`, { cause: error });
    throw error;
  } finally {
    db.close();
    await target.close();
  }
  return { copied: report.recoverable.length, lost: [...report.damaged, ...(report.missing > 0 ? [`${report.missing} record(s) without an id`] : [])] };
}
