// Child process for the crash tests. Mode "records": commits batches of 100 records, announcing
// each commit, and stalls in the middle of batch `stallAt` (inside the open transaction) so the
// parent can SIGKILL it there. Mode "snapshot": commits batch 0, checkpoints the indexes, commits
// batch 1, then stalls inside the transaction that writes the next index snapshot (on close).
import { writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { SqliteStore } from '../stores/sqlite-store.js';

const [path, stallAtText, mode = 'records'] = process.argv.slice(2) as [string, string, string?];
const stallAt = Number(stallAtText);
const store = SqliteStore.open(path, { hnsw: { M: 8, efConstruction: 32 } });
const stall = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);

function* batch(n: number) {
  for (let i = 0; i < 100; i++) {
    if (i === 50) {
      writeSync(1, `mid ${n}\n`);
      if (mode === 'records' && n === stallAt) stall();
    }
    yield { id: `b${n}-r${i}`, text: `batch ${n} record ${i} of the whaling voyage`, meta: { batch: n }, vector: [n + 1, i + 1, 1] };
  }
}

if (mode === 'records') {
  for (let n = 0; n <= stallAt; n++) {
    await store.upsert(batch(n));
    writeSync(1, `committed ${n}\n`);
  }
} else {
  await store.upsert(batch(0));
  await store.checkpoint();
  writeSync(1, 'checkpointed 0\n');
  await store.upsert(batch(1));
  writeSync(1, 'committed 1\n');
  // Test hook: a temporary trigger on the store's own connection stalls the snapshot transaction
  // after its first row is written, so the parent can kill the process half-way through it.
  const db = (store as unknown as { db: Database.Database }).db;
  db.function('stall', () => {
    writeSync(1, 'mid snapshot\n');
    stall();
    return 0;
  });
  db.exec('CREATE TEMP TRIGGER stall_snapshot AFTER INSERT ON main.snapshot_pages BEGIN SELECT stall(); END;');
  await store.close();
  writeSync(1, 'closed\n');
}
