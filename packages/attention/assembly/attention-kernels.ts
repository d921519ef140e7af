// AssemblyScript source of the WebAssembly SIMD hot loops. `scripts/build-wasm.mjs` compiles it
// with `asc --enable simd` and embeds the binary in src/wasm/generated/, so the package ships the
// module and never downloads anything. The JS side (src/wasm/wasm-tile-engine.ts) owns memory
// layout; every pointer here is a byte offset into the exported memory.
//
// One call = one FlashAttention-2 step (arXiv 2307.08691 Alg. 1) for a tile of query rows against a
// tile of keys: S = Q·Kᵀ, online-softmax update of (m, l), acc = acc·e^(m−m') + P·V.
// Q is pre-scaled, K is stored transposed ([dp][ktStride]) so four query rows × eight keys
// accumulate in eight f32x4 registers without horizontal sums.

const NOT_CAUSAL: i32 = i32.MIN_VALUE;
const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

// exp(x) for x ≤ 0 on four lanes: Cody–Waite range reduction and a degree-6 Taylor polynomial
// (relative error < 2e-7 on |r| ≤ ln2/2). Lanes below −87 (including −∞ = masked) become 0.
// @ts-ignore: decorator
@inline
function exp4(x: v128): v128 {
  const tooSmall = f32x4.lt(x, f32x4.splat(-87.0));
  const clamped = f32x4.max(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(LOG2E)));
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  const bits = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, bits), tooSmall);
}

// S[r][j] = Σ_c Q[r][c]·Kt[c][kStart + j] for r < rowsPad (multiple of 4), j < colsPad (multiple of 8).
// In mode 1 (`causalLast` ≠ NOT_CAUSAL) row r sees keys j ≤ causalLast + r: each group of four rows
// stops at the first multiple of eight past its last visible key, halving the diagonal tiles' work.
function scores(qPtr: usize, rowsPad: i32, ktPtr: usize, ktStride: i32, kStart: i32, colsPad: i32, dp: i32, sPtr: usize, sStride: i32, causalLast: i32): void {
  const qRow = <usize>dp << 2;
  const ktRow = <usize>ktStride << 2;
  for (let r = 0; r < rowsPad; r += 4) {
    const q0 = qPtr + <usize>r * qRow;
    const cols = causalLast == NOT_CAUSAL ? colsPad : min(colsPad, max(causalLast + r + 4 + 7, 0) & ~7);
    for (let j = 0; j < cols; j += 8) {
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
      let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let kp = ktPtr + (<usize>(kStart + j) << 2);
      let qp = q0;
      for (let c = 0; c < dp; c++) {
        const k0 = v128.load(kp);
        const k1 = v128.load(kp, 16);
        const s0 = v128.load32_splat(qp);
        const s1 = v128.load32_splat(qp + qRow);
        const s2 = v128.load32_splat(qp + 2 * qRow);
        const s3 = v128.load32_splat(qp + 3 * qRow);
        a00 = f32x4.add(a00, f32x4.mul(s0, k0)); a01 = f32x4.add(a01, f32x4.mul(s0, k1));
        a10 = f32x4.add(a10, f32x4.mul(s1, k0)); a11 = f32x4.add(a11, f32x4.mul(s1, k1));
        a20 = f32x4.add(a20, f32x4.mul(s2, k0)); a21 = f32x4.add(a21, f32x4.mul(s2, k1));
        a30 = f32x4.add(a30, f32x4.mul(s3, k0)); a31 = f32x4.add(a31, f32x4.mul(s3, k1));
        kp += ktRow;
        qp += 4;
      }
      const out = sPtr + ((<usize>r * <usize>sStride + <usize>j) << 2);
      const sRow = <usize>sStride << 2;
      v128.store(out, a00); v128.store(out, a01, 16);
      v128.store(out + sRow, a10); v128.store(out + sRow, a11, 16);
      v128.store(out + 2 * sRow, a20); v128.store(out + 2 * sRow, a21, 16);
      v128.store(out + 3 * sRow, a30); v128.store(out + 3 * sRow, a31, 16);
    }
  }
}

