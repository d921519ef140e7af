#!/usr/bin/env node
// The fault suite's probe counts (issue 14), read from the Vitest reports `pnpm test` leaves in
// every workspace (test-results/vitest.json): every test of the files that try bad input, damaged
// state, crashes, faults and attacks — fuzz tests of every package's exports, the SQLite damage and
// two-writer suites, Postgres concurrency, LLM faults, poisoned attention inputs, missing optional
// peers, response limits, killed and interrupted commands, closed pipes, control characters.
// A probe is one test case; a fuzz case is a fast-check property of many runs.
//   pnpm test && node tooling/scripts/fault-suite.mjs
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAULT_FILE = /(fuzz|damage|two-writers|concurrency|faults|poisoned|closed-pipe|output-file|doctor|distributed-ingest|missing-peers?|response-limit|control-characters|usage-errors|index-sync|map-concurrent)[^/]*\.test\.ts$/;

const workspaces = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(group, dir)))
  .filter((dir) => existsSync(join(root, dir, 'test-results', 'vitest.json')));

const rows = [];
for (const dir of workspaces) {
  const report = JSON.parse(readFileSync(join(root, dir, 'test-results', 'vitest.json'), 'utf8'));
  for (const file of report.testResults) {
    const name = relative(root, file.name);
    if (!FAULT_FILE.test(name)) continue;
    const count = (status) => file.assertionResults.filter((test) => test.status === status).length;
    rows.push({ name, tried: file.assertionResults.length, clean: count('passed'), failed: count('failed'), skipped: count('pending') + count('skipped') + count('todo') });
  }
}
rows.sort((a, b) => a.name.localeCompare(b.name));
const total = rows.reduce((sum, row) => ({ tried: sum.tried + row.tried, clean: sum.clean + row.clean, failed: sum.failed + row.failed, skipped: sum.skipped + row.skipped }), { tried: 0, clean: 0, failed: 0, skipped: 0 });
process.stdout.write('| file | tried | clean | failed | skipped |\n|---|---:|---:|---:|---:|\n');
for (const row of rows) process.stdout.write(`| ${row.name} | ${row.tried} | ${row.clean} | ${row.failed} | ${row.skipped} |\n`);
process.stdout.write(`| **${rows.length} files** | **${total.tried}** | **${total.clean}** | **${total.failed}** | **${total.skipped}** |\n`);
process.exitCode = total.failed > 0 ? 1 : 0;
