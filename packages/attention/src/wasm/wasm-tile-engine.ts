import { ChunkwiseError } from '@chunkwise/core';
import type { TileEngine, TileEngineConfig } from '../tile-engine.js';
import { acquireKernels, releaseKernels, wasmModule, type WasmKernelExports } from './wasm-kernels.js';

const PAGE = 65536;
/** WebAssembly memory the engine may grow to (wasm32 stops at 4 GiB). */
const MAX_MEMORY_BYTES = 2 ** 32 - PAGE;
const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/**
 * Drives the WebAssembly SIMD `flashTile` kernel. Keys are copied into wasm memory once per KV
 * head, tile by tile on first use, transposed per key tile (`[tile][dim][blockK]`, so one tile's keys sit in a few
 * contiguous KiB instead of one page per dimension at long lengths) and zero-padded to a multiple
 * of four dimensions; the copy is O(n·d) against the kernel's O(n²·d). Tiles must start at
 * multiples of `blockK` in the loaded key order, which the tiling loop guarantees.
 */
export class WasmTileEngine implements TileEngine {
  private readonly kernels: WasmKernelExports;
  private readonly d: number;
  private readonly dp: number;
  private readonly scale: number;
  private readonly blockQ: number;
  private readonly blockK: number;
  /** Floats between consecutive dimensions inside one transposed key tile. */
  private readonly tileStride: number;
  private readonly rowsCapacity: number;
  private readonly sStride: number;
  // Byte offsets of the fixed regions.
  private readonly qPtr: number;
  private readonly qRawPtr: number;
  private readonly kRawPtr: number;
  private readonly sPtr: number;
  private readonly mPtr: number;
  private readonly lPtr: number;
  private readonly accPtr: number;
  private readonly maskPtr: number;
  private readonly keysPtr: number;
  private ktPtr = 0;
  private vPtr = 0;
  /**
   * One byte per loaded key tile: 0 not yet checked, 1 its values are finite, 2 they hold a NaN
   * or ±Inf (then masked tiles accumulate through the kernel's guarded path).
   */
  private guardPtr = 0;
  private rows = 0;
  private source: { k: Float32Array; v: Float32Array; base: number; count: number; index: Int32Array | undefined } = {
    k: new Float32Array(0),
    v: new Float32Array(0),
    base: 0,
    count: 0,
    index: undefined,
  };
  private tileLoaded = new Uint8Array(0);
  private f32!: Float32Array;
  private u8!: Uint8Array;

  constructor(config: TileEngineConfig) {
    const module = wasmModule();
    if (!module) throw new ChunkwiseError('UNSUPPORTED', 'WebAssembly SIMD is not available in this environment; use backend "js".');
    this.kernels = acquireKernels(module);
    this.d = config.headDim;
    this.dp = roundUp(config.headDim, 4);
    this.scale = config.scale;
    this.blockQ = config.blockQ;
    this.blockK = config.blockK;
    this.tileStride = roundUp(config.blockK, 8);
    this.rowsCapacity = roundUp(config.blockQ, 4);
    this.sStride = roundUp(config.blockK, 8);
    // Start after the module's static data.
    let at = this.kernels.heapBase();
    const region = (bytes: number) => {
      const start = at;
      at = roundUp(at + bytes, 16);
      return start;
    };
    this.qPtr = region(this.rowsCapacity * this.dp * 4);
    this.qRawPtr = region(this.rowsCapacity * this.d * 4);
    this.kRawPtr = region(this.blockK * this.d * 4);
    this.sPtr = region(this.rowsCapacity * this.sStride * 4);
    this.mPtr = region(this.rowsCapacity * 4);
    this.lPtr = region(this.rowsCapacity * 4);
    this.accPtr = region(this.rowsCapacity * this.dp * 4);
    this.maskPtr = region(this.rowsCapacity * this.sStride);
    this.keysPtr = at;
    this.ensure(at);
  }

