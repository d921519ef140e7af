import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[]) => runChunkwise(args, { cwd: dir, input: 'Call me Ishmael.\n' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-usage-'));
  await writeFile(join(dir, 'a.txt'), 'Call me Ishmael.\n');
  expect((await chunkwise(['--quiet', 'index', 'a.txt', '--db', 'a.db'])).code).toBe(0);
});

describe('one --tokenizer flag', () => {
  const unknown = 'unknown tokenizer "foo"; --tokenizer takes one of';
  it.each([
    ['chunk', '-', '-t', 'foo'],
    ['chunk', '-', '--tokenizer', 'foo'],
    ['count', '-', '--tokenizer', 'foo'],
    ['count', '-', '-e', 'foo'],
    ['tokenize', '-', '-t', 'foo'],
    ['tokenize', '-', '--encoding', 'foo'],
    ['index', 'a.txt', '--db', 'b.db', '-t', 'foo'],
    ['search', 'whale', '--db', 'a.db', '--budget', '100', '-t', 'foo'],
    ['digest', '-', '--tokenizer', 'foo'],
  ])('`chunkwise %s …` rejects an unknown name with exit 2 and the same message', async (...args: string[]) => {
    const result = await chunkwise(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(unknown);
  });

  it('takes the same names everywhere, characters included', async () => {
    for (const args of [['count', '-', '-t', 'characters'], ['chunk', '-', '-t', 'cl100k_base', '--max-tokens', '4'], ['tokenize', '-', '-t', 'r50k_base']]) {
      expect((await chunkwise(['--quiet', ...args])).code).toBe(0);
    }
    expect((await chunkwise(['--json', 'count', '-', '-t', 'characters'])).stdout).toContain('"tokens": 17');
    // The old flag still works, hidden from help.
    expect(JSON.parse((await chunkwise(['--json', 'count', '-', '-e', 'cl100k_base'])).stdout)).toMatchObject({ tokenizer: 'cl100k_base' });
    expect((await chunkwise(['count', '--help'])).stdout).not.toContain('--encoding');
  });
});

describe('one integer-flag parser', () => {
  it.each([
    ['--max-tokens', 'chunk', '-', '--max-tokens', '8k'],
    ['--overlap', 'chunk', '-', '--overlap', '-1'],
    ['--max-tokens', 'index', 'a.txt', '--db', 'b.db', '--max-tokens', '1e3'],
    ['--k', 'search', 'whale', '--db', 'a.db', '--k', '2.0'],
    ['--budget', 'search', 'whale', '--db', 'a.db', '--budget', '0x10'],
    ['--words', 'summarize', '-', '--words', 'many'],
    ['--chunk-tokens', 'summarize', '-', '--chunk-tokens', '0'],
    ['--context-window', 'summarize', '-', '--llm', 'http://127.0.0.1:9/v1', '--model', 'm', '--context-window', '8k'],
    ['--max-tokens', 'digest', '-', '--max-tokens', '0'],
    ['--heads', 'bench', 'attention', '--heads', '1.5'],
    ['--lengths', 'bench', 'attention', '--lengths', '512,,1024'],
  ])('%s of `chunkwise %s …`: a bad number exits 2 with one wording', async (flag, ...args: string[]) => {
    const result = await chunkwise(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${flag} must be a whole number (≥ \\d+|from \\d+ to \\d+), got "`));
  });
});