// acc[r][0:dp] += Σ_j P[r][j]·V[kStart + j][0:dp], four rows × eight dims per pass: eight
// accumulators + two V vectors + one splat fit the sixteen XMM registers V8 allocates on x64
// (a 4 × 16 block spilled and ran 2.3× slower than the score loop).
// `causalLast` as in scores(): a group's probabilities past its last visible key are zero, so skip them.
function accumulate(sPtr: usize, sStride: i32, rowsPad: i32, vPtr: usize, kStart: i32, kCount: i32, dp: i32, accPtr: usize, causalLast: i32): void {
  const vRow = <usize>dp << 2;
  const sRow = <usize>sStride << 2;
  for (let r = 0; r < rowsPad; r += 4) {
    const p0 = sPtr + <usize>r * sRow;
    const acc0 = accPtr + <usize>r * vRow;
    const acc1 = acc0 + vRow;
    const acc2 = acc1 + vRow;
    const acc3 = acc2 + vRow;
    const keys = causalLast == NOT_CAUSAL ? kCount : min(kCount, causalLast + r + 4);
    let c = 0;
    for (; c + 8 <= dp; c += 8) {
      const off = <usize>c << 2;
      let x00 = v128.load(acc0 + off), x01 = v128.load(acc0 + off, 16);
      let x10 = v128.load(acc1 + off), x11 = v128.load(acc1 + off, 16);
      let x20 = v128.load(acc2 + off), x21 = v128.load(acc2 + off, 16);
      let x30 = v128.load(acc3 + off), x31 = v128.load(acc3 + off, 16);
      let vp = vPtr + <usize>kStart * vRow + off;
      let pj = p0;
      for (let j = 0; j < keys; j++) {
        const v0 = v128.load(vp);
        const v1 = v128.load(vp, 16);
        let s = v128.load32_splat(pj);
        x00 = f32x4.add(x00, f32x4.mul(s, v0)); x01 = f32x4.add(x01, f32x4.mul(s, v1));
        s = v128.load32_splat(pj + sRow);
        x10 = f32x4.add(x10, f32x4.mul(s, v0)); x11 = f32x4.add(x11, f32x4.mul(s, v1));
        s = v128.load32_splat(pj + 2 * sRow);
        x20 = f32x4.add(x20, f32x4.mul(s, v0)); x21 = f32x4.add(x21, f32x4.mul(s, v1));
        s = v128.load32_splat(pj + 3 * sRow);
        x30 = f32x4.add(x30, f32x4.mul(s, v0)); x31 = f32x4.add(x31, f32x4.mul(s, v1));
        vp += vRow;
        pj += 4;
      }
      v128.store(acc0 + off, x00); v128.store(acc0 + off, x01, 16);
      v128.store(acc1 + off, x10); v128.store(acc1 + off, x11, 16);
      v128.store(acc2 + off, x20); v128.store(acc2 + off, x21, 16);
      v128.store(acc3 + off, x30); v128.store(acc3 + off, x31, 16);
    }
    for (; c < dp; c += 4) {
      const off = <usize>c << 2;
      let x0 = v128.load(acc0 + off), x1 = v128.load(acc1 + off), x2 = v128.load(acc2 + off), x3 = v128.load(acc3 + off);
      let vp = vPtr + <usize>kStart * vRow + off;
      let pj = p0;
      for (let j = 0; j < keys; j++) {
        const v0 = v128.load(vp);
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(pj), v0));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(pj + sRow), v0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(pj + 2 * sRow), v0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(pj + 3 * sRow), v0));
        vp += vRow;
        pj += 4;
      }
      v128.store(acc0 + off, x0); v128.store(acc1 + off, x1); v128.store(acc2 + off, x2); v128.store(acc3 + off, x3);
    }
  }
}