  private ensure(bytes: number): void {
    const memory = this.kernels.memory;
    if (memory.buffer.byteLength < bytes) {
      // wasm32 addresses 4 GiB; the engine grows toward it only as far as the engine allows.
      const pages = Math.ceil((bytes - memory.buffer.byteLength) / PAGE);
      try {
        if (bytes > MAX_MEMORY_BYTES) throw new RangeError('beyond wasm32');
        memory.grow(pages);
      } catch {
        throw new ChunkwiseError('LIMIT_EXCEEDED', `The WebAssembly kernel needs ${bytes} bytes of memory for these keys and tiles, more than it can have here; use backend "js", fewer keys per call (splitK with kernel "decode") or smaller blocks.`);
      }
    }
    this.f32 = new Float32Array(memory.buffer);
    this.u8 = new Uint8Array(memory.buffer);
  }

  loadKeys(k: Float32Array, v: Float32Array, base: number, count: number, index?: Int32Array): void {
    const { dp, blockK, tileStride } = this;
    const tiles = Math.ceil(count / blockK);
    this.ktPtr = this.keysPtr;
    this.vPtr = roundUp(this.ktPtr + tiles * dp * tileStride * 4, 16);
    this.guardPtr = this.vPtr + count * dp * 4;
    this.ensure(this.guardPtr + tiles);
    this.u8.fill(0, this.guardPtr, this.guardPtr + tiles);
    // Tiles are copied in on first use (`tile`), so a sparse mask pays only for the keys it touches.
    this.source = { k, v, base, count, index };
    if (this.tileLoaded.length < tiles) this.tileLoaded = new Uint8Array(tiles);
    else this.tileLoaded.fill(0, 0, tiles);
  }

  private loadTile(tile: number): void {
    const { d, dp, blockK, tileStride, f32 } = this;
    const { k, v, base, count, index } = this.source;
    const kt = this.ktPtr + tile * dp * tileStride * 4;
    const vOut = this.vPtr >> 2;
    const first = tile * blockK;
    const last = Math.min(count, first + blockK);
    // Key rows are staged in wasm memory (one block copy, or one per gathered row) and the kernel
    // transposes them; contiguous values copy in one block.
    const kRaw = this.kRawPtr >> 2;
    if (index) {
      for (let j = first; j < last; j++) {
        const from = base + (index[j] as number) * d;
        const at = kRaw + (j - first) * d;
        for (let c = 0; c < d; c++) f32[at + c] = k[from + c] as number;
      }
    } else {
      f32.set(k.subarray(base + first * d, base + last * d), kRaw);
    }
    this.kernels.packKeyTile(this.kRawPtr, last - first, d, dp, tileStride, kt);
    const contiguous = !index && dp === d;
    if (contiguous) {
      f32.set(v.subarray(base + first * d, base + last * d), vOut + first * dp);
    } else {
      for (let j = first; j < last; j++) {
        const from = base + (index ? (index[j] as number) : j) * d;
        const row = vOut + j * dp;
        for (let c = 0; c < d; c++) f32[row + c] = v[from + c] as number;
        // Zero padding dimensions so they add nothing to outputs.
        for (let c = d; c < dp; c++) f32[row + c] = 0;
      }
    }
    this.tileLoaded[tile] = 1;
  }

  loadQueries(q: Float32Array, base: number, rows: number): void {
    const { d, dp, f32 } = this;
    // One block copy of the raw rows; the kernel scales them (to base 2: scale·log₂e) and packs
    // them in groups of four rows, zero-padding dimensions and rows.
    f32.set(q.subarray(base, base + rows * d), this.qRawPtr >> 2);
    this.kernels.packQueries(this.qRawPtr, rows, roundUp(rows, 4), d, dp, this.scale * Math.LOG2E, this.qPtr);
    this.rows = rows;
    f32.fill(Number.NEGATIVE_INFINITY, this.mPtr >> 2, (this.mPtr >> 2) + this.rowsCapacity);
    f32.fill(0, this.lPtr >> 2, (this.lPtr >> 2) + this.rowsCapacity);
    f32.fill(0, this.accPtr >> 2, (this.accPtr >> 2) + this.rowsCapacity * dp);
  }

  maskBuffer(): Uint8Array {
    return this.u8.subarray(this.maskPtr, this.maskPtr + this.rowsCapacity * this.sStride);
  }

