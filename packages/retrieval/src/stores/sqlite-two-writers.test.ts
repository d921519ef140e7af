import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { ScoredId } from '../bm25/top-k-heap.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-two-writers-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const ids = (hits: ScoredId[]) => hits.map((h) => h.id).sort();

/** The records writer `name` commits as batch n (as the child fixture writes them). */
function writerBatch(name: string, n: number) {
  return [
    ...Array.from({ length: 20 }, (_, i) => ({ id: `shared-${i}`, text: `${name}mark${n} shared record ${i} written by ${name} in batch ${n}`, meta: { writer: name } })),
    ...Array.from({ length: 30 }, (_, i) => ({ id: `${name}-${n}-${i}`, text: `${name}mark${n} own record ${i} of ${name} about the whale line ${i % 7}`, meta: { writer: name } })),
  ];
}

/** What the file holds, read with plain SQL, as a MemoryStore to compare answers with. */
async function reference(path: string): Promise<MemoryStore> {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT id, text, meta FROM records').all() as { id: string; text: string; meta: string | null }[];
  db.close();
  const memory = new MemoryStore();
  await memory.upsert(rows.map((r) => ({ id: r.id, text: r.text, ...(r.meta !== null && { meta: JSON.parse(r.meta) as Record<string, string> }) })));
  return memory;
}

const QUERIES = ['childmark29', 'parentmark29', 'childmark3 parentmark3', 'shared record written', 'whale line 3', 'own record 7 of child'];

async function expectSameAnswers(store: SqliteStore | MemoryStore, truth: MemoryStore): Promise<void> {
  for (const query of QUERIES) expect([query, await store.searchText(query, { k: 50 })]).toEqual([query, await truth.searchText(query, { k: 50 })]);
  expect(await store.count()).toBe(await truth.count());
}