/**
 * One online-softmax step. mode 0: every key visible; 1: causal, key position kPos0 + j must not
 * exceed query position qPos0 + r; 2: byte mask at maskPtr, row-major rows × kCount, 0 = hidden.
 * Rows in [rows, rowsPad) are padding: their probabilities are zeroed so they add nothing.
 */
export function flashTile(
  qPtr: usize, rows: i32, rowsPad: i32,
  ktPtr: usize, ktStride: i32, vPtr: usize, kStart: i32, kCount: i32, dp: i32,
  sPtr: usize, sStride: i32, mPtr: usize, lPtr: usize, accPtr: usize,
  mode: i32, maskPtr: usize, qPos0: i32, kPos0: i32,
): void {
  const colsPad = (kCount + 7) & ~7;
  // Mode 1 tiles sit on the causal diagonal: row r's last visible key is qPos0 + r − kPos0.
  const causalLast = mode == 1 ? qPos0 - kPos0 : NOT_CAUSAL;
  scores(qPtr, rowsPad, ktPtr, ktStride, kStart, colsPad, dp, sPtr, sStride, causalLast);
  const cols4 = (kCount + 3) & ~3;
  const sRow = <usize>sStride << 2;
  const accRow = <usize>dp << 2;
  for (let r = 0; r < rowsPad; r++) {
    const row = sPtr + <usize>r * sRow;
    if (r >= rows) {
      memory.fill(row, 0, <usize>cols4 << 2);
      continue;
    }
    if (mode == 1) {
      const last = qPos0 + r - kPos0; // keys j > last are in the future
      for (let j = max(last + 1, 0); j < kCount; j++) store<f32>(row + (<usize>j << 2), -Infinity);
    } else if (mode == 2) {
      const maskRow = maskPtr + <usize>r * <usize>kCount;
      for (let j = 0; j < kCount; j++) {
        if (load<u8>(maskRow + <usize>j) == 0) store<f32>(row + (<usize>j << 2), -Infinity);
      }
    }
    for (let j = kCount; j < cols4; j++) store<f32>(row + (<usize>j << 2), -Infinity);
    let vmax = f32x4.splat(-Infinity);
    for (let j = 0; j < cols4; j += 4) vmax = f32x4.max(vmax, v128.load(row + (<usize>j << 2)));
    const tileMax = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    const mAt = mPtr + (<usize>r << 2);
    const lAt = lPtr + (<usize>r << 2);
    if (tileMax == -Infinity) {
      memory.fill(row, 0, <usize>cols4 << 2);
      continue;
    }
    const mOld = load<f32>(mAt);
    const mNew = max(mOld, tileMax);
    if (mNew > mOld) {
      const correction = Mathf.exp(mOld - mNew);
      store<f32>(lAt, load<f32>(lAt) * correction);
      const corr = f32x4.splat(correction);
      const acc = accPtr + <usize>r * accRow;
      for (let c = 0; c < dp; c += 4) {
        const at = acc + (<usize>c << 2);
        v128.store(at, f32x4.mul(v128.load(at), corr));
      }
      store<f32>(mAt, mNew);
    }
    const shift = f32x4.splat(mNew);
    // Two independent exp chains per pass: the polynomial is a serial chain, so this doubles ILP.
    let vsum = f32x4.splat(0);
    let vsum2 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= cols4; j += 8) {
      const at = row + (<usize>j << 2);
      const p = exp4(f32x4.sub(v128.load(at), shift));
      const p2 = exp4(f32x4.sub(v128.load(at, 16), shift));
      v128.store(at, p);
      v128.store(at, p2, 16);
      vsum = f32x4.add(vsum, p);
      vsum2 = f32x4.add(vsum2, p2);
    }
    if (j < cols4) {
      const at = row + (<usize>j << 2);
      const p = exp4(f32x4.sub(v128.load(at), shift));
      v128.store(at, p);
      vsum = f32x4.add(vsum, p);
    }
    vsum = f32x4.add(vsum, vsum2);
    const sum = f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1) + f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3);
    store<f32>(lAt, load<f32>(lAt) + sum);
  }
  accumulate(sPtr, sStride, rowsPad, vPtr, kStart, kCount, dp, accPtr, causalLast);
}

