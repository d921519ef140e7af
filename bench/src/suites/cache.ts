import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { memoryStore, RadixPrefixCache } from '@chunkwise/cache';
import type { SqliteStore, sqliteStore as SqliteStoreFactory } from '@chunkwise/cache/sqlite';
import { LRUCache } from 'lru-cache';
import type { BenchCase, Suite } from '../harness.js';
import { chatTraceTable } from './cache/chat-trace.js';
import { cciDriftTable } from './cache/cci-drift.js';
import { ragTraceTable } from './cache/rag-trace.js';
import { seededRandom } from '@chunkwise/core';
import { randomTokens } from './cache/random-tokens.js';

const ENTRIES = 10_000;
const VALUE = new Uint8Array(1024).fill(7);
const keys = Array.from({ length: ENTRIES }, (_, i) => `emb:${i.toString(16).padStart(64, '0')}`);
const dir = mkdtempSync(join(tmpdir(), 'chunkwise-bench-cache-'));
const opened: { close(): void }[] = [];

// tsup bundles devDependencies, and better-sqlite3 is a native addon that cannot be bundled: load
// it, and the store that imports it, at run time through a specifier the bundler does not follow.
const load = (specifier: string): Promise<unknown> => import(specifier);
let sqliteStore: typeof SqliteStoreFactory;
let Database: typeof BetterSqlite3;
async function loadNative(): Promise<void> {
  sqliteStore = ((await load('@chunkwise/cache/sqlite')) as { sqliteStore: typeof SqliteStoreFactory }).sqliteStore;
  Database = ((await load('better-sqlite3')) as { default: typeof BetterSqlite3 }).default;
}

function memoryCase(): BenchCase {
  const GETS = 200_000;
  const ours = memoryStore({ maxBytes: 64 * 2 ** 20 });
  const lru = new LRUCache<string, Uint8Array>({ maxSize: 64 * 2 ** 20, sizeCalculation: (v) => v.length });
  const map = new Map<string, Uint8Array>();
  for (const key of keys) {
    ours.set(key, VALUE);
    lru.set(key, VALUE);
    map.set(key, VALUE);
  }
  const loop = (get: (key: string) => unknown) => () => {
    let found = 0;
    for (let i = 0; i < GETS; i++) if (get(keys[(i * 7919) % ENTRIES]!) !== undefined) found++;
    return found;
  };
  return {
    name: `memory store: get (hit), ${ENTRIES.toLocaleString('en-US')} entries × 1 KiB`,
    items: GETS,
    contenders: [
      { name: 'chunkwise memoryStore (LRU by bytes)', ours: true, run: loop((k) => ours.get(k)) },
      { name: 'lru-cache 11.5 (maxSize)', run: loop((k) => lru.get(k)) },
      { name: 'plain Map (no LRU, no bound)', run: loop((k) => map.get(k)) },
    ],
  };
}

function sqliteFixtures(): { ours: SqliteStore; eager: SqliteStore; raw: BetterSqlite3.Database } {
  const path = join(dir, 'get.db');
  const ours = sqliteStore({ path });
  ours.setMany(keys.map((key) => ({ key, value: VALUE })));
  const eager = sqliteStore({ path, readBatching: false });
  const raw = new Database(path, { readonly: true });
  // Same page cache and mmap settings as the store, so the difference is the store's own work.
  raw.pragma('cache_size = -32768');
  raw.pragma('mmap_size = 268435456');
  opened.push(ours, eager, raw);
  return { ours, eager, raw };
}

function sqliteGetCase(): BenchCase {
  const GETS = 20_000;
  const BATCH = 100;
  const { ours, eager, raw } = sqliteFixtures();
  const select = raw.prepare<[string], { value: Buffer; expires_at: number | null }>('SELECT value, expires_at FROM chunkwise_cache WHERE key = ?');
  const loop = (get: (key: string) => unknown) => () => {
    let found = 0;
    for (let i = 0; i < GETS; i++) if (get(keys[(i * 7919) % ENTRIES]!) !== undefined) found++;
    return found;
  };
  const batchKeys = Array.from({ length: GETS / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => keys[((b * BATCH + i) * 7919) % ENTRIES]!));
  const inOneTransaction = raw.transaction(loop((k) => select.get(k)));
  return {
    name: `SQLite store: get (hit), ${ENTRIES.toLocaleString('en-US')} entries × 1 KiB, WAL`,
    items: GETS,
    iterations: 5,
    contenders: [
      { name: 'chunkwise sqliteStore.get (a run of gets shares one read transaction)', ours: true, run: loop((k) => ours.get(k)) },
      {
        name: `chunkwise sqliteStore.getMany (${BATCH} keys per call)`,
        run: () => {
          let found = 0;
          for (const batch of batchKeys) for (const value of ours.getMany(batch)) if (value !== undefined) found++;
          return found;
        },
      },
      { name: 'chunkwise sqliteStore.get, readBatching: false (a transaction per get)', run: loop((k) => eager.get(k)) },
      { name: 'better-sqlite3 12 prepared SELECT, a transaction per get (driver default)', run: loop((k) => select.get(k)) },
      { name: 'better-sqlite3 12 prepared SELECT, all in one transaction (driver floor)', run: () => inOneTransaction() },
    ],
  };
}

