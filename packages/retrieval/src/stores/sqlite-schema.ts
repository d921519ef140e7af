import { ChunkwiseError } from '@chunkwise/core';
import type Database from 'better-sqlite3';
import { recordChecksum } from './record-checksum.js';

/** PRAGMA application_id marks the file as ours ("CWKR"); user_version is the schema version. */
export const APPLICATION_ID = 0x43574b52;
export const SCHEMA_VERSION = 3;

/**
 * Schema 3. Every record row carries the checksum of its columns. One state row holds the write
 * generation, the record count, the sum of all record checksums (mod 2³²) and the number of
 * records with a vector, kept by triggers in
 * the same transaction as every change (also changes made outside Chunkwise), so a full read can
 * tell a missing or extra row from a damaged one. Each change is logged with its generation in
 * `changes`, so another handle on the file catches up on exactly the records that changed.
 * Snapshots of the in-memory indexes are stored in pages of at most SNAPSHOT_PAGE bytes, each with
 * its checksum, under a row that says which generation, count and digest they reflect.
 */
const SCHEMA_3 = `
  CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL, fields TEXT, meta TEXT, vector BLOB, checksum INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE store_state (one INTEGER PRIMARY KEY CHECK (one = 1), generation INTEGER NOT NULL, records INTEGER NOT NULL, digest INTEGER NOT NULL, vectors INTEGER NOT NULL);
  INSERT INTO store_state (one, generation, records, digest, vectors) VALUES (1, 0, 0, 0, 0);
  CREATE TABLE changes (generation INTEGER PRIMARY KEY, id TEXT NOT NULL);
  CREATE TRIGGER records_insert AFTER INSERT ON records BEGIN
    UPDATE store_state SET generation = generation + 1, records = records + 1, digest = (digest + NEW.checksum) % 4294967296, vectors = vectors + (NEW.vector IS NOT NULL);
    INSERT INTO changes (generation, id) SELECT generation, NEW.id FROM store_state;
  END;
  CREATE TRIGGER records_update AFTER UPDATE ON records BEGIN
    UPDATE store_state SET generation = generation + 1, digest = (digest - OLD.checksum + NEW.checksum + 4294967296) % 4294967296, vectors = vectors + (NEW.vector IS NOT NULL) - (OLD.vector IS NOT NULL);
    INSERT INTO changes (generation, id) SELECT generation, NEW.id FROM store_state;
    UPDATE store_state SET generation = generation + 1 WHERE OLD.id IS NOT NEW.id;
    INSERT INTO changes (generation, id) SELECT generation, OLD.id FROM store_state WHERE OLD.id IS NOT NEW.id;
  END;
  CREATE TRIGGER records_delete AFTER DELETE ON records BEGIN
    UPDATE store_state SET generation = generation + 1, records = records - 1, digest = (digest - OLD.checksum + 4294967296) % 4294967296, vectors = vectors - (OLD.vector IS NOT NULL);
    INSERT INTO changes (generation, id) SELECT generation, OLD.id FROM store_state;
  END;
  CREATE TABLE snapshots (name TEXT PRIMARY KEY NOT NULL, generation INTEGER NOT NULL, records INTEGER NOT NULL, digest INTEGER NOT NULL, bytes INTEGER NOT NULL, pages INTEGER NOT NULL, checksum INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE snapshot_pages (name TEXT NOT NULL, page INTEGER NOT NULL, data BLOB NOT NULL, checksum INTEGER NOT NULL, PRIMARY KEY (name, page));
`;

/**
 * Opens the schema on a connection: creates it in an empty file, refuses a foreign, damaged or
 * newer file with CORRUPT_DATA before writing anything, upgrades schema 1 and 2 files (records are
 * copied with their checksums, in one transaction). Returns false when the file was just created.
 */
export function openSchema(db: Database.Database, path: string): boolean {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  if (applicationId === 0 && tables === 0) {
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      // Another process may have created it meanwhile: the immediate transaction decides.
      if ((db.pragma('application_id', { simple: true }) as number) !== 0) return;
      db.exec(`${SCHEMA_3} PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION};`);
    }).immediate();
    return false;
  }
  if (applicationId !== APPLICATION_ID) {
    throw new ChunkwiseError('CORRUPT_DATA', `${path} is a SQLite database, but not a Chunkwise store (application_id ${applicationId}); refusing to touch it.`);
  }
  // Never write into a file SQLite itself reports damaged: check before the first write.
  // Memory-mapped reads make the check several times cheaper on a large file.
  db.pragma(`mmap_size = ${2 ** 32}`);
  try {
    checkStructure(db, path);
  } finally {
    db.pragma('mmap_size = 0');
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 1 || version === 2) upgrade(db, version);
  else if (version !== SCHEMA_VERSION) throw new ChunkwiseError('CORRUPT_DATA', `${path} has store schema version ${version}; this version of Chunkwise reads ${SCHEMA_VERSION}.`);
  db.pragma('journal_mode = WAL');
  return true;
}

/** PRAGMA quick_check: every page and b-tree of the file; anything but "ok" → CORRUPT_DATA. */
export function checkStructure(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (problems.length > 0) {
    throw new ChunkwiseError('CORRUPT_DATA', `${path} is damaged (SQLite reports: ${problems.slice(0, 3).join('; ')}); nothing was written. \`verifySqliteStore\` says what can be recovered.`, { details: { problems } });
  }
}

/** Schema 1 (records only) and 2 (records, generation, one blob per snapshot) to 3. */
function upgrade(db: Database.Database, version: number): void {
  db.function('chunkwise_record_checksum', { deterministic: true }, (id, text, fields, meta, vector) =>
    recordChecksum(String(id), String(text), fields === null ? null : String(fields), meta === null ? null : String(meta), vector === null ? null : (vector as Buffer)),
  );
  db.transaction(() => {
    const old = version === 2 ? 'DROP TRIGGER records_generation_insert; DROP TRIGGER records_generation_update; DROP TRIGGER records_generation_delete; DROP TABLE store_state; DROP TABLE index_snapshots;' : '';
    db.exec(`${old} ALTER TABLE records RENAME TO records_old; ${SCHEMA_3}`);
    // Inserting through the triggers counts, sums and logs every record as a fresh store would.
    db.exec('INSERT INTO records (id, text, fields, meta, vector, checksum) SELECT id, text, fields, meta, vector, chunkwise_record_checksum(id, text, fields, meta, vector) FROM records_old ORDER BY id');
    db.exec(`DROP TABLE records_old; DELETE FROM changes; PRAGMA user_version = ${SCHEMA_VERSION};`);
  }).immediate();
}
