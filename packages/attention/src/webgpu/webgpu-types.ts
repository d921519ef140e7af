/**
 * The parts of the WebGPU API this package's public types mention, as minimal structural types.
 * The published declarations then need no DOM or `@webgpu/types` lib, so a Node project with
 * `lib: ["es2022"]` type-checks against them, while `navigator.gpu`, a `GPUDevice` or the `webgpu`
 * package's `create([])` still fit where these are asked for. Inside the package the real WebGPU
 * types are used (see `asGpu`).
 */

/** `'low-power' | 'high-performance'`, as WebGPU's `GPUPowerPreference`. */
export type WebGpuPowerPreference = 'low-power' | 'high-performance';

/** A WebGPU entry point such as `navigator.gpu` (WebGPU's `GPU`). */
export interface WebGpuEntry {
  requestAdapter(options?: { powerPreference?: WebGpuPowerPreference }): Promise<WebGpuAdapterLike | null>;
}

/** What `WebGpuAttention` reads from an adapter (WebGPU's `GPUAdapter`). */
export interface WebGpuAdapterLike {
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxBufferSize: number };
  readonly info?: { readonly vendor: string; readonly architecture: string; readonly description: string };
  requestDevice(descriptor?: object): Promise<WebGpuDeviceLike>;
}

/** A WebGPU device (WebGPU's `GPUDevice`); these are the members the backend relies on. */
export interface WebGpuDeviceLike {
  readonly limits: { readonly maxStorageBufferBindingSize: number };
  readonly queue: object;
  createBuffer(descriptor: { size: number; usage: number }): object;
  createShaderModule(descriptor: { code: string }): object;
  destroy(): void;
}
