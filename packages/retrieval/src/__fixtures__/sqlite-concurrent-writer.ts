// Child process for the two-writer tests: writes `batches` batches into the store at `path`, each a
// transaction of 20 records every writer shares (`shared-0` … `shared-19`, last writer wins) and 30
// of its own, all marked with the writer's name and the batch number, announcing each commit. Then
// it waits for "close" on stdin (so the parent decides who closes first), closes and says "closed".
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SqliteStore } from '../stores/sqlite-store.js';

const [path, name, batchesText] = process.argv.slice(2) as [string, string, string];
const store = SqliteStore.open(path);

for (let n = 0; n < Number(batchesText); n++) {
  await store.upsert(writerBatch(name, n));
  writeSync(1, `committed ${n}\n`);
}
writeSync(1, 'done\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'close') continue;
  await store.close();
  writeSync(1, 'closed\n');
  process.exit(0);
}

/** The records writer `name` commits as batch n (the test builds the same). */
function writerBatch(name: string, n: number) {
  return [
    ...Array.from({ length: 20 }, (_, i) => ({ id: `shared-${i}`, text: `${name}mark${n} shared record ${i} written by ${name} in batch ${n}`, meta: { writer: name } })),
    ...Array.from({ length: 30 }, (_, i) => ({ id: `${name}-${n}-${i}`, text: `${name}mark${n} own record ${i} of ${name} about the whale line ${i % 7}`, meta: { writer: name } })),
  ];
}
