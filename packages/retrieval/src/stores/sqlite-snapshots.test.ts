import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { joinParts } from '../snapshot-codec.js';
import { openSchema } from './sqlite-schema.js';
import { readSnapshot, writeSnapshots } from './sqlite-snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paged snapshots', () => {
  it('store any number of parts of any size in pages and read back exactly the concatenation (property)', () => {
    const db = new Database(join(dir, 'pages.db'));
    openSchema(db, 'pages.db');
    const tag = { generation: 7, records: 3, digest: 12345 };
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), fc.integer({ min: 1, max: 97 }), (parts, pageBytes) => {
        db.transaction(() => writeSnapshots(db, { bm25: parts, hnsw: parts.slice(1) }, tag, pageBytes))();
        const read = readSnapshot(db, 'bm25', tag);
        const total = parts.reduce((n, p) => n + p.byteLength, 0);
        expect(read).toEqual({ status: 'current', bytes: joinParts(parts) });
        const pages = (db.prepare("SELECT count(*) AS n, max(length(data)) AS biggest FROM snapshot_pages WHERE name = 'bm25'").get() as { n: number; biggest: number | null });
        expect(pages.n).toBe(Math.ceil(total / pageBytes));
        if (total > 0) expect(pages.biggest).toBeLessThanOrEqual(pageBytes);
        expect(readSnapshot(db, 'hnsw', tag)).toEqual({ status: 'current', bytes: joinParts(parts.slice(1)) });
        expect(readSnapshot(db, 'bm25', { ...tag, generation: 8 })).toEqual({ status: 'stale' });
        expect(readSnapshot(db, 'other', tag)).toEqual({ status: 'none' });
      }),
      { numRuns: 60 },
    );
    // A damaged page or a damaged row is noticed.
    db.transaction(() => writeSnapshots(db, { bm25: [new Uint8Array(1000).fill(3)] }, tag, 100))();
    db.prepare("UPDATE snapshot_pages SET data = zeroblob(100) WHERE name = 'bm25' AND page = 4").run();
    expect(readSnapshot(db, 'bm25', tag)).toEqual({ status: 'damaged' });
    db.transaction(() => writeSnapshots(db, { bm25: [new Uint8Array(1000).fill(3)] }, tag, 100))();
    db.prepare("UPDATE snapshots SET bytes = 900 WHERE name = 'bm25'").run();
    expect(readSnapshot(db, 'bm25', tag)).toEqual({ status: 'damaged' });
    db.transaction(() => writeSnapshots(db, { bm25: [new Uint8Array(1000).fill(3)] }, tag, 100))();
    db.prepare("DELETE FROM snapshot_pages WHERE name = 'bm25' AND page = 9").run();
    expect(readSnapshot(db, 'bm25', tag)).toEqual({ status: 'damaged' });
    db.close();
  });
});
