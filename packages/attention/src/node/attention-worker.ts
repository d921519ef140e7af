// Runs inside a worker_threads worker. scripts/build-worker.mjs bundles this file (with the
// kernels it imports) into one string in generated/, so the pool starts workers with `eval: true`
// and needs no file path — it works the same from source, from ESM and from CJS builds.
import { parentPort } from 'node:worker_threads';
import { createTileEngine } from '../attention.js';
import { resolveOptions } from '../attention-options.js';
import { flashAttentionInto } from '../flash-attention.js';
import { maskFromSpec } from '../masks/mask-from-spec.js';
import type { AttentionTask, AttentionTaskReply } from './attention-task.js';

parentPort?.on('message', (task: AttentionTask) => {
  let reply: AttentionTaskReply;
  try {
    const { shape, options } = task;
    const mask = task.mask ? maskFromSpec(task.mask) : undefined;
    const resolved = resolveOptions(shape, { ...options, ...(mask ? { mask } : {}) });
    const engine = createTileEngine(options.backend, { headDim: shape.headDim, scale: resolved.scale, blockQ: resolved.blockQ, blockK: resolved.blockK });
    flashAttentionInto({ q: task.q, k: task.k, v: task.v, shape, options: resolved, engine }, task.out, task.lse, task.range);
    reply = { id: task.id, ok: true };
  } catch (error) {
    const failure = error as { code?: unknown; message?: unknown };
    reply = { id: task.id, ok: false, code: typeof failure.code === 'string' ? failure.code : 'UPSTREAM', message: String(failure.message ?? error) };
  }
  parentPort?.postMessage(reply);
});
