// Child process for the crash test: writes entries forever and prints each key once its write
// returned. The parent SIGKILLs it mid-stream and checks that every printed key survived.
// 'read-write' interleaves gets with the writes and then lingers with a read transaction open, so a
// write that joined the shared read transaction instead of committing would be lost by the kill.
import { sqliteStore } from '../stores/sqlite-store.js';

const [path, mode] = process.argv.slice(2) as [string, string];
const store = sqliteStore({ path });

function valueFor(i: number): Uint8Array {
  const value = new Uint8Array(4096 + (i % 7) * 1024);
  for (let j = 0; j < value.length; j++) value[j] = (i * 31 + j) & 255;
  return value;
}

let i = 0;
for (;;) {
  if (mode === 'batch') {
    const entries = Array.from({ length: 16 }, (_, k) => ({ key: `k${i + k}`, value: valueFor(i + k) }));
    store.setMany(entries);
    process.stdout.write(entries.map((e) => `${e.key}\n`).join(''));
    i += 16;
  } else if (mode === 'read-write') {
    if (i > 0) store.get(`k${i - 1}`);
    store.set(`k${i}`, valueFor(i));
    process.stdout.write(`k${i}\n`);
    store.get(`k${i}`);
    const until = performance.now() + 2;
    while (performance.now() < until);
    i++;
  } else {
    store.set(`k${i}`, valueFor(i));
    process.stdout.write(`k${i}\n`);
    i++;
  }
  // Yield so stdout flushes: the parent only counts keys it has seen.
  await new Promise((resolve) => setImmediate(resolve));
}
