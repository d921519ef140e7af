import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = dirname(fileURLToPath(import.meta.url));

/** Every module specifier a source file imports or re-exports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

/** The files an entry reaches through relative imports, with every bare specifier they use. */
function reach(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.add(spec);
    }
  };
  visit(join(srcDir, entry));
  return { files, bare };
}

describe('entry points', () => {
  it('keeps the default entry browser-safe: only @chunkwise/core, no node: modules, no peers', () => {
    const { bare } = reach('index.ts');
    expect([...bare]).toEqual(['@chunkwise/core']);
  });

  it('loads the ai peer only from the ai-sdk subpath', () => {
    expect([...reach('ai-sdk/index.ts').bare].sort()).toEqual(['@chunkwise/core', 'ai']);
  });

  it('loads transformers.js only on demand from the transformers subpath (no static import)', () => {
    expect([...reach('transformers/index.ts').bare]).toEqual(['@chunkwise/core']);
  });

  it('keeps node: modules to the testing and static/node subpaths', () => {
    expect([...reach('testing/index.ts').bare].filter((s) => s.startsWith('node:')).sort()).toEqual(['node:fs', 'node:http', 'node:net', 'node:path', 'node:perf_hooks']);
    expect([...reach('static/node/index.ts').bare].filter((s) => s.startsWith('node:')).sort()).toEqual(['node:crypto', 'node:fs', 'node:module', 'node:os', 'node:path']);
  });

  it('keeps the static subpath browser-safe: core and the tokenizers only, no node: modules, no peers', () => {
    expect([...reach('static/index.ts').bare].sort()).toEqual(['@chunkwise/core', '@chunkwise/tokenizers']);
  });

  it('loads @langchain/core only from the langchain subpath', () => {
    expect([...reach('langchain/index.ts').bare].sort()).toEqual(['@chunkwise/core', '@langchain/core/embeddings']);
  });

  it('reaches @chunkwise/tokenizers only from the static subpaths', () => {
    for (const entry of ['index.ts', 'ai-sdk/index.ts', 'transformers/index.ts', 'testing/index.ts', 'langchain/index.ts']) {
      expect([...reach(entry).bare]).not.toContain('@chunkwise/tokenizers');
    }
  });
});
