import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ChunkwiseError } from '@chunkwise/core';
import { checkInteger, checkOptions, describeValue } from '../argument-checks.js';
import { maskFromSpec } from '../masks/mask-from-spec.js';
import { prepareAttentionCall, type AttentionOptions, type AttentionResult } from '../attention-options.js';
import type { AttentionShape } from '../attention-shape.js';
import { defaultBackend } from '../attention.js';
import { decodeSplits } from '../decode-attention.js';
import { mergeAttentionStates } from '../merge-attention-states.js';
import type { AttentionTask, AttentionTaskReply } from './attention-task.js';
import { ATTENTION_WORKER_SOURCE } from './generated/attention-worker-source.js';

export interface AttentionPoolOptions {
  /** Worker threads (default: available parallelism). */
  threads?: number;
}

/** Worker threads one pool may start. */
const MAX_THREADS = 256;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A worker_threads pool for `attention`. Prefill splits the work FlashAttention-2 style
 * (arXiv 2307.08691 §3.2) into (head, query-tile range) units; `decode` (the default for at most
 * 16 query rows against at least 4096 keys) splits the keys across workers and merges the splits
 * by log-sum-exp (Flash-Decoding). Inputs are copied once into SharedArrayBuffers.
 *
 * Masks cross threads as their `spec` (every built-in mask and selection has one); a hand-written
 * `AttentionMask` without a spec throws UNSUPPORTED here — run it with `attention()`.
 */
export class AttentionPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(options: AttentionPoolOptions = {}) {
    const threads = checkOptions(options, 'options').threads ?? availableParallelism();
    checkInteger(threads, 'threads', 1, MAX_THREADS);
    this.threads = threads;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(ATTENTION_WORKER_SOURCE, { eval: true });
      worker.on('message', (reply: AttentionTaskReply) => this.settle(reply));
      worker.on('error', (error) => this.failAll(error));
      worker.unref();
      this.workers.push(worker);
    }
  }

  async attention(q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, options: AttentionOptions = {}): Promise<AttentionResult> {
    if (this.closed) throw new ChunkwiseError('UNSUPPORTED', 'This AttentionPool is closed.');
    const { resolved, kernel } = prepareAttentionCall(q, k, v, shape, options);
    const maskSpec = resolved.mask?.spec;
    if (resolved.mask && !maskSpec) {
      throw new ChunkwiseError('UNSUPPORTED', `AttentionPool cannot send the mask ${describeValue(resolved.mask.description)} (it has no spec) to workers; use attention() for it.`);
    }
    // The workers rebuild the mask from its spec: a spec they could not rebuild fails here, not there.
    if (maskSpec) maskFromSpec(maskSpec);
    if (kernel === 'reference') throw new ChunkwiseError('UNSUPPORTED', 'The reference kernel runs only on the calling thread.');
    if (options.backend === 'webgpu') throw new ChunkwiseError('UNSUPPORTED', 'AttentionPool runs CPU backends; use attentionAsync() for WebGPU.');
    const backend = options.backend === undefined || options.backend === 'auto' ? defaultBackend() : options.backend;
    const shared = {
      q: toShared(q),
      k: toShared(k),
      v: toShared(v),
      shape,
      options: { scale: resolved.scale, queryOffset: resolved.queryOffset, causal: resolved.causal, blockQ: resolved.blockQ, blockK: resolved.blockK, backend },
      ...(maskSpec ? { mask: maskSpec } : {}),
    };
    const rows = shape.heads * shape.seqQ;
    const useDecode = kernel === 'decode' || (kernel === 'auto' && shape.seqQ <= 16 && shape.seqK >= 4096);

    if (useDecode) {
      const splitK = options.splitK ?? Math.max(256, Math.ceil(shape.seqK / this.threads));
      const splits = decodeSplits(shape.seqK, splitK);
      const parts = splits.map(() => ({ output: sharedFloats(rows * shape.headDim), lse: sharedFloats(rows) }));
      await Promise.all(
        splits.map(([keyStart, keyEnd], s) => this.run({ ...shared, range: { keyStart, keyEnd }, out: (parts[s] as (typeof parts)[number]).output, lse: (parts[s] as (typeof parts)[number]).lse })),
      );
      const merged = mergeAttentionStates(parts, shape.headDim);
      return resolved.returnLse ? merged : { output: merged.output };
    }

    const out = sharedFloats(rows * shape.headDim);
    const lse = resolved.returnLse ? sharedFloats(rows) : undefined;
    // Enough units to balance causal work (late tiles cost more) across the workers.
    const tiles = Math.ceil(shape.seqQ / resolved.blockQ);
    const tilesPerUnit = Math.max(1, Math.floor((shape.heads * tiles) / (this.threads * 4)));
    const units: Promise<void>[] = [];
    for (let h = 0; h < shape.heads; h++) {
      for (let t = 0; t < tiles; t += tilesPerUnit) {
        const range = { headStart: h, headEnd: h + 1, rowStart: t * resolved.blockQ, rowEnd: Math.min(shape.seqQ, (t + tilesPerUnit) * resolved.blockQ) };
        units.push(this.run({ ...shared, range, out, ...(lse ? { lse } : {}) }));
      }
    }
    await Promise.all(units);
    return lse ? { output: Float32Array.from(out), lse: Float32Array.from(lse) } : { output: Float32Array.from(out) };
  }

  /** Stops every worker; pending calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new ChunkwiseError('ABORTED', 'The AttentionPool was closed.'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private run(task: Omit<AttentionTask, 'id'>): Promise<void> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...task, id });
    }).finally(() => {
      if (this.pending.size === 0) for (const w of this.workers) w.unref();
    });
  }

  private settle(reply: AttentionTaskReply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    if (reply.ok) entry.resolve();
    else entry.reject(new ChunkwiseError(reply.code as ChunkwiseError['code'], reply.message));
  }

  private failAll(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}

function sharedFloats(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

function toShared(source: Float32Array): Float32Array {
  const copy = sharedFloats(source.length);
  copy.set(source);
  return copy;
}