function sqliteSetCase(): BenchCase {
  const BATCH = 5_000;
  const ours = sqliteStore({ path: join(dir, 'set.db') });
  const raw = new Database(join(dir, 'set-raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at INTEGER)');
  raw.pragma('cache_size = -32768');
  raw.pragma('mmap_size = 268435456');
  const insert = raw.prepare<[string, Uint8Array, null]>('INSERT OR REPLACE INTO kv (key, value, expires_at) VALUES (?, ?, ?)');
  const rawBatch = raw.transaction((entries: { key: string; value: Uint8Array }[]) => {
    for (const e of entries) insert.run(e.key, e.value, null);
  });
  opened.push(ours, raw);
  let round = 0;
  const batch = () => Array.from({ length: BATCH }, (_, i) => ({ key: `set:${round}:${i}`, value: VALUE }));
  return {
    name: `SQLite store: batched set, ${BATCH.toLocaleString('en-US')} × 1 KiB per transaction`,
    items: BATCH,
    iterations: 5,
    contenders: [
      {
        name: 'chunkwise sqliteStore.setMany',
        ours: true,
        run: () => {
          round++;
          ours.setMany(batch());
        },
      },
      {
        name: 'better-sqlite3 12 transaction of INSERTs (driver floor)',
        run: () => {
          round++;
          rawBatch(batch());
        },
      },
    ],
  };
}

// Radix match: 64 cached 16k-token sequences that share a 4,096-token system prompt, as prompts of
// one application do; the query is a prefix of one of them.
const radixRandom = seededRandom(3);
const sharedPrompt = randomTokens(radixRandom, 4096);
const radixSequences = Array.from({ length: 64 }, () => [...sharedPrompt, ...randomTokens(radixRandom, 12_288)]);
const radix = new RadixPrefixCache({ capacityTokens: Number.MAX_SAFE_INTEGER, pageSize: 16 });
let radixBlock = 0;
for (const sequence of radixSequences) radix.insert(sequence, Array.from({ length: sequence.length / 16 }, () => radixBlock++));

/** Brute force: the longest page-aligned common prefix over every cached sequence. */
function bruteForceMatch(query: number[]): number {
  let best = 0;
  for (const sequence of radixSequences) {
    let n = 0;
    while (n < query.length && n < sequence.length && sequence[n] === query[n]) n++;
    best = Math.max(best, n - (n % 16));
  }
  return best;
}

function radixCase(length: number): BenchCase {
  const query = radixSequences[17]!.slice(0, length);
  const REPEAT = Math.max(1, Math.floor(65_536 / length));
  return {
    name: `radix match: query of ${length.toLocaleString('en-US')} tokens (×${REPEAT} per run)`,
    items: REPEAT * length,
    contenders: [
      {
        name: 'chunkwise RadixPrefixCache.match',
        ours: true,
        run: () => {
          let total = 0;
          for (let i = 0; i < REPEAT; i++) total += radix.match(query).length;
          return total;
        },
      },
      {
        name: 'brute force over the 64 cached sequences',
        run: () => {
          let total = 0;
          for (let i = 0; i < REPEAT; i++) total += bruteForceMatch(query);
          return total;
        },
      },
    ],
  };
}

function radixLinearityTable(): string {
  const lines = ['### Radix match cost vs query length', '', '| query tokens | µs per match | ns per token |', '|---:|---:|---:|'];
  for (const length of [256, 1024, 4096, 16_384]) {
    const query = radixSequences[17]!.slice(0, length);
    const repeat = Math.max(4, Math.floor(262_144 / length));
    const samples: number[] = [];
    for (let s = 0; s < 7; s++) {
      const start = performance.now();
      for (let i = 0; i < repeat; i++) radix.match(query);
      samples.push((performance.now() - start) / repeat);
    }
    const ms = samples.sort((a, b) => a - b)[3]!;
    lines.push(`| ${length.toLocaleString('en-US')} | ${(ms * 1000).toFixed(1)} | ${((ms * 1e6) / length).toFixed(1)} |`);
  }
  lines.push('', 'Constant ns per token across lengths = cost linear in the query length (a walk down one path, comparing each page once).');
  return lines.join('\n');
}

const suite: Suite = {
  name: 'cache',
  description:
    'Content-cache stores (memory LRU next to lru-cache and a Map; SQLite next to the bare better-sqlite3 driver) and KV-cache structures (radix prefix match next to a brute-force scan), plus trace simulations for prefix sharing and chunk reuse.',
  async cases(): Promise<BenchCase[]> {
    await loadNative();
    return [memoryCase(), sqliteGetCase(), sqliteSetCase(), ...[1024, 16_384].map(radixCase)];
  },
  async notes(): Promise<string> {
    for (const handle of opened) handle.close();
    const load = loadavg()[0]!.toFixed(1);
    const context = `Machine load while this ran: ${load} (1-minute load average on ${cpus().length} cores, shared with other work), so absolute rates are lower than on an idle machine; the ratios to the bare driver and to the peers hold.`;
    const sections = [context, radixLinearityTable(), chatTraceTable(), await ragTraceTable(() => sqliteStore({ path: join(dir, 'spill.db') })), cciDriftTable()];
    rmSync(dir, { recursive: true, force: true });
    return sections.join('\n\n');
  },
};

export default suite;
