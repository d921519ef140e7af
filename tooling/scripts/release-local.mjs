#!/usr/bin/env node
// Release rehearsal: people install our packages one at a time, so prove each one installs alone.
//  1. copy the working tree (tracked + untracked, not ignored) to a throwaway folder,
//  2. install, apply the pending changesets there (`changeset version`), build,
//  3. start Verdaccio on loopback (our scope local, everything else proxied to the npm registry),
//  4. publish every public package to it,
//  5. for each package, in a scratch project outside the repo: `npm install @chunkwise/<name>`
//     alone, then run the first ```js block of its README as ESM and as CJS.
// Usage: pnpm release:local [--keep] [--committed]   (--committed: rehearse HEAD, not the working tree)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const keep = process.argv.includes('--keep');
let work;
let copy;
const log = (message) => process.stderr.write(`[release:local] ${message}\n`);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
const capture = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The first ```js block of a README, or undefined. */
export function readmeExample(readme) {
  return /```js\n([\s\S]*?)```/.exec(readme)?.[1];
}

/** Rewrites an ESM example as CommonJS: imports become requires, the body runs in an async function. */
export function toCommonJs(source) {
  const body = source.replace(
    /^import\s+([\s\S]*?)\s+from\s+(['"][^'"]+['"]);?/gm,
    (_, clause, specifier) => {
      clause = clause.trim();
      const namespace = /^\*\s+as\s+(\w+)$/.exec(clause);
      if (namespace) return `const ${namespace[1]} = require(${specifier});`;
      const named = /^\{([\s\S]*)\}$/.exec(clause);
      if (named) {
        const bindings = named[1].replace(/\s+as\s+/g, ': ');
        return `const {${bindings}} = require(${specifier});`;
      }
      return `const ${clause} = require(${specifier});`;
    },
  );
  const imports = [];
  const rest = [];
  for (const line of body.split('\n')) (/^const .* = require\(/.test(line) ? imports : rest).push(line);
  return `'use strict';\n${imports.join('\n')}\n(async () => {\n${rest.join('\n')}\n})().catch((error) => {\n  console.error(error);\n  process.exit(1);\n});\n`;
}

function copyWorkingTree() {
  if (process.argv.includes('--committed')) {
    // Only what HEAD holds: what a fresh clone (and CI) would see.
    mkdirSync(copy, { recursive: true });
    execFileSync('sh', ['-c', `git -C '${root}' archive HEAD | tar -x -C '${copy}'`]);
    log(`extracted HEAD to ${copy}`);
    return;
  }
  const files = capture('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted but not yet staged
    const to = join(copy, file);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { dereference: false });
  }
  log(`copied ${files.length} files to ${copy}`);
}

function publicPackages() {
  return readdirSync(join(copy, 'packages'))
    .map((dir) => ({ dir: join(copy, 'packages', dir), pkg: JSON.parse(readFileSync(join(copy, 'packages', dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

async function startRegistry() {
  const port = await freePort();
  const storage = join(work, 'verdaccio-storage');
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${storage}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      `    url: ${capture('npm', ['config', 'get', 'registry']).trim()}`,
      'packages:',
      "  '@chunkwise/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: npmjs',
      'server:',
      '  keepAliveTimeout: 60',
      'logs: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const verdaccio = join(root, 'node_modules', '.bin', 'verdaccio');
  const child = spawn(verdaccio, ['--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (data) => (output += data));
  child.stderr.on('data', (data) => (output += data));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`${url}/-/ping`);
      if (response.ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (i === 99) throw new Error(`verdaccio did not start:\n${output}`);
  }
  // Create a throwaway user and take its token.
  const response = await fetch(`${url}/-/user/org.couchdb.user:rehearsal`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'rehearsal', password: 'rehearsal-password', email: 'rehearsal@example.invalid' }),
  });
  const { token } = await response.json();
  if (!token) throw new Error(`verdaccio gave no token (HTTP ${response.status})`);
  log(`verdaccio on ${url}`);
  return { url, token, stop: () => child.kill('SIGTERM') };
}

function runExample(scratch, name, example) {
  const results = [];
  const esm = join(scratch, 'example.mjs');
  const cjs = join(scratch, 'example.cjs');
  writeFileSync(esm, example ?? `import * as lib from '${name}';\nconsole.log(Object.keys(lib).length + ' exports');\n`);
  writeFileSync(cjs, toCommonJs(example ?? `import * as lib from '${name}';\nconsole.log(Object.keys(lib).length + ' exports');\n`));
  for (const file of [esm, cjs]) {
    const output = capture(process.execPath, [file], { cwd: scratch, timeout: 120_000 });
    if (!output.trim()) throw new Error(`${name}: ${file} printed nothing`);
    results.push(`${file.endsWith('.mjs') ? 'ESM' : 'CJS'}: ${output.trim().split('\n').slice(0, 3).join(' | ').slice(0, 160)}`);
  }
  return results;
}

async function main() {
  work = mkdtempSync(join(tmpdir(), 'chunkwise-release-'));
  copy = join(work, 'repo');
  copyWorkingTree();
  log('pnpm install (throwaway copy)');
  run('pnpm', ['install', '--prefer-offline', '--reporter=silent'], { cwd: copy });
  const pending = readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
  log(`applying ${pending.length} pending changeset(s)`);
  if (pending.length) run('pnpm', ['exec', 'changeset', 'version'], { cwd: copy });
  log('building packages');
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], { cwd: copy });

  const registry = await startRegistry();
  const npmrc = join(work, '.npmrc');
  const host = registry.url.replace(/^http:/, '');
  writeFileSync(npmrc, `registry=${registry.url}/\n${host}/:_authToken=${registry.token}\n`);
  const env = { ...process.env, npm_config_userconfig: npmrc, NPM_CONFIG_USERCONFIG: npmrc };
  const failures = [];
  try {
    const packages = publicPackages();
    for (const { dir, pkg } of packages) {
      run('pnpm', ['publish', '--registry', `${registry.url}/`, '--no-git-checks', '--access', 'public'], { cwd: dir, env });
      log(`published ${pkg.name}@${pkg.version}`);
    }
    for (const { dir, pkg } of packages) {
      const scratch = join(work, 'scratch', pkg.name.replace('@chunkwise/', ''));
      mkdirSync(scratch, { recursive: true });
      writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, version: '1.0.0' }, null, 2));
      try {
        capture('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', pkg.name], { cwd: scratch, env, timeout: 300_000 });
        const example = readmeExample(readFileSync(join(dir, 'README.md'), 'utf8'));
        const results = runExample(scratch, pkg.name, example);
        log(`${pkg.name}@${pkg.version} installed alone; ${example ? 'README example' : 'import (no README example)'} ran\n    ${results.join('\n    ')}`);
      } catch (error) {
        failures.push(pkg.name);
        log(`FAILED ${pkg.name}: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      }
    }
  } finally {
    registry.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
  if (failures.length) {
    log(`${failures.length} package(s) failed: ${failures.join(', ')}`);
    return 1;
  }
  log('every package installed alone from the local registry and its example ran in ESM and CJS');
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