describe('two writers on one SQLite store', () => {
  it('two handles in one process see each other’s writes before answering and never save a stale snapshot (both close orders)', async () => {
    for (const closeFirst of ['a', 'b'] as const) {
      const path = join(dir, `handles-${closeFirst}.db`);
      const a = SqliteStore.open(path);
      const b = SqliteStore.open(path);
      await a.upsert([
        { id: 'x', text: 'the white whale' },
        { id: 'y', text: 'a quiet sea' },
      ]);
      expect(ids(await b.searchText('whale'))).toEqual(['x']);
      expect(await b.count()).toBe(2);
      await b.upsert([{ id: 'x', text: 'the grey squid' }]);
      await a.delete(['y']);
      expect(await a.searchText('whale')).toEqual([]);
      expect(ids(await a.searchText('squid'))).toEqual(['x']);
      expect(await b.searchText('quiet')).toEqual([]);
      expect(await b.count()).toBe(1);
      // The handle that wrote first and saw the other's write only through the file must not save an index without it.
      await a.upsert([{ id: 'z', text: 'the try-works' }]);
      const [first, second] = closeFirst === 'a' ? [a, b] : [b, a];
      await first.close();
      await second.upsert([{ id: 'w', text: 'a white squall' }]);
      await second.close();
      const reopened = SqliteStore.open(path);
      expect(reopened.indexSource).toBe('snapshot');
      expect(ids(await reopened.searchText('squid'))).toEqual(['x']);
      expect(await reopened.searchText('whale')).toEqual([]);
      expect(ids(await reopened.searchText('white try works'))).toEqual(['w', 'z']);
      await expectSameAnswers(reopened, await reference(path));
      await reopened.close();
    }
  });

  it('never saves a snapshot that lacks another writer’s records (the last writer closes last)', async () => {
    const path = join(dir, 'stale-snapshot.db');
    const setup = SqliteStore.open(path);
    await setup.upsert([{ id: 'x', text: 'the white whale' }]);
    await setup.close();
    const a = SqliteStore.open(path);
    const b = SqliteStore.open(path);
    await a.upsert([{ id: 'x', text: 'the grey squid' }]);
    await b.upsert([{ id: 'y', text: 'a white squall' }]);
    await a.close();
    await b.close();
    const reopened = SqliteStore.open(path);
    expect(ids(await reopened.searchText('squid'))).toEqual(['x']);
    expect(ids(await reopened.searchText('white'))).toEqual(['y']);
    await reopened.close();
  });

  it('a handle whose change log was trimmed away re-indexes the records instead of missing changes', async () => {
    const path = join(dir, 'trimmed-log.db');
    const a = SqliteStore.open(path);
    const b = SqliteStore.open(path);
    await a.upsert([{ id: 'x', text: 'the white whale' }]);
    expect(ids(await b.searchText('whale'))).toEqual(['x']);
    await a.upsert([
      { id: 'x', text: 'the grey squid' },
      { id: 'y', text: 'a white squall' },
    ]);
    await a.delete(['y']);
    // As a checkpoint does for changes older than what lagging handles may need.
    const raw = new Database(path);
    raw.prepare('DELETE FROM changes').run();
    raw.close();
    expect(await b.searchText('whale')).toEqual([]);
    expect(ids(await b.searchText('squid'))).toEqual(['x']);
    expect(await b.count()).toBe(1);
    await a.close();
    await b.close();
  });

  for (const order of ['the child closes first', 'the parent closes first'] as const) {
    it(`two processes writing at once: each answer includes the other's committed writes, and the saved index equals the records (${order})`, async () => {
      const path = join(dir, `processes-${order.split(' ')[1] as string}.db`);
      const parent = SqliteStore.open(path);
      const writer = fileURLToPath(new URL('../__fixtures__/sqlite-concurrent-writer.ts', import.meta.url));
      const child = spawn(process.execPath, ['--conditions=@chunkwise/source', '--import', 'tsx', writer, path, 'child', '30'], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      const lines: string[] = [];
      let errors = '';
      child.stdout?.on('data', (data: Buffer) => lines.push(...data.toString().split('\n').filter(Boolean)));
      child.stderr?.on('data', (data: Buffer) => (errors += data.toString()));
      const waitFor = async (line: string) => {
        for (let tries = 0; !lines.includes(line); tries++) {
          if (child.exitCode !== null || tries > 2400) throw new Error(`child stopped before "${line}": ${lines.join(' | ')} ${errors}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      };
      const checked = new Set<number>();
      const checkChildCommits = async () => {
        for (const line of [...lines]) {
          const n = /^committed (\d+)$/.exec(line)?.[1];
          if (n === undefined || checked.has(Number(n))) continue;
          checked.add(Number(n));
          // Committed before it was printed: the parent's next answer must include it.
          const own = Array.from({ length: 30 }, (_, i) => `child-${n}-${i}`);
          const hits = await parent.searchText(`childmark${n}`, { k: 100 });
          expect(own.every((id) => hits.some((h) => h.id === id))).toBe(true);
          expect((await parent.get(own[0] as string))?.text).toContain(`childmark${n}`);
        }
      };
      for (let n = 0; n < 30; n++) {
        await parent.upsert(writerBatch('parent', n));
        expect(ids(await parent.searchText(`parentmark${n}`, { k: 100 })).filter((id) => id.startsWith('parent-'))).toHaveLength(30);
        await checkChildCommits();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await waitFor('done');
      await checkChildCommits();
      expect(checked.size).toBe(30);
      await expectSameAnswers(parent, await reference(path));
      const closeChild = async () => {
        child.stdin?.write('close\n');
        await waitFor('closed');
      };
      if (order === 'the child closes first') {
        await closeChild();
        await parent.close();
      } else {
        await parent.close();
        await closeChild();
      }
      const truth = await reference(path);
      const reopened = SqliteStore.open(path);
      expect(reopened.indexSource).toBe('snapshot');
      await expectSameAnswers(reopened, truth);
      await reopened.close();
      const reindexed = SqliteStore.open(path, { snapshots: false });
      await expectSameAnswers(reindexed, truth);
      await reindexed.close();
    }, 180_000);
  }
});
