#!/usr/bin/env node
// Every package README's examples must type-check and run as a user would paste them, and every
// README must say how to install its package.
//
// An example is a fenced block whose info string starts with `js`: a whole program, top-level
// await allowed, importing only published packages. `js no-run` marks one that needs a server
// (Ollama, OpenAI) and is only type-checked. Blocks tagged `ts` are API sketches and are not checked.
// A comment in an example that says `npm install a b` names what it needs besides the package itself.
//
// The check: each example is written as a `.ts` file into a scratch project whose node_modules
// hold the packages, and `tsc --strict` type-checks it with module node16, nodenext and bundler
// (lib ES2023 and @types/node, no DOM: a Node project), declaration files included; with --run,
// each runnable example then runs under Node as `.mjs`.
//   node tooling/scripts/readme-examples.mjs [--run] [package…]      (after `pnpm build`)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The module settings a user's project may have; every example must type-check under each. */
export const MODULE_MODES = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

/** The examples of a README: `{ code, line, run, needs }`, line being the README line of the code's first line. */
export function readmeExamples(markdown) {
  const examples = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S+)(.*)$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    const [language, ...flags] = [open[1], ...open[2].trim().split(/\s+/).filter(Boolean)];
    if (language === 'js') {
      const code = lines.slice(i + 1, end).join('\n') + '\n';
      examples.push({ code, line: i + 2, run: !flags.includes('no-run'), needs: examplePackages(code) });
    }
    i = end;
  }
  return examples;
}

/** Packages an example names in an `npm install …` comment. */
export function examplePackages(code) {
  const names = new Set();
  for (const [, list] of code.matchAll(/\/\/.*?npm i(?:nstall)? ([@\w./\s-]+?)(?:\)|;|,|$)/gm)) {
    for (const spec of list.trim().split(/\s+/)) if (/^(@[\w.-]+\/)?[\w.-]+(@[\w.^~<>=-]+)?$/.test(spec)) names.add(spec);
  }
  return [...names];
}

/** The tsconfig of one module mode over `files`, for a Node project: strict, ES2023, @types/node, no DOM. */
export function exampleTsconfig(mode, files) {
  return {
    compilerOptions: {
      ...MODULE_MODES[mode],
      target: 'es2022',
      lib: ['es2023'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files,
  };
}

/**
 * Type-checks `examples` ({ name, code, source }) in `project` (its node_modules already holding the
 * packages and @types/node) under every module mode. Returns one message per error, pointing at the
 * README line.
 */
export function typeCheckExamples(project, examples, tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')) {
  const problems = [];
  const byFile = new Map();
  for (const example of examples) {
    const file = `${example.name}.ts`;
    writeFileSync(join(project, file), example.code);
    byFile.set(file, example);
  }
  for (const mode of Object.keys(MODULE_MODES)) {
    const config = `tsconfig.${mode}.json`;
    writeFileSync(join(project, config), JSON.stringify(exampleTsconfig(mode, [...byFile.keys()]), null, 2));
    const result = spawnSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
    if (result.status === 0) continue;
    for (const line of `${result.stdout}${result.stderr}`.split('\n').filter(Boolean)) {
      // tsc continues a diagnostic on indented lines (overloads, elaborations).
      if (/^\s/.test(line) && problems.length > 0) {
        problems[problems.length - 1] += `\n    ${line.trim()}`;
        continue;
      }
      const at = /^([^(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
      const example = at && byFile.get(at[1]);
      problems.push(example ? `${mode}: ${example.source}:${example.line + Number(at[2]) - 1}:${at[3]}: ${at[4]}` : `${mode}: ${line}`);
    }
  }
  return problems;
}

/** Runs one example as an ES module in `project`; returns its output or throws with it. */
export function runExample(project, example) {
  const file = join(project, `${example.name}.mjs`);
  writeFileSync(file, example.code);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

function link(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  if (!existsSync(to)) symlinkSync(from, to, 'dir');
}

/** Where the workspace has `name` installed (a package's node_modules or the root's), or undefined. */
function workspacePackage(name) {
  const dirs = [join(root, 'node_modules'), ...readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir, 'node_modules'))];
  for (const dir of dirs) if (existsSync(join(dir, name, 'package.json'))) return realpathSync(join(dir, name));
  return undefined;
}

function main() {
  const args = process.argv.slice(2);
  const run = args.includes('--run');
  const only = args.filter((arg) => !arg.startsWith('--'));
  const packages = readdirSync(join(root, 'packages')).filter((dir) => existsSync(join(root, 'packages', dir, 'README.md')) && (only.length === 0 || only.includes(dir)));
  const project = mkdtempSync(join(tmpdir(), 'chunkwise-readme-examples-'));
  const problems = [];
  let count = 0;
  let ran = 0;
  try {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
    for (const dir of readdirSync(join(root, 'packages'))) {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
      if (!existsSync(join(root, 'packages', dir, 'dist'))) throw new Error(`packages/${dir} is not built: run pnpm build first`);
      link(join(root, 'packages', dir), join(project, 'node_modules', pkg.name));
    }
    link(workspacePackage('@types/node'), join(project, 'node_modules', '@types', 'node'));
    const examples = [];
    for (const dir of packages) {
      const source = relative(root, join(root, 'packages', dir, 'README.md'));
      const readme = readFileSync(join(root, source), 'utf8');
      const { name } = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
      if (!readme.includes(`npm install ${name}`)) problems.push(`${source}: no install line (\`npm install ${name}\`)`);
      const found = readmeExamples(readme);
      if (found.length === 0) problems.push(`${source}: no \`\`\`js example`);
      found.forEach((example, i) => examples.push({ ...example, name: `${dir}-${i + 1}`, source }));
    }
    count = examples.length;
    for (const name of new Set(examples.flatMap((example) => example.needs.map((spec) => spec.replace(/(?<=.)@.*$/, ''))))) {
      if (name.startsWith('@chunkwise/')) continue;
      const found = workspacePackage(name);
      if (found) link(found, join(project, 'node_modules', name));
      else problems.push(`an example needs ${name}, which the workspace does not install`);
    }
    problems.push(...typeCheckExamples(project, examples));
    if (run) {
      for (const example of examples.filter((e) => e.run)) {
        try {
          const output = runExample(project, example);
          if (!output.trim()) problems.push(`${example.source}:${example.line}: the example printed nothing`);
          ran++;
        } catch (error) {
          problems.push(`${example.source}:${example.line}: the example failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
        }
      }
    }
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  for (const problem of problems) console.error(`✗ ${problem}`);
  const modes = Object.keys(MODULE_MODES).join(', ');
  console.log(`${count} README examples from ${packages.length} packages: ${problems.length === 0 ? 'all type-check' : `${problems.length} problem(s)`} under tsc --strict (${modes})${run ? `; ${ran} ran` : ''}`);
  return problems.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
