#!/usr/bin/env node
// Sums every workspace's Vitest JSON report (test-results/vitest.json, written by the shared
// Vitest config and restored by turbo on a cache hit) into the one line CI reads:
//   tests: N passed, N failed
// Exits 1 when a test failed, a suite failed to load, or a workspace with tests left no report.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaces = ['packages', 'apps', 'tooling']
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(group, dir)))
  .concat(['bench'])
  .filter((dir) => existsSync(join(root, dir, 'package.json')));

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
for (const dir of workspaces) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = join(root, dir, 'test-results', 'vitest.json');
  if (!existsSync(report)) {
    problems.push(`${dir}: no test report (did its tests run?)`);
    failed++;
    continue;
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  const brokenSuites = result.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0);
  for (const suite of brokenSuites) {
    problems.push(`${dir}: ${suite.name.replace(root + '/', '')} failed to run: ${(suite.message ?? '').split('\n')[0]}`);
    failed++;
  }
  process.stdout.write(`  ${dir.padEnd(24)} ${String(result.numPassedTests).padStart(5)} passed ${String(result.numFailedTests).padStart(3)} failed ${String(result.numPendingTests).padStart(3)} skipped\n`);
}
for (const problem of problems) process.stdout.write(`  ✗ ${problem}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
