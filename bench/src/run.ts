import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSuiteSection, runSuite, upsertSection } from './harness.js';
import { SUITES } from './suites/index.js';

const REPORT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'benchmarks.md');
const HEADER = `# Benchmarks

Chunkwise next to its peers, run in the same Node process on the same input, alternating, after
warm-up; each table gives the median of N runs, CPU time, throughput and the ratio of our median
time to the peer's. Every section is written by \`pnpm bench <suite>\`; rerun it to refresh.
`;

async function readReport(): Promise<string> {
  try {
    return await readFile(REPORT, 'utf8');
  } catch {
    return HEADER;
  }
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const write = !process.argv.includes('--no-write');
  const names = requested.length ? requested : Object.keys(SUITES);
  const unknown = names.filter((name) => !(name in SUITES));
  if (unknown.length) {
    process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(SUITES).join(', ')}\n`);
    return 2;
  }
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  for (const name of names) {
    const { default: suite } = await SUITES[name]!();
    process.stdout.write(`\n# ${suite.name}: ${suite.description}\n`);
    const result = await runSuite(suite, (line) => process.stdout.write(line + '\n'));
    if (result.notes.trim()) process.stdout.write(`\n${result.notes.trim()}\n`);
    // Read the report just before writing: another suite may have updated its own section meanwhile.
    if (write) await writeFile(REPORT, upsertSection(await readReport(), name, formatSuiteSection(result, machine, date)));
  }
  if (write) process.stdout.write(`\nwrote ${REPORT}\n`);
  return 0;
}

process.exitCode = await main();
