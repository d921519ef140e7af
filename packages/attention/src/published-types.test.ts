import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built declarations, type-checked from a scratch Node project (scripts/check-node-types.mjs,
// also run by `pnpm check-exports` right after a build). Here it runs when dist is at least as new
// as every source file — after `pnpm build`, as CI does before testing — and is skipped otherwise.
const root = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !path.includes('__fixtures__')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function staleReason(): string | undefined {
  try {
    const built = statSync(join(root, 'dist', 'index.d.ts')).mtimeMs;
    return built >= newestSource(join(root, 'src')) ? undefined : 'dist is older than src: run `pnpm build` to check the published declarations';
  } catch {
    return 'no dist: run `pnpm build` to check the published declarations';
  }
}

const skip = staleReason();
if (skip) console.warn(`skipping the published-types check: ${skip}`);

describe.skipIf(skip !== undefined)('published declarations', () => {
  it('type-check in a Node project without DOM or WebGPU types (tsc --strict, lib es2022, types node; node16, nodenext, bundler)', async () => {
    // @ts-expect-error -- plain .mjs helper without types
    const { checkNodeTypes } = (await import('../scripts/check-node-types.mjs')) as { checkNodeTypes: () => string[] };
    expect(checkNodeTypes()).toEqual([]);
  }, 120_000);
});
