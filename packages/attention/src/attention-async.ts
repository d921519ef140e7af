import { checkOptions } from './argument-checks.js';
import { attention, defaultBackend } from './attention.js';
import { prepareAttentionCall, type AttentionOptions, type AttentionResult } from './attention-options.js';
import type { AttentionShape } from './attention-shape.js';
import { checkGpuEntry, navigatorGpu, WebGpuAttention } from './webgpu/webgpu-attention.js';
import type { WebGpuEntry } from './webgpu/webgpu-types.js';

export interface AsyncAttentionOptions extends AttentionOptions {
  /**
   * The WebGPU entry point (default `navigator.gpu`), or a ready `WebGpuAttention`. Used by
   * `backend: 'webgpu'`, and by `'auto'` when it yields an adapter.
   */
  gpu?: WebGpuEntry | WebGpuAttention;
}

export interface AsyncAttentionResult extends AttentionResult {
  /** Where the call ran. */
  backend: 'webgpu' | 'wasm' | 'js';
}

const devices = new WeakMap<WebGpuEntry, Promise<WebGpuAttention | undefined>>();

/**
 * `attention()` with the WebGPU backend available. `backend: 'webgpu'` runs the WGSL kernel and
 * throws `UNSUPPORTED` where there is no adapter; `'auto'` runs it when `options.gpu` or
 * `navigator.gpu` yields an adapter and otherwise runs the CPU kernels exactly as `attention()`
 * (WebAssembly SIMD, else plain JS). One device per `GPU` object is requested once and reused.
 */
export async function attentionAsync(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  shape: AttentionShape,
  options: AsyncAttentionOptions = {},
): Promise<AsyncAttentionResult> {
  const { gpu, ...rest } = checkOptions(options, 'options');
  if (gpu !== undefined && !(gpu instanceof WebGpuAttention)) checkGpuEntry(gpu, 'options.gpu');
  // Bad input is INVALID_ARGUMENT whichever backend would have run it.
  prepareAttentionCall(q, k, v, shape, rest);
  const backend = rest.backend ?? 'auto';
  const gpuKernel = rest.kernel !== 'reference';
  if (backend === 'webgpu' || (backend === 'auto' && gpuKernel)) {
    const runner = await webGpuFor(gpu, backend === 'webgpu');
    if (runner) return { ...(await runner.attention(q, k, v, shape, { ...rest, backend: 'webgpu' })), backend: 'webgpu' };
  }
  const result = attention(q, k, v, shape, rest);
  const cpu = backend === 'wasm' || backend === 'js' ? backend : defaultBackend();
  return { ...result, backend: rest.kernel === 'reference' ? 'js' : cpu };
}

/** Whether `attentionAsync(..., { backend: 'auto' })` would run on a GPU here. */
export async function webgpuAvailable(gpu?: WebGpuEntry): Promise<boolean> {
  if (gpu !== undefined) checkGpuEntry(gpu, 'gpu');
  return (await webGpuFor(gpu, false)) !== undefined;
}

async function webGpuFor(gpu: WebGpuEntry | WebGpuAttention | undefined, required: boolean): Promise<WebGpuAttention | undefined> {
  if (gpu instanceof WebGpuAttention) return gpu;
  const entry = gpu ?? navigatorGpu();
  if (!entry) return required ? WebGpuAttention.create({}) : undefined;
  let pending = devices.get(entry);
  if (!pending) {
    pending = WebGpuAttention.create({ gpu: entry }).catch(() => undefined);
    devices.set(entry, pending);
  }
  const runner = await pending;
  // Re-request so the caller gets the real reason (no adapter, device refused).
  if (!runner && required) return WebGpuAttention.create({ gpu: entry });
  return runner;
}
