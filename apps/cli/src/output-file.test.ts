import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { OUTPUT_NAMES, completeVersion } from './__fixtures__/write-outputs-forever.js';
import { writeOutputFile } from './output-file.js';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const writer = join(import.meta.dirname, '__fixtures__', 'write-outputs-forever.ts');
const KILL_POINTS = 8;

/**
 * Starts the writer, lets it finish a first round of complete files, kills it with SIGKILL after a
 * seeded delay, and returns what each file holds and the last version the writer reported done.
 */
async function killMidWrite(mode: 'atomic' | 'plain', delayMs: number) {
  const folder = await mkdtemp(join(tmpdir(), 'chunkwise-kill-'));
  const child = spawn(process.execPath, ['--conditions=@chunkwise/source', '--import', tsxLoader, writer, folder, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Map<string, number>();
  let buffer = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (piece: string) => {
      buffer += piece;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const [name, version] = buffer.slice(0, newline).split(' ');
        done.set(name!, Number(version));
        buffer = buffer.slice(newline + 1);
      }
      if (done.size === OUTPUT_NAMES.length) resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await exited;
  const files = await Promise.all(OUTPUT_NAMES.map(async (name) => ({ name, version: completeVersion(await readFile(join(folder, name), 'utf8')), reported: done.get(name)! })));
  return { folder, files };
}

describe('writeOutputFile', () => {
  it('leaves the old or the new complete file when the writer is killed inside a write', { timeout: 120_000 }, async () => {
    const random = seededRandom(14);
    for (let point = 0; point < KILL_POINTS; point++) {
      const { files } = await killMidWrite('atomic', Math.floor(random() * 400));
      for (const file of files) {
        // Complete, and either the last version reported or the one being written when killed.
        expect(file.version, `${file.name} at kill point ${point}`).toBeDefined();
        expect([file.reported, file.reported + 1]).toContain(file.version);
      }
    }
  });

  it('replaces a symlink named like the output, never writing its target', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'chunkwise-link-'));
    const target = join(folder, 'precious.txt');
    await writeFile(target, 'do not touch');
    await symlink(target, join(folder, 'summary.md'));
    await writeOutputFile(join(folder, 'summary.md'), '# Summary\n');
    expect(await readFile(target, 'utf8')).toBe('do not touch');
    expect((await lstat(join(folder, 'summary.md'))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(folder, 'summary.md'), 'utf8')).toBe('# Summary\n');
    // A dangling link is replaced too, and nothing is created where it pointed.
    await symlink(join(folder, 'elsewhere.txt'), join(folder, 'report.json'));
    await writeOutputFile(join(folder, 'report.json'), '{}\n');
    expect(await readdir(folder)).not.toContain('elsewhere.txt');
    await expect(readlink(join(folder, 'report.json'))).rejects.toThrow();
  });

  it('keeps the old file and leaves no temporary file when the write fails', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'chunkwise-fail-'));
    await writeOutputFile(join(folder, 'report.json'), 'old');
    await expect(writeOutputFile(join(folder, 'report.json'), { length: 1 } as unknown as string)).rejects.toThrow();
    expect(await readFile(join(folder, 'report.json'), 'utf8')).toBe('old');
    expect(await readdir(folder)).toEqual(['report.json']);
    await expect(writeOutputFile(folder, 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
