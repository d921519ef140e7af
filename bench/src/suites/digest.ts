import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Suite } from '../harness.js';
import { BIG_BOOK_BYTES, writeBigBook } from './digest/big-book.js';

/**
 * Peak memory of `chunkwise digest` on a book built from the State of the Union addresses and Moby
 * Dick repeated to 74 MB (issue 18 measured 968 MiB there; the goal is ≤ 400 MiB). The built CLI
 * runs in a child process, a fresh output folder each time; its peak RSS is getrusage's ru_maxrss,
 * written at exit by a preloaded module. Needs `pnpm --filter chunkwise... build` first.
 */
/** The repository root, from src/suites or from the bundle in dist alike. */
function repoRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'pnpm-workspace.yaml')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}
const repo = repoRoot();
const cli = join(repo, 'apps', 'cli', 'dist', 'main.js');
// Plain JavaScript beside this file, run as it is (the bench bundle does not carry it).
const peakModule = join(repo, 'bench', 'src', 'suites', 'digest', 'peak-rss.mjs');
const mb = Number(process.env.CHUNKWISE_BENCH_DIGEST_MB ?? BIG_BOOK_BYTES / 1e6);

interface Run {
  label: string;
  bytes: number;
  characters: number;
  chunks: number;
  wallS: number;
  peakMiB: number;
}

function digest(book: string, out: string, args: string[]): Promise<{ wallS: number; peakMiB: number; report: { chunks: { count: number } } }> {
  const peakFile = join(out, '..', `peak-${Date.now()}.json`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', peakModule, cli, '--json', '--quiet', 'digest', book, '--out', out, ...args], {
      env: { ...process.env, CHUNKWISE_PEAK_RSS_FILE: peakFile, CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
    child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`digest exited ${code}: ${stderr.slice(-2000)}`));
      const { maxRssKiB } = JSON.parse(readFileSync(peakFile, 'utf8')) as { maxRssKiB: number };
      resolve({ wallS: (performance.now() - started) / 1000, peakMiB: maxRssKiB / 1024, report: JSON.parse(stdout) as { chunks: { count: number } } });
    });
  });
}

const runs: Run[] = [];

const suite: Suite = {
  name: 'digest',
  description: `Peak memory (RSS) of \`chunkwise digest\` on one book: the State of the Union addresses and Moby Dick, each address and chapter a Markdown section, repeated to ${mb} MB (\`CHUNKWISE_BENCH_DIGEST_MB\`), every stage from a fresh output folder, in a child process of the built CLI.`,
  cases: () => [],
  async notes() {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm --filter chunkwise... build first.`);
    const work = mkdtempSync(join(tmpdir(), 'chunkwise-bench-digest-'));
    try {
      const book = join(work, 'book.md');
      const built = writeBigBook(book, mb * 1e6);
      for (const [label, args] of [['defaults (200-token chunks)', []], ['512-token chunks (the default before)', ['--max-tokens', '512']]] as const) {
        const { wallS, peakMiB, report } = await digest(book, join(work, `out-${runs.length}`), [...args]);
        runs.push({ label, bytes: built.bytes, characters: built.characters, chunks: report.chunks.count, wallS, peakMiB });
        process.stdout.write(`  ${label}: peak ${peakMiB.toFixed(0)} MiB, ${wallS.toFixed(1)} s\n`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const rows = runs.map((r) => `| ${r.label} | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.characters.toLocaleString('en-US')} | ${r.chunks.toLocaleString('en-US')} | ${r.wallS.toFixed(0)} s | **${r.peakMiB.toFixed(0)} MiB** |`);
    return [
      '| run | book | characters | chunks | wall | peak RSS |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      `Load average ${loadavg()[0]!.toFixed(1)} at the end on ${cpus().length} cores. Peak RSS is the whole process: Node itself (about 45 MiB), the loaded tokenizers, and the largest stage.`,
    ].join('\n');
  },
};

export default suite;