/**
 * `flashTile` over the loaded keys [start, end) in tiles of `blockK`, tile t's transposed keys at
 * ktBase + t·tileBytes. Without `causal` every tile is visible (mode 0); with it a tile whose last
 * key is at or before the first query's position is visible and the rest compare on the diagonal
 * (mode 1). One call per query tile instead of one per key tile: a JS→wasm call with this many
 * arguments costs about as much as a small tile.
 */
export function flashTiles(
  qPtr: usize, rows: i32, rowsPad: i32,
  ktBase: usize, tileBytes: i32, ktStride: i32, vPtr: usize, start: i32, end: i32, blockK: i32, dp: i32,
  sPtr: usize, sStride: i32, mPtr: usize, lPtr: usize, accPtr: usize,
  causal: i32, qPos0: i32, kPosBase: i32,
): void {
  for (let kStart = start; kStart < end; kStart += blockK) {
    const kCount = min(blockK, end - kStart);
    const kPos0 = kPosBase + kStart;
    const mode = causal != 0 && kPos0 + kCount - 1 > qPos0 ? 1 : 0;
    const ktTile = ktBase + <usize>(kStart / blockK) * <usize>tileBytes - (<usize>kStart << 2);
    flashTile(qPtr, rows, rowsPad, ktTile, ktStride, vPtr, kStart, kCount, dp, sPtr, sStride, mPtr, lPtr, accPtr, mode, 0, qPos0, kPos0);
  }
}

/** Scales `count` floats at qPtr in place (Q is pre-scaled once per query tile). */
export function scaleFloats(ptr: usize, count: i32, scale: f32): void {
  const factor = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = ptr + (<usize>i << 2);
    v128.store(at, f32x4.mul(v128.load(at), factor));
  }
  for (; i < count; i++) {
    const at = ptr + (<usize>i << 2);
    store<f32>(at, load<f32>(at) * scale);
  }
}

/** acc[r] ÷= l[r] for each row in place; rows whose l is 0 saw no key and become zeros. */
export function normalizeRows(accPtr: usize, lPtr: usize, rows: i32, dp: i32): void {
  const accRow = <usize>dp << 2;
  for (let r = 0; r < rows; r++) {
    const l = load<f32>(lPtr + (<usize>r << 2));
    const inverse = f32x4.splat(l == 0 ? 0 : 1 / l);
    const acc = accPtr + <usize>r * accRow;
    for (let c = 0; c < dp; c += 4) {
      const at = acc + (<usize>c << 2);
      v128.store(at, f32x4.mul(v128.load(at), inverse));
    }
  }
}

/** A tight multiply-add loop over registers: the machine's f32x4 peak for the benchmark. */
export function simdPeak(iterations: i32): f32 {
  let a0 = f32x4.splat(1.0), a1 = f32x4.splat(1.1), a2 = f32x4.splat(1.2), a3 = f32x4.splat(1.3);
  let a4 = f32x4.splat(1.4), a5 = f32x4.splat(1.5), a6 = f32x4.splat(1.6), a7 = f32x4.splat(1.7);
  const m = f32x4.splat(0.999999);
  const b = f32x4.splat(0.000001);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), b); a1 = f32x4.add(f32x4.mul(a1, m), b);
    a2 = f32x4.add(f32x4.mul(a2, m), b); a3 = f32x4.add(f32x4.mul(a3, m), b);
    a4 = f32x4.add(f32x4.mul(a4, m), b); a5 = f32x4.add(f32x4.mul(a5, m), b);
    a6 = f32x4.add(f32x4.mul(a6, m), b); a7 = f32x4.add(f32x4.mul(a7, m), b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** First free byte after the module's static data (Mathf.exp's table); JS places buffers from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
