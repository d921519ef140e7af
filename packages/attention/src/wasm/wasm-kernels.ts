import { ATTENTION_KERNELS_WASM_BASE64 } from './generated/attention-kernels.js';

/** The exports of assembly/attention-kernels.ts. Pointers are byte offsets into `memory`. */
export interface WasmKernelExports {
  memory: WebAssembly.Memory;
  flashTile(
    qPtr: number, rows: number, rowsPad: number,
    ktPtr: number, ktStride: number, vPtr: number, kStart: number, kCount: number, dp: number,
    sPtr: number, sStride: number, mPtr: number, lPtr: number, accPtr: number,
    mode: number, maskPtr: number, qPos0: number, kPos0: number,
  ): void;
  /** `flashTile` for key tiles whose values hold a NaN or ±Inf (hidden keys add exactly nothing). */
  flashTileGuarded: WasmKernelExports['flashTile'];
  flashTiles(
    qPtr: number, rows: number, rowsPad: number,
    ktBase: number, tileBytes: number, ktStride: number, vPtr: number, start: number, end: number, blockK: number, dp: number,
    sPtr: number, sStride: number, mPtr: number, lPtr: number, accPtr: number,
    causal: number, qPos0: number, kPosBase: number, guardPtr: number,
  ): void;
  allFinite(ptr: number, count: number): number;
  packQueries(src: number, rows: number, rowsPad: number, d: number, dp: number, scale: number, dst: number): void;
  packKeyTile(src: number, count: number, d: number, dp: number, stride: number, dst: number): void;
  normalizeRows(accPtr: number, lPtr: number, rows: number, dp: number): void;
  simdPeak(iterations: number): number;
  heapBase(): number;
}

let compiled: WebAssembly.Module | null | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(ATTENTION_KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The compiled kernel module, or null where WebAssembly SIMD is unavailable. Compiles
 * synchronously (fine in Node and workers; browsers' main threads may refuse large synchronous
 * compiles, so call `initWasm()` there first).
 */
export function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(wasmBytes()) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Compiles the WebAssembly SIMD kernels asynchronously; resolves to whether they are usable. */
export async function initWasm(): Promise<boolean> {
  if (compiled !== undefined) return compiled !== null;
  try {
    compiled = await WebAssembly.compile(wasmBytes());
  } catch {
    compiled = null;
  }
  return compiled !== null;
}

/** True when the WebAssembly SIMD backend can run here (compiling it on first call). */
export function wasmAvailable(): boolean {
  return wasmModule() !== null;
}

/** A fresh instance with its own memory (one per engine, so engines never share scratch). */
export function instantiateKernels(module: WebAssembly.Module): WasmKernelExports {
  const instance = new WebAssembly.Instance(module, {});
  return instance.exports as unknown as WasmKernelExports;
}

/** Instances whose memory grew beyond this are dropped on release rather than kept. */
const KEEP_MEMORY_BYTES = 64 * 1024 * 1024;
let idle: WasmKernelExports | undefined;

/**
 * An instance for one engine: the idle one a finished call released, or a fresh one. Reusing it
 * skips instantiation and memory growth (about 0.15 ms a call, more for long keys). Engines lay
 * out and reset everything they read, so nothing carries over between calls.
 */
export function acquireKernels(module: WebAssembly.Module): WasmKernelExports {
  const kernels = idle ?? instantiateKernels(module);
  idle = undefined;
  return kernels;
}

/** Hands an instance back for the next `acquireKernels`; the caller must not use it again. */
export function releaseKernels(kernels: WasmKernelExports): void {
  if (kernels.memory.buffer.byteLength <= KEEP_MEMORY_BYTES) idle = kernels;
}
