// Child process for the Postgres concurrency tests: opens the store `table` at `url` on its own
// connection and commits `batches` batches, each an upsert of 20 records every writer shares
// (`shared-0` … `shared-19`, last writer wins) and 30 of its own, then a delete of a tenth of its
// own, announcing each commit. With `stallAt` = n it stops inside batch n's transaction, after the
// records are inserted but before COMMIT, says "mid n" and waits there to be killed.
import { writeSync } from 'node:fs';
import pg from 'pg';
import { PostgresStore, type PgQueryable } from '../stores/postgres-store.js';
import { writerBatch } from './postgres-writer-batch.js';

const [url, table, name, batchesText, stallAtText = '-1'] = process.argv.slice(2) as [string, string, string, string, string?];
const stallAt = Number(stallAtText);
const client = new pg.Client({ connectionString: url });
await client.connect();

let batch = -1;
let stalled = false;
const connection: PgQueryable = {
  async query(text, params) {
    const result = await client.query(text, params);
    if (stallAt >= 0 && batch === stallAt && !stalled && /^\s*INSERT INTO/.test(text)) {
      stalled = true;
      writeSync(1, `mid ${batch}\n`);
      // Blocks the whole process with the transaction open, as a machine that dies mid-batch would.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
    }
    return result;
  },
};

const store = await PostgresStore.open(connection, { table });
for (let n = 0; n < Number(batchesText); n++) {
  batch = n;
  const records = writerBatch(name, n);
  await store.upsert(records);
  await store.delete(records.filter((r, i) => i >= 20 && i % 10 === 0).map((r) => r.id));
  writeSync(1, `committed ${n}\n`);
}
writeSync(1, 'done\n');
await client.end();
