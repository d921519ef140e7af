import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isChunkwiseError, seededRandom } from '@chunkwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sotuPassages } from '../__fixtures__/sotu-passages.js';
import { SqliteStore } from './sqlite-store.js';
import { recoverSqliteStore, verifySqliteStore } from './verify-sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERIES = ['the public debt', 'war with Mexico', 'congress and the people', 'gold silver currency', 'the army and navy', 'Indian tribes', 'tariff revenue', 'peace treaty', 'banks', 'the union'];
const original = join(dir, 'original.db');
let reference: { hits: unknown[]; records: Map<string, unknown> };
let ids: string[];

/** Every answer of a store: each query's top-10 and a sample of records (or the error code). */
async function answers(store: SqliteStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const query of QUERIES) out.push(await store.searchText(query, { k: 10 }).catch(codeOf));
  out.push(await store.searchText('the public debt', { k: 10, filter: { even: true } }).catch(codeOf));
  return out;
}

function codeOf(error: unknown): string {
  if (isChunkwiseError(error)) return error.code;
  throw error;
}

type Damage = (bytes: Buffer, random: () => number) => Buffer;

const damages: [string, number, Damage][] = [
  ['a truncation', 10, (bytes, random) => bytes.subarray(0, Math.floor(random() * bytes.length))],
  [
    'a page overwritten',
    10,
    (bytes, random) => {
      const page = 4096;
      const at = Math.floor(random() * (bytes.length / page)) * page;
      const fill = random() < 0.5 ? 0 : Math.floor(random() * 256);
      const out = Buffer.from(bytes);
      for (let i = at; i < Math.min(at + page, out.length); i++) out[i] = fill === 0 ? 0 : Math.floor(random() * 256);
      return out;
    },
  ],
  [
    'scattered 4-byte patches',
    30,
    (bytes, random) => {
      const out = Buffer.from(bytes);
      const patches = 1 + Math.floor(random() * 4);
      for (let p = 0; p < patches; p++) {
        const at = Math.floor(random() * (out.length - 4));
        for (let i = 0; i < 4; i++) out[at + i] = Math.floor(random() * 256);
      }
      return out;
    },
  ],
];

describe('SqliteStore on damaged files', () => {
  beforeAll(async () => {
    const passages = sotuPassages().slice(4000, 4400);
    const store = SqliteStore.open(original);
    await store.upsert(passages.map((p, i) => ({ id: p.id, text: p.text, meta: { even: i % 2 === 0, source: p.address } })));
    await store.close();
    const reopened = SqliteStore.open(original);
    expect(reopened.indexSource).toBe('snapshot');
    ids = passages.map((p) => p.id);
    reference = { hits: await answers(reopened), records: new Map(await Promise.all(ids.map(async (id) => [id, await reopened.get(id)] as const))) };
    await reopened.close();
    expect(verifySqliteStore(original)).toMatchObject({ ok: true, records: 400, expectedRecords: 400, damaged: [], missing: 0, snapshot: 'current', problems: [] });
  });

  for (const [name, seeds, damage] of damages) {
    it(`answers exactly as the undamaged file or fails with CORRUPT_DATA, and never writes into it: ${name} (${seeds} seeds)`, async () => {
      const bytes = readFileSync(original);
      const outcomes = { opened: 0, refused: 0, answersRefused: 0 };
      for (let seed = 1; seed <= seeds; seed++) {
        const path = join(dir, `${name.replace(/\W+/g, '-')}-${seed}.db`);
        const damaged = damage(bytes, seededRandom(seed * 7919 + name.length));
        writeFileSync(path, damaged);
        let store: SqliteStore | undefined;
        try {
          store = SqliteStore.open(path);
        } catch (error) {
          expect([name, seed, codeOf(error)]).toEqual([name, seed, 'CORRUPT_DATA']);
          // Refused before anything was written.
          expect(readFileSync(path).equals(damaged)).toBe(true);
          expect(verifySqliteStore(path).ok).toBe(false);
          outcomes.refused++;
          continue;
        }
        outcomes.opened++;
        const got = await answers(store);
        got.forEach((answer, i) => {
          if (answer !== 'CORRUPT_DATA') expect([name, seed, QUERIES[i], answer]).toEqual([name, seed, QUERIES[i], reference.hits[i]]);
          else outcomes.answersRefused++;
        });
        const random = seededRandom(seed);
        for (let n = 0; n < 20; n++) {
          const id = ids[Math.floor(random() * ids.length)] as string;
          const record = await store.get(id).catch(codeOf);
          if (record !== 'CORRUPT_DATA') expect([name, seed, id, record]).toEqual([name, seed, id, reference.records.get(id)]);
        }
        await store.close();
      }
      // Random patches mostly hit text or index pages that SQLite cannot check: those files open and
      // must answer exactly (seen: 17 of 30 open, 13 refused); structural damage is refused.
      expect(outcomes.refused + outcomes.opened).toBe(seeds);
      if (name === 'scattered 4-byte patches') expect(outcomes.opened).toBeGreaterThan(0);
    });
  }

  it('refuses a file SQLite reports damaged where opening would not read the damage, and writes nothing into it', async () => {
    const path = join(dir, 'damaged-freelist.db');
    copyFileSync(original, path);
    const bytes = readFileSync(path);
    // The file header's count of free pages: reading records and the snapshot never looks at it,
    // but SQLite's own check reports the file damaged, and a write would extend the damage.
    bytes.writeUInt32BE(bytes.readUInt32BE(36) + 7, 36);
    writeFileSync(path, bytes);
    expect(() => SqliteStore.open(path)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    const report = verifySqliteStore(path);
    expect(report.ok).toBe(false);
    expect(report.sqlite.length).toBeGreaterThan(0);
  });

  it('verifySqliteStore names damaged records and recoverSqliteStore copies the intact ones', async () => {
    const path = join(dir, 'one-damaged-record.db');
    copyFileSync(original, path);
    // Change one byte of one record's text where SQLite keeps it, as a disk error would.
    const bytes = readFileSync(path);
    const needle = Buffer.from(String(reference.records.get(ids[17] as string) && (reference.records.get(ids[17] as string) as { text: string }).text.slice(0, 40)));
    const at = bytes.indexOf(needle);
    expect(at).toBeGreaterThan(0);
    bytes[at + 5] = (bytes[at + 5] as number) ^ 0x20;
    writeFileSync(path, bytes);
    const report = verifySqliteStore(path);
    expect(report).toMatchObject({ ok: false, sqlite: [], records: 399, expectedRecords: 400, damaged: [ids[17]], missing: 0, snapshot: 'current' });
    expect(report.recoverable).toHaveLength(399);
    // The saved index still answers searches exactly; reading the damaged record is CORRUPT_DATA.
    const store = SqliteStore.open(path);
    expect(await answers(store)).toEqual(reference.hits);
    await expect(store.get(ids[17] as string)).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
    await store.close();
    const recovered = join(dir, 'recovered.db');
    expect(await recoverSqliteStore(path, recovered)).toEqual({ copied: 399, lost: [ids[17]] });
    expect(verifySqliteStore(recovered)).toMatchObject({ ok: true, records: 399 });
    await expect(recoverSqliteStore(path, recovered)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => verifySqliteStore(join(dir, 'nope.db'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a));
    expect(verifySqliteStore(garbage)).toMatchObject({ ok: false });
  });
});
