import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;

const chunkwise = (args: string[], input?: string) => runChunkwise(args, input === undefined ? { cwd: dir } : { cwd: dir, input });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-cli-'));
});

describe('chunkwise', () => {
  it('prints help and version with exit 0', async () => {
    const help = await chunkwise(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('digest');
    const version = await chunkwise(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on a usage error and 1 on a runtime error', async () => {
    const usage = await chunkwise(['no-such-command']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown command 'no-such-command'");
    const missing = await chunkwise(['digest', 'missing-file.txt']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND] Cannot read missing-file.txt: no such file.');
  });

  it('digests Moby Dick by default and reports it as one JSON object', async () => {
    const result = await chunkwise(['--json', 'digest']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.document).toMatchObject({ sections: 139, characters: 1_213_144 });
    expect(report.document.words).toBeGreaterThan(200_000);
    expect(report.stages.map((stage: { name: string }) => stage.name)[0]).toBe('load');
  });

  it('reads stdin with -, splits sections at Markdown headings, and rejects invalid UTF-8', async () => {
    const text = '# Title\n\nIntro words here.\n\n## One\n\nAlpha beta.\n\n## Two\n\nGamma délta.\n';
    const result = await chunkwise(['--json', 'digest', '-'], text);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.document).toMatchObject({ name: 'stdin', title: 'Title', sections: 3, characters: text.length, words: 10 });

    const binary = join(dir, 'latin1.txt');
    await writeFile(binary, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const bad = await chunkwise(['digest', binary]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[INVALID_ARGUMENT]');
  });
});
