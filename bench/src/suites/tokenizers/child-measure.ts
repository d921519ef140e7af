import { execFileSync } from 'node:child_process';
import { median } from '../../harness.js';

/** How to load and first use one library, as ESM source run in a fresh `node` process. */
export interface LoadRecipe {
  name: string;
  /** Statements that import the library and assign an encode function to `encode`. */
  load: string;
}

export interface LoadFigures {
  name: string;
  coldStartMs: number;
  rssMb: number;
  rssDeltaMb: number;
}

/**
 * Cold start (dynamic import + rank loading + first `encode`) and RSS after load, each library in
 * its own process so nothing is shared or already warm; median of `runs` processes.
 */
export function measureLoad(recipe: LoadRecipe, cwd: string, runs = 3): LoadFigures {
  const script = `
    globalThis.gc(); globalThis.gc();
    const baseline = process.memoryUsage().rss;
    const started = performance.now();
    let encode;
    ${recipe.load}
    encode('hello world');
    const coldStartMs = performance.now() - started;
    globalThis.gc(); globalThis.gc();
    const rss = process.memoryUsage().rss;
    console.log(JSON.stringify({ coldStartMs, rss, baseline }));
  `;
  const samples: { coldStartMs: number; rss: number; baseline: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
    samples.push(JSON.parse(output.trim().split('\n').pop()!) as { coldStartMs: number; rss: number; baseline: number });
  }
  return {
    name: recipe.name,
    coldStartMs: median(samples.map((s) => s.coldStartMs)),
    rssMb: median(samples.map((s) => s.rss)) / 1e6,
    rssDeltaMb: median(samples.map((s) => s.rss - s.baseline)) / 1e6,
  };
}
