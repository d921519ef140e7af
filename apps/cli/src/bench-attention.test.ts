import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;

const chunkwise = (args: string[]) => runChunkwise(args, { cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-bench-'));
});

// Tiny sizes: this checks wiring and output, not speed.
const small = ['--lengths', '64', '--heads', '2', '--head-dim', '8', '--sparse-keys', '512', '--sparse-queries', '64', '--repeats', '1'];

describe('chunkwise bench attention', () => {
  it('prints the table with every mask and writes an SVG chart', async () => {
    const result = await chunkwise(['--quiet', 'bench', 'attention', ...small, '--svg', 'chart.svg']);
    expect(result.code).toBe(0);
    for (const name of ['causal', 'sliding window', 'StreamingLLM', 'LM-Infinite', 'block-sparse', 'DHSA', 'Squeezed', 'LongHeads']) {
      expect(result.stdout).toContain(name);
    }
    expect(result.stdout).toMatch(/WebAssembly SIMD peak: \d+\.\d GFLOP\/s/);
    const svg = await readFile(join(dir, 'chart.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('SIMD peak');
  });

  it('reports JSON with one row per measurement', async () => {
    const result = await chunkwise(['--json', '--quiet', 'bench', 'attention', ...small, '--backends', 'js', '--clock', 'cpu', '--svg', 'json.svg']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { rows: { backend: string; gflops: number; keptFraction: number }[]; svg: string; clock: string };
    expect(report.rows.length).toBe(1 + 1 + 7);
    expect(report.rows.every((row) => row.backend === 'js' && row.gflops > 0 && row.keptFraction > 0 && row.keptFraction <= 1)).toBe(true);
    expect(report.svg).toBe('json.svg');
    expect(report.clock).toBe('cpu');
  });

  it('exits 2 on an unknown suite or a bad option', async () => {
    expect((await chunkwise(['bench', 'nope'])).code).toBe(2);
    expect((await chunkwise(['bench', 'attention', '--lengths', 'x'])).code).toBe(2);
    expect((await chunkwise(['bench', 'attention', '--backends', 'gpu'])).code).toBe(2);
    expect((await chunkwise(['bench', 'attention', '--clock', 'sundial'])).code).toBe(2);
  });
});
