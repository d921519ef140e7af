// Type-checks a scratch Node project against the built package (dist/*.d.ts, .d.cts) the way a
// user's project sees it: `tsc --strict` with `lib: ["es2022"]` and `types: ["node"]` — no DOM, no
// WebGPU types — under module node16, nodenext and bundler, from an ES module and (node16,
// nodenext) a CommonJS one. The declarations must not name a type only a browser lib defines.
// Run after `pnpm build`; exits 1 and prints tsc's errors when a mode fails.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** Uses most of the public surface, including every WebGPU-facing type. */
const CONSUMER = `
import {
  attention, attentionAsync, webgpuAvailable, WebGpuAttention, causalMask, dhsaSelect, mergeAttentionStates,
  runAttentionBenchmark, type AsyncAttentionOptions, type AttentionShape, type WebGpuAttentionOptions,
} from '@chunkwise/attention';
import { AttentionPool } from '@chunkwise/attention/node';

const shape: AttentionShape = { heads: 1, kvHeads: 1, seqQ: 2, seqK: 2, headDim: 2 };
const x = new Float32Array(4);
const dense: Float32Array = attention(x, x, x, shape, { causal: true, mask: causalMask() }).output;
const options: AsyncAttentionOptions = { backend: 'auto' };
const gpuOptions: WebGpuAttentionOptions = { powerPreference: 'high-performance' };
export async function run(): Promise<number> {
  const result = await attentionAsync(x, x, x, shape, options);
  const available: boolean = await webgpuAvailable();
  const runner: WebGpuAttention | undefined = available ? await WebGpuAttention.create(gpuOptions) : undefined;
  runner?.destroy();
  const pool = new AttentionPool({ threads: 1 });
  await pool.close();
  const merged = mergeAttentionStates([{ output: dense, lse: new Float32Array(2) }], 2);
  return result.output.length + merged.lse.length + dhsaSelect(x, x, shape, { topTokens: 1 }).keptFraction() + runAttentionBenchmark.length;
}
`;

const COMMONJS = `
import { attention, WebGpuAttention } from '@chunkwise/attention';
import { AttentionPool } from '@chunkwise/attention/node';
export const kinds = [typeof attention, typeof WebGpuAttention, typeof AttentionPool];
`;

const MODES = [
  { moduleResolution: 'node16', module: 'node16', commonjs: true },
  { moduleResolution: 'nodenext', module: 'nodenext', commonjs: true },
  { moduleResolution: 'bundler', module: 'esnext', commonjs: false },
];

export function checkNodeTypes() {
  if (!existsSync(join(root, 'dist', 'index.d.ts'))) throw new Error('dist/index.d.ts is missing: run `pnpm build` first.');
  const scratch = mkdtempSync(join(tmpdir(), 'chunkwise-attention-types-'));
  const failures = [];
  try {
    mkdirSync(join(scratch, 'node_modules', '@chunkwise'), { recursive: true });
    mkdirSync(join(scratch, 'node_modules', '@types'), { recursive: true });
    symlinkSync(root, join(scratch, 'node_modules', '@chunkwise', 'attention'), 'dir');
    symlinkSync(realpathSync(dirname(require.resolve('@types/node/package.json'))), join(scratch, 'node_modules', '@types', 'node'), 'dir');
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    writeFileSync(join(scratch, 'index.ts'), CONSUMER);
    writeFileSync(join(scratch, 'require.cts'), COMMONJS);
    const tsc = require.resolve('typescript/bin/tsc');
    for (const mode of MODES) {
      const files = mode.commonjs ? ['index.ts', 'require.cts'] : ['index.ts'];
      const compilerOptions = { strict: true, lib: ['es2022'], types: ['node'], target: 'es2022', module: mode.module, moduleResolution: mode.moduleResolution, noEmit: true, skipLibCheck: false };
      writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }, null, 2));
      try {
        execFileSync(process.execPath, [tsc, '-p', scratch], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        failures.push(`module ${mode.module} / moduleResolution ${mode.moduleResolution}:\n${String(error.stdout ?? '') + String(error.stderr ?? '')}`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return failures;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const failures = checkNodeTypes();
  if (failures.length > 0) {
    process.stderr.write(`The published declarations need types a Node project does not have:\n\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.log('published declarations type-check in a Node project (lib es2022, types node) under node16, nodenext and bundler');
}
