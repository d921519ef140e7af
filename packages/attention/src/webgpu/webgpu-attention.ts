import { ChunkwiseError } from '@chunkwise/core';
import { checkChoice, checkOptions, describeValue } from '../argument-checks.js';
import { prepareAttentionCall, type AttentionOptions, type AttentionResult } from '../attention-options.js';
import type { AttentionShape } from '../attention-shape.js';
import { mergeAttentionStates } from '../merge-attention-states.js';
import { flashShaderSource, gpuBlockK, GPU_BLOCK_Q, GPU_MAX_HEAD_DIM, GPU_NO_SCORE } from './flash-shader.js';
import { buildTileSchedule } from './tile-schedule.js';
import type { WebGpuAdapterLike, WebGpuDeviceLike, WebGpuEntry, WebGpuPowerPreference } from './webgpu-types.js';

/** The GPU's description, as its adapter reports it. */
export interface WebGpuAdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
}

export interface WebGpuAttentionOptions {
  /** The WebGPU entry point; default `navigator.gpu`. In Node, pass one (the `webgpu` package's `create()`). */
  gpu?: WebGpuEntry;
  /** Use this `GPUDevice` instead of requesting one. */
  device?: WebGpuDeviceLike;
  powerPreference?: WebGpuPowerPreference;
}

// WebGPU's flag values (GPUBufferUsage, GPUMapMode), spelled out because Node bindings such as the
// `webgpu` package do not install those globals.
const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_MODE_READ = 0x1;