  tile(start: number, count: number, mode: 0 | 1 | 2, qPos0: number, kPos0: number): void {
    const tile = start / this.blockK;
    if (!Number.isInteger(tile)) throw new ChunkwiseError('INVALID_ARGUMENT', `Key tiles must start at multiples of blockK (${this.blockK}), got ${start}.`);
    if (this.tileLoaded[tile] !== 1) this.loadTile(tile);
    // The kernel reads Kᵀ at ktPtr + 4·(start + j) and V at row start + j; shifting the Kᵀ base
    // back by `start` lands it on this tile's own transposed block.
    const ktTile = this.ktPtr + tile * this.dp * this.tileStride * 4 - start * 4;
    // Tiles that hide keys from some rows take the guarded kernel when their values are not all
    // finite; tiles that hide nothing never need it. (Two direct calls: a call through a variable
    // measured 5% slower on masked tiles.)
    if (mode !== 0 && this.holdsNonFinite(tile)) {
      this.kernels.flashTileGuarded(
        this.qPtr, this.rows, roundUp(this.rows, 4),
        ktTile, this.tileStride, this.vPtr, start, count, this.dp,
        this.sPtr, this.sStride, this.mPtr, this.lPtr, this.accPtr,
        mode, this.maskPtr, qPos0, kPos0,
      );
      return;
    }
    this.kernels.flashTile(
      this.qPtr, this.rows, roundUp(this.rows, 4),
      ktTile, this.tileStride, this.vPtr, start, count, this.dp,
      this.sPtr, this.sStride, this.mPtr, this.lPtr, this.accPtr,
      mode, this.maskPtr, qPos0, kPos0,
    );
  }

  /**
   * Whether loaded key tile `tile` holds a NaN or ±Inf value, checked once per load: a scan of
   * blockK·d values against the blockQ·blockK·d multiply-adds of each tile step that uses it.
   */
  private holdsNonFinite(tile: number): boolean {
    const at = this.guardPtr + tile;
    if (this.u8[at] === 0) {
      const first = tile * this.blockK;
      const count = Math.min(this.blockK, this.source.count - first);
      this.u8[at] = this.kernels.allFinite(this.vPtr + first * this.dp * 4, count * this.dp) === 1 ? 1 : 2;
    }
    return this.u8[at] === 2;
  }

  tileRun(start: number, count: number, causal: boolean, qPos0: number, kPos0: number): void {
    const first = start / this.blockK;
    if (!Number.isInteger(first)) throw new ChunkwiseError('INVALID_ARGUMENT', `Key tiles must start at multiples of blockK (${this.blockK}), got ${start}.`);
    const end = start + count;
    for (let tile = first; tile * this.blockK < end; tile++) if (this.tileLoaded[tile] !== 1) this.loadTile(tile);
    this.kernels.flashTiles(
      this.qPtr, this.rows, roundUp(this.rows, 4),
      this.ktPtr, this.dp * this.tileStride * 4, this.tileStride, this.vPtr, start, end, this.blockK, this.dp,
      this.sPtr, this.sStride, this.mPtr, this.lPtr, this.accPtr,
      causal ? 1 : 0, qPos0, kPos0, this.guardPtr,
    );
  }

  finish(out: Float32Array, outBase: number, lse: Float32Array | undefined, lseBase: number): void {
    const { d, dp, f32 } = this;
    const l = this.lPtr >> 2;
    const m = this.mPtr >> 2;
    const acc = this.accPtr >> 2;
    this.kernels.normalizeRows(this.accPtr, this.lPtr, this.rows, dp);
    if (d === dp) out.set(f32.subarray(acc, acc + this.rows * d), outBase);
    else for (let r = 0; r < this.rows; r++) out.set(f32.subarray(acc + r * dp, acc + r * dp + d), outBase + r * d);
    if (!lse) return;
    for (let r = 0; r < this.rows; r++) {
      const denominator = f32[l + r] as number;
      // m is kept in base 2 (scores are in units of log₂e).
      lse[lseBase + r] = denominator === 0 ? Number.NEGATIVE_INFINITY : (f32[m + r] as number) * Math.LN2 + Math.log(denominator);
    }
  }

  /** Returns the wasm instance for reuse by the next engine; this engine must not be used after. */
  release(): void {
    releaseKernels(this.kernels);
  }

  /** Rows per tile this engine was sized for. */
  get capacity(): number {
    return this.blockQ;
  }
}
