import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module the default entry reaches, following relative imports. */
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
  it('is browser-safe: no node: modules, better-sqlite3 or ioredis anywhere it reaches', () => {
    const graph = reachable(fileURLToPath(new URL('./index.ts', import.meta.url)));
    const external = [...graph.values()].flat().filter((s) => !s.startsWith('.'));
    expect(graph.size).toBeGreaterThan(10);
    // @chunkwise/attention's default entry is browser-safe itself (its tests run it in Chromium);
    // the cache takes only the StreamingLLM keep rule from it.
    expect([...new Set(external)].sort()).toEqual(['@chunkwise/attention', '@chunkwise/core']);
  });

  it('keeps the IndexedDB entry browser-safe too', () => {
    const graph = reachable(fileURLToPath(new URL('./indexeddb.ts', import.meta.url)));
    expect([...new Set([...graph.values()].flat().filter((s) => !s.startsWith('.')))]).toEqual(['@chunkwise/core']);
  });

  it('keeps the Node-only stores behind their subpaths', () => {
    const sqlite = [...reachable(fileURLToPath(new URL('./sqlite.ts', import.meta.url))).values()].flat();
    const redis = [...reachable(fileURLToPath(new URL('./redis.ts', import.meta.url))).values()].flat();
    expect(sqlite).toContain('better-sqlite3');
    expect(redis).toContain('ioredis');
  });
});
