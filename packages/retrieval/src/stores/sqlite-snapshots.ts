import type Database from 'better-sqlite3';
import { bytesChecksum, valuesChecksum } from './record-checksum.js';

/**
 * Snapshot pages are at most 4 MiB: one blob per snapshot hit better-sqlite3's bind limit
 * (about 2²⁹ bytes) at a million passages, so no snapshot was ever written there; and SQLite holds
 * a few copies of the page being written (closing the 74 MB digest's index peaked 20–25 MiB
 * higher with 16 MiB pages). Files with larger pages read as before.
 */
export const SNAPSHOT_PAGE = 4 * 1024 * 1024;

/** The state of the records a snapshot reflects. */
export interface SnapshotTag {
  generation: number;
  records: number;
  digest: number;
}

interface SnapshotRow extends SnapshotTag {
  name: string;
  bytes: number;
  pages: number;
  checksum: number;
}

const rowChecksum = (row: Omit<SnapshotRow, 'checksum'>) => valuesChecksum([row.name, row.generation, row.records, row.digest, row.bytes, row.pages]);

/**
 * Replaces every saved snapshot with these (each given as parts, as BM25Index.saveParts() returns
 * them), tagged with the state they reflect. Call inside the write transaction that checked the tag.
 */
export function writeSnapshots(db: Database.Database, snapshots: Readonly<Record<string, readonly Uint8Array[]>>, tag: SnapshotTag, pageBytes = SNAPSHOT_PAGE): void {
  db.exec('DELETE FROM snapshot_pages; DELETE FROM snapshots;');
  const insertPage = db.prepare('INSERT INTO snapshot_pages (name, page, data, checksum) VALUES (?, ?, ?, ?)');
  const insertRow = db.prepare('INSERT INTO snapshots (name, generation, records, digest, bytes, pages, checksum) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const [name, parts] of Object.entries(snapshots)) {
    let total = 0;
    for (const part of parts) total += part.byteLength;
    let pages = 0;
    let page = Buffer.allocUnsafe(Math.min(pageBytes, total));
    let filled = 0;
    const flush = () => {
      const data = page.subarray(0, filled);
      insertPage.run(name, pages++, data, bytesChecksum(data));
      const left = total - pages * pageBytes;
      if (left > 0 && left < page.length) page = Buffer.allocUnsafe(left);
      filled = 0;
    };
    for (const part of parts) {
      let at = 0;
      while (at < part.byteLength) {
        const take = Math.min(part.byteLength - at, page.length - filled);
        page.set(part.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === page.length) flush();
      }
    }
    if (filled > 0) flush();
    const row = { name, ...tag, bytes: total, pages };
    insertRow.run(name, tag.generation, tag.records, tag.digest, total, pages, rowChecksum(row));
  }
}

export type SnapshotStatus = 'current' | 'stale' | 'damaged' | 'none';

/**
 * The saved snapshot `name` as one array, when it reflects exactly `tag`; otherwise why not:
 * 'none', 'stale' (saved for other records) or 'damaged' (a page or the row fails its checksum).
 */
export function readSnapshot(db: Database.Database, name: string, tag: SnapshotTag): { status: 'current'; bytes: Uint8Array } | { status: Exclude<SnapshotStatus, 'current'> } {
  const row = db.prepare('SELECT name, generation, records, digest, bytes, pages, checksum FROM snapshots WHERE name = ?').get(name) as SnapshotRow | undefined;
  if (!row) return { status: 'none' };
  if (rowChecksum(row) !== row.checksum || !Number.isSafeInteger(row.bytes) || row.bytes < 0) return { status: 'damaged' };
  if (row.generation !== tag.generation || row.records !== tag.records || row.digest !== tag.digest) return { status: 'stale' };
  const bytes = new Uint8Array(row.bytes);
  let at = 0;
  let expected = 0;
  for (const page of db.prepare('SELECT page, data, checksum FROM snapshot_pages WHERE name = ? ORDER BY page').iterate(name) as Iterable<{ page: number; data: Buffer; checksum: number }>) {
    if (page.page !== expected++ || at + page.data.byteLength > bytes.byteLength || bytesChecksum(page.data) !== page.checksum) return { status: 'damaged' };
    bytes.set(page.data, at);
    at += page.data.byteLength;
  }
  if (expected !== row.pages || at !== row.bytes) return { status: 'damaged' };
  return { status: 'current', bytes };
}
