// The worker bundle, built in memory (shared by build-worker.mjs and the staleness test).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleWorker() {
  const result = await build({
    entryPoints: [join(root, 'src', 'node', 'attention-worker.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    conditions: ['@chunkwise/source'],
    legalComments: 'none',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
