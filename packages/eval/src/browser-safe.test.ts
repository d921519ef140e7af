import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module an entry reaches, following relative imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    seen.set(file, specifiers);
    for (const specifier of specifiers) if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return seen;
}

describe('the default entry', () => {
  it('is browser-safe: no node: modules anywhere it reaches', () => {
    const graph = reachable(fileURLToPath(new URL('./index.ts', import.meta.url)));
    const external = [...new Set([...graph.values()].flat().filter((s) => !s.startsWith('.')))].sort();
    expect(graph.size).toBeGreaterThan(10);
    expect(external).toEqual(['@chunkwise/chunking', '@chunkwise/core', '@chunkwise/retrieval', 'wink-porter2-stemmer']);
  });

  it('keeps file reading behind @chunkwise/eval/node', () => {
    const node = [...reachable(fileURLToPath(new URL('./node.ts', import.meta.url))).values()].flat();
    expect(node).toContain('node:fs/promises');
  });
});
