#!/usr/bin/env node
// Checks the house rules of the package graph (docs/architecture.md):
//  - no dependency cycles between workspace packages,
//  - no package under packages/ depends on, or imports, an app, the bench or a tooling script,
//  - every @chunkwise/* import in a package's src is declared in its package.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const workspaces = ['packages', 'apps', 'tooling']
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)))
  .concat([join(root, 'bench')])
  .filter((dir) => {
    try {
      return statSync(join(dir, 'package.json')).isFile();
    } catch {
      return false;
    }
  })
  .map((dir) => ({ dir, pkg: read(join(dir, 'package.json')) }));
const byName = new Map(workspaces.map((workspace) => [workspace.pkg.name, workspace]));
const problems = [];

const internalDeps = (pkg) =>
  Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies }).filter((name) => byName.has(name));

// Cycles: depth-first search over runtime + dev dependencies.
const state = new Map();
const visit = (name, path) => {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'active') {
    problems.push(`dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(' → ')}`);
    return;
  }
  state.set(name, 'active');
  for (const dep of internalDeps(byName.get(name).pkg)) visit(dep, [...path, name]);
  state.set(name, 'done');
};
for (const name of byName.keys()) visit(name, []);

const isLibrary = (workspace) => relative(root, workspace.dir).startsWith('packages/');
const forbidden = new Set(workspaces.filter((workspace) => !isLibrary(workspace) && !relative(root, workspace.dir).startsWith('tooling/')).map((w) => w.pkg.name));

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name)) yield path;
  }
}

for (const workspace of workspaces.filter(isLibrary)) {
  const { pkg, dir } = workspace;
  for (const dep of internalDeps(pkg)) {
    if (forbidden.has(dep)) problems.push(`${pkg.name} depends on ${dep}, which is an app or the bench`);
  }
  const declared = new Set([pkg.name, ...Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })]);
  for (const file of sourceFiles(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]((?:@chunkwise\/[^/'"]+)|chunkwise)(?:\/[^'"]*)?['"]/g)) {
      const name = match[1];
      if (forbidden.has(name)) problems.push(`${relative(root, file)} imports ${name}, which is an app or the bench`);
      else if (!declared.has(name)) problems.push(`${relative(root, file)} imports ${name} without declaring it in ${pkg.name}'s package.json`);
    }
    if (/from\s+['"](?:\.\.\/)+(?:apps|bench)\//.test(text)) problems.push(`${relative(root, file)} reaches into apps/ or bench/ by path`);
  }
}

if (problems.length) {
  for (const problem of problems) console.error(`✗ ${problem}`);
  process.exit(1);
}
console.log(`package graph ok: ${workspaces.length} workspaces, no cycles, no package depends on an app`);