/** Workgroups a GPU needs before splitting the keys (Flash-Decoding) stops paying for itself. */
const MIN_WORKGROUPS = 64;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** Throws INVALID_ARGUMENT unless `value` looks like a WebGPU entry point (`requestAdapter`). */
export function checkGpuEntry(value: unknown, name: string): asserts value is WebGpuEntry {
  if (value === null || typeof value !== 'object' || typeof (value as { requestAdapter?: unknown }).requestAdapter !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be a WebGPU entry point such as navigator.gpu (with requestAdapter()), got ${describeValue(value)}.`);
  }
}

/** A WebGPU call whose failure (a rejected promise or a throw) becomes UPSTREAM with the cause. */
async function fromGpu<T>(what: string, call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ChunkwiseError('UPSTREAM', `WebGPU ${what} failed: ${error instanceof Error ? error.message : describeValue(error)}`, { cause: error });
  }
}

function isDevice(value: unknown): value is GPUDevice {
  const device = value as Partial<WebGpuDeviceLike> | null;
  return device !== null && typeof device === 'object' && typeof device.createBuffer === 'function' && typeof device.createShaderModule === 'function' && typeof device.destroy === 'function' && typeof device.limits === 'object' && device.limits !== null;
}

function isAdapter(value: unknown): value is GPUAdapter {
  const adapter = value as Partial<WebGpuAdapterLike> | null;
  return adapter !== null && typeof adapter === 'object' && typeof adapter.requestDevice === 'function' && typeof adapter.limits === 'object' && adapter.limits !== null;
}

function checkDevice(value: unknown): asserts value is WebGpuDeviceLike {
  if (!isDevice(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `options.device must be a GPUDevice, got ${describeValue(value)}.`);
}

/** `navigator.gpu` where the platform has one. */
export function navigatorGpu(): WebGpuEntry | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? undefined;
}

/**
 * The WebGPU (WGSL) backend: tiled online-softmax attention with causal/masked tile skipping,
 * grouped-query heads and split-K decoding on a GPU device. Create one per device with
 * `WebGpuAttention.create()` (it holds the compiled pipelines) and call `attention()`; each call
 * uploads q/k/v, runs one dispatch and reads the output back.
 */
export class WebGpuAttention {
  readonly adapter: WebGpuAdapterSummary;
  /** The `GPUDevice` the kernels run on. */
  readonly device: WebGpuDeviceLike;
  // The same device under WebGPU's own types; the public field is structural so the published
  // declarations need no WebGPU lib (webgpu-types.ts).
  private readonly gpuDevice: GPUDevice;
  private readonly pipelines = new Map<number, GPUComputePipeline>();

  private constructor(
    device: WebGpuDeviceLike,
    adapter: WebGpuAdapterSummary,
    private readonly ownsDevice: boolean,
  ) {
    this.device = device;
    this.gpuDevice = device as unknown as GPUDevice;
    this.adapter = adapter;
  }

  /** Requests an adapter and device; throws `UNSUPPORTED` when the platform has no WebGPU adapter. */
  static async create(input: WebGpuAttentionOptions = {}): Promise<WebGpuAttention> {
    const options = checkOptions(input, 'options');
    if (options.device !== undefined) checkDevice(options.device);
    if (options.gpu !== undefined) checkGpuEntry(options.gpu, 'options.gpu');
    if (options.powerPreference !== undefined) checkChoice(options.powerPreference, 'options.powerPreference', ['low-power', 'high-performance'] as const);
    if (options.device) return new WebGpuAttention(options.device, { vendor: '', architecture: '', description: 'provided device' }, false);
    const gpu = (options.gpu ?? navigatorGpu()) as GPU | undefined;
    if (!gpu) throw new ChunkwiseError('UNSUPPORTED', 'WebGPU is not available here (no navigator.gpu); pass options.gpu or use a CPU backend.');
    const adapter: unknown = await fromGpu('requestAdapter()', () => gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined));
    if (!adapter) throw new ChunkwiseError('UNSUPPORTED', 'WebGPU has no adapter here (requestAdapter() returned null); use a CPU backend.');
    if (!isAdapter(adapter)) throw new ChunkwiseError('UPSTREAM', `requestAdapter() returned ${describeValue(adapter)}, not a GPUAdapter.`);
    // Large inputs need the adapter's real buffer limits, not the 128/256 MiB defaults.
    const device: unknown = await fromGpu('requestDevice()', () =>
      adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
        },
      }),
    );
    if (!isDevice(device)) throw new ChunkwiseError('UPSTREAM', `requestDevice() returned ${describeValue(device)}, not a GPUDevice.`);
    const info = adapter.info as GPUAdapterInfo | undefined;
    return new WebGpuAttention(device, {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      description: info?.description ?? '',
    }, true);
  }

  /**
   * The same contract as `attention()`: `kernel` `'flash'` runs one pass, `'decode'` splits the
   * keys into `splitK`-sized runs merged by LSE, `'auto'` splits only when heads × query tiles
   * leave the GPU idle; `'reference'` is not a GPU kernel. Tile sizes are the backend's own
   * (64 query rows; as many keys as fit in 16 KiB of workgroup memory), so `blockQ`/`blockK` are
   * ignored.
   */
  async attention(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    shape: AttentionShape,
    options: AttentionOptions = {},
  ): Promise<AttentionResult> {
    const { resolved, kernel } = prepareAttentionCall(q, k, v, shape, options);
    if (kernel === 'reference') throw new ChunkwiseError('UNSUPPORTED', 'The reference kernel runs only on the CPU; use attention().');
    const { heads, seqQ, headDim } = shape;
    if (headDim > GPU_MAX_HEAD_DIM) {
      throw new ChunkwiseError('UNSUPPORTED', `The WebGPU backend handles headDim ≤ ${GPU_MAX_HEAD_DIM}, got ${headDim}.`);
    }
    const blockK = gpuBlockK(headDim);
    const plan = buildTileSchedule(shape, resolved, GPU_BLOCK_Q, blockK);
    const splitTiles = Math.max(1, Math.floor(resolved.splitK / blockK));
    const wantsSplit = kernel === 'decode' || (kernel === 'auto' && heads * plan.qTiles < MIN_WORKGROUPS);
    const tilesPerSplit = wantsSplit ? splitTiles : Math.max(1, plan.maxEntries);
    const splits = Math.max(1, Math.ceil(plan.maxEntries / tilesPerSplit));
    if (plan.qTiles * splits > MAX_WORKGROUPS_PER_DIMENSION || heads > MAX_WORKGROUPS_PER_DIMENSION) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `Too many workgroups (${plan.qTiles} query tiles × ${splits} splits); raise splitK.`);
    }

    const rowsTotal = heads * seqQ;
    const outBytes = splits * rowsTotal * headDim * 4;
    const lseBytes = splits * rowsTotal * 4;
    const limit = this.gpuDevice.limits.maxStorageBufferBindingSize;
    for (const [name, bytes] of [['q', q.byteLength], ['k', k.byteLength], ['v', v.byteLength], ['output', outBytes]] as const) {
      if (bytes > limit) {
        throw new ChunkwiseError('LIMIT_EXCEEDED', `${name} needs ${bytes} bytes; this GPU binds at most ${limit} per buffer.`);
      }
    }

    const device = this.gpuDevice;
    const created: GPUBuffer[] = [];
    const upload = (data: Float32Array | Uint32Array): GPUBuffer => {
      const buffer = device.createBuffer({ size: Math.max(16, data.byteLength), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
      if (data.byteLength > 0) device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
      created.push(buffer);
      return buffer;
    };
    const buffer = (size: number, usage: number): GPUBuffer => {
      const made = device.createBuffer({ size: Math.max(16, size), usage });
      created.push(made);
      return made;
    };
    device.pushErrorScope('validation');
    let scoped = true;
    try {
      const params = new ArrayBuffer(48);
      new Uint32Array(params, 0, 8).set([heads, shape.kvHeads, seqQ, shape.seqK, resolved.queryOffset, plan.qTiles, tilesPerSplit, rowsTotal]);
      new Float32Array(params, 32, 1)[0] = resolved.scale;
      const uniform = buffer(48, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
      device.queue.writeBuffer(uniform, 0, params);
      const out = buffer(outBytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
      const lse = buffer(lseBytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
      const pipeline = this.pipeline(headDim);
      const bindings = [uniform, upload(q), upload(k), upload(v), upload(plan.schedule), upload(plan.bits), out, lse];
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: bindings.map((resource, binding) => ({ binding, resource: { buffer: resource } })),
      });
      const readOut = buffer(outBytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
      const readLse = buffer(lseBytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(plan.qTiles * splits, heads);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, readOut, 0, outBytes);
      encoder.copyBufferToBuffer(lse, 0, readLse, 0, lseBytes);
      device.queue.submit([encoder.finish()]);
      scoped = false;
      const error = await device.popErrorScope();
      if (error) {
        this.pipelines.delete(headDim);
        throw new ChunkwiseError('UPSTREAM', `WebGPU rejected the attention dispatch: ${error.message}`);
      }
      await Promise.all([readOut.mapAsync(MAP_MODE_READ), readLse.mapAsync(MAP_MODE_READ)]);
      const outputs = new Float32Array(readOut.getMappedRange().slice(0));
      const lses = new Float32Array(readLse.getMappedRange().slice(0));
      for (let i = 0; i < lses.length; i++) if ((lses[i] as number) <= GPU_NO_SCORE) lses[i] = Number.NEGATIVE_INFINITY;

      const rowFloats = rowsTotal * headDim;
      const parts = Array.from({ length: splits }, (_, s) => ({
        output: outputs.subarray(s * rowFloats, (s + 1) * rowFloats),
        lse: lses.subarray(s * rowsTotal, (s + 1) * rowsTotal),
      }));
      const merged = splits === 1 ? { output: outputs, lse: lses } : mergeAttentionStates(parts, headDim);
      return resolved.returnLse ? { output: merged.output, lse: merged.lse } : { output: merged.output };
    } finally {
      if (scoped) void device.popErrorScope();
      for (const made of created) made.destroy();
    }
  }

  /** Releases the device (only when this instance requested it). */
  destroy(): void {
    this.pipelines.clear();
    if (this.ownsDevice) this.gpuDevice.destroy();
  }

  private pipeline(headDim: number): GPUComputePipeline {
    let pipeline = this.pipelines.get(headDim);
    if (!pipeline) {
      const module = this.gpuDevice.createShaderModule({ code: flashShaderSource(headDim) });
      pipeline = this.gpuDevice.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(headDim, pipeline);
    }
    return pipeline;
  }
}
