import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[]) => runChunkwise(['--quiet', ...args], { cwd: dir, env: { CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '' } });

// What a hostile document can carry: colour (CSI), a window-title change (OSC … BEL), a C1 CSI,
// a carriage return that overwrites the line, and a screen clear.
const POISON = ['\u001b[31mRED ALERT\u001b[0m', '\u001b]0;owned\u0007', '\u009b2J', 'fine\rOVERWRITTEN', '\u001bc'];
const TEXT =
  `# Harpoons ${POISON[0]}\n\n` +
  Array.from({ length: 12 }, (_, i) => `The harpooneer sharpened harpoon number ${i} by the try-works ${POISON[i % POISON.length]!} and sang of whales.`).join(' ') +
  '\n';
// eslint-disable-next-line no-control-regex -- the characters a terminal acts on
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-controls-'));
  await writeFile(join(dir, 'poison.md'), TEXT);
  await writeFile(join(dir, 'name\u001b[2J.txt'), 'A short file with a hostile name.\n');
  expect((await chunkwise(['index', 'poison.md', '--db', 'poison.db'])).code).toBe(0);
});

describe('document text in terminal output', () => {
  it.each([
    ['search', 'harpoon', '--db', 'poison.db'],
    ['search', 'harpoon whales', '--db', 'poison.db', '--budget', '400'],
    ['tokenize', 'poison.md', '--offsets'],
    ['chunk', 'poison.md', '--max-tokens', '40', '--jsonl'],
    ['summarize', 'poison.md', '--words', '40'],
    ['digest', 'poison.md', '--out', 'digest-out'],
    ['count', 'name\u001b[2J.txt'],
  ])('`chunkwise %s` prints no raw control character', async (...args: string[]) => {
    const result = await chunkwise(args);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('shows the controls as visible escapes', async () => {
    const result = await chunkwise(['search', 'harpoon', '--db', 'poison.db', '--budget', '2000']);
    expect(result.stdout).toContain('\\x1b[31mRED ALERT\\x1b[0m');
    expect(result.stdout).toContain('fine\\x0dOVERWRITTEN');
  });

  it('keeps --json exact: every passage equals the file’s characters, controls included', async () => {
    const result = await chunkwise(['--json', 'search', 'harpoon', '--db', 'poison.db', '--k', '10']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const { hits } = JSON.parse(result.stdout) as { hits: { start: number; end: number; text: string }[] };
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.text).toBe(TEXT.slice(hit.start, hit.end));
    expect(hits.map((hit) => hit.text).join('')).toContain('\u009b2J');
  });
});
