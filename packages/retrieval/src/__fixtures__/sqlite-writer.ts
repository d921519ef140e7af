// Child process for the crash test: commits batches of 100 records, announcing each commit, and
// stalls in the middle of batch `stallAt` (inside the open transaction) so the parent can SIGKILL it there.
import { writeSync } from 'node:fs';
import { SqliteStore } from '../stores/sqlite-store.js';

const [path, stallAtText] = process.argv.slice(2) as [string, string];
const stallAt = Number(stallAtText);
const store = SqliteStore.open(path);

function* batch(n: number) {
  for (let i = 0; i < 100; i++) {
    if (i === 50) {
      writeSync(1, `mid ${n}\n`);
      if (n === stallAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);
    }
    yield { id: `b${n}-r${i}`, text: `batch ${n} record ${i} of the whaling voyage`, meta: { batch: n }, vector: [n + 1, i + 1, 1] };
  }
}

for (let n = 0; n <= stallAt; n++) {
  await store.upsert(batch(n));
  writeSync(1, `committed ${n}\n`);
}
