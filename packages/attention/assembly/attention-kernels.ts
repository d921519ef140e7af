// AssemblyScript source of the WebAssembly SIMD hot loops. `scripts/build-wasm.mjs` compiles it
// with `asc --enable simd` and embeds the binary in src/wasm/generated/, so the package ships the
// module and never downloads anything. The JS side (src/wasm/wasm-tile-engine.ts) owns memory
// layout; every pointer here is a byte offset into the exported memory.
//
// One call = one FlashAttention-2 step (arXiv 2307.08691 Alg. 1) for a tile of query rows against a
// tile of keys: S = Q·Kᵀ, online-softmax update of (m, l), acc = acc·2^(m−m') + P·V, in base 2.
// Q is pre-scaled by scale·log₂e and packed in groups of four rows ([g][c][4], `packQueries`), K is
// stored transposed ([dp][ktStride]), so four query rows × eight keys accumulate in eight f32x4
// registers without horizontal sums and every load in the inner loops is at a constant offset.
// S and P are key-major per group of four rows, so the softmax works on all four rows at once.

const NOT_CAUSAL: i32 = i32.MIN_VALUE;
// Per-tile state of the values' finiteness (see flashTileGuarded), kept by the JS engine.
const GUARD_UNKNOWN: u8 = 0;
const GUARD_FINITE: u8 = 1;
const GUARD_NON_FINITE: u8 = 2;
// Round-to-nearest by the 1.5·2²³ trick: adding it leaves round(x) in the low mantissa bits.
const ROUND_MAGIC: f32 = 12582912.0;
const MAGIC_BITS: i32 = 0x4b400000;

// 2^x for x ≤ 0 on four lanes. Scores are kept in base 2 (Q is pre-scaled by log₂e), so the range
// reduction is exact: x = n + f with n = round(x), |f| ≤ ½, and 2^f is a degree-5 polynomial
// (near-minimax, relative error 1.9e-7 in float32). Lanes below −126 (including −∞ = masked)
// become 0.
// @ts-ignore: decorator
@inline
function exp2x4(x: v128): v128 {
  const tooSmall = f32x4.lt(x, f32x4.splat(-126.0));
  const clamped = f32x4.pmax(x, f32x4.splat(-126.0));
  const t = f32x4.add(clamped, f32x4.splat(ROUND_MAGIC));
  const n = f32x4.sub(t, f32x4.splat(ROUND_MAGIC));
  const f = f32x4.sub(clamped, n);
  let p = f32x4.splat(0.0013264724984765053);
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.009671512991189957));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.05550733581185341));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.24022242426872253));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.6931470036506653));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0));
  const bits = i32x4.shl(i32x4.add(t, i32x4.splat(127 - MAGIC_BITS)), 23);
  return v128.andnot(f32x4.mul(p, bits), tooSmall);
}

// Keys a group of four rows starting at row r must visit: all of them, or in causal mode up to
// the last key its bottom row sees (row r + i sees keys j ≤ causalLast + r + i).
// @ts-ignore: decorator
@inline
function groupKeys(kCount: i32, causalLast: i32, r: i32): i32 {
  return causalLast == NOT_CAUSAL ? kCount : min(kCount, max(causalLast + r + 4, 0));
}

// S for four query rows at a time, stored key-major per group: S[g][j] is one f32x4 holding key
// j's score for rows 4g … 4g+3, so the softmax runs down the lanes without horizontal work.
// Q is packed the same way ([g][c][4]), so the four row broadcasts and the two K vectors per step
// all sit at constant offsets from two pointers. Each 4 × 8 block (eight f32x4 accumulators) is
// transposed with shuffles on the way out. Only keys < groupKeys(...) rounded up to 8 are computed.
function scores(qPtr: usize, rowsPad: i32, ktPtr: usize, ktStride: i32, kStart: i32, kCount: i32, dp: i32, sPtr: usize, sStride: i32, causalLast: i32): void {
  const ktRow = <usize>ktStride << 2;
  const colsPad = (kCount + 7) & ~7;
  for (let r = 0; r < rowsPad; r += 4) {
    const q0 = qPtr + (<usize>r * <usize>dp << 2);
    const cols = min(colsPad, (groupKeys(kCount, causalLast, r) + 7) & ~7);
    const sGroup = sPtr + (<usize>r * <usize>sStride << 2);
    for (let j = 0; j < cols; j += 8) {
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
      let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let kp = ktPtr + (<usize>(kStart + j) << 2);
      let qp = q0;
      // Bounded by the Q pointer rather than a counter: one instruction less per step (~3%).
      // Unrolling two steps made V8 hoist the loads and spill accumulators (15–30% slower).
      const qEnd = q0 + (<usize>dp << 4);
      while (qp < qEnd) {
        const k0 = v128.load(kp);
        const k1 = v128.load(kp, 16);
        const s0 = v128.load32_splat(qp);
        const s1 = v128.load32_splat(qp, 4);
        const s2 = v128.load32_splat(qp, 8);
        const s3 = v128.load32_splat(qp, 12);
        a00 = f32x4.add(a00, f32x4.mul(s0, k0)); a01 = f32x4.add(a01, f32x4.mul(s0, k1));
        a10 = f32x4.add(a10, f32x4.mul(s1, k0)); a11 = f32x4.add(a11, f32x4.mul(s1, k1));
        a20 = f32x4.add(a20, f32x4.mul(s2, k0)); a21 = f32x4.add(a21, f32x4.mul(s2, k1));
        a30 = f32x4.add(a30, f32x4.mul(s3, k0)); a31 = f32x4.add(a31, f32x4.mul(s3, k1));
        kp += ktRow;
        qp += 16;
      }
      const out = sGroup + (<usize>j << 4);
      transposeStore(out, 16, a00, a10, a20, a30);
      transposeStore(out + 64, 16, a01, a11, a21, a31);
    }
  }
}

// Rows a, b, c, d (four lanes each) → four vectors, one per lane index, each holding the four
// rows; they are stored `step` bytes apart from `out`.
// @ts-ignore: decorator
@inline
function transposeStore(out: usize, step: usize, a: v128, b: v128, c: v128, d: v128): void {
  const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(out + step, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(out + 2 * step, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(out + 3 * step, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// acc[r][0:dp] += Σ_j P[r][j]·V[kStart + j][0:dp], four rows × eight dims per pass: eight
// accumulators + two V vectors + one broadcast fit the sixteen XMM registers V8 allocates on x64
// (a 4 × 16 block spilled and ran 2.3× slower). P is key-major per group (see scores), so the
// four broadcasts of one key sit at constant offsets. Keys past the group's last visible key have
// probability zero and are skipped.
function accumulate(sPtr: usize, sStride: i32, rowsPad: i32, vPtr: usize, kStart: i32, kCount: i32, dp: i32, accPtr: usize, causalLast: i32): void {
  const vRow = <usize>dp << 2;
  for (let r = 0; r < rowsPad; r += 4) {
    const p0 = sPtr + (<usize>r * <usize>sStride << 2);
    const acc0 = accPtr + <usize>r * vRow;
    const acc1 = acc0 + vRow;
    const acc2 = acc1 + vRow;
    const acc3 = acc2 + vRow;
    const keys = groupKeys(kCount, causalLast, r);
    let c = 0;
    for (; c + 8 <= dp; c += 8) {
      const off = <usize>c << 2;
      let x00 = v128.load(acc0 + off), x01 = v128.load(acc0 + off, 16);
      let x10 = v128.load(acc1 + off), x11 = v128.load(acc1 + off, 16);
      let x20 = v128.load(acc2 + off), x21 = v128.load(acc2 + off, 16);
      let x30 = v128.load(acc3 + off), x31 = v128.load(acc3 + off, 16);
      let vp = vPtr + <usize>kStart * vRow + off;
      let pj = p0;
      const pEnd = p0 + (<usize>keys << 4);
      while (pj < pEnd) {
        const v0 = v128.load(vp);
        const v1 = v128.load(vp, 16);
        let s = v128.load32_splat(pj);
        x00 = f32x4.add(x00, f32x4.mul(s, v0)); x01 = f32x4.add(x01, f32x4.mul(s, v1));
        s = v128.load32_splat(pj, 4);
        x10 = f32x4.add(x10, f32x4.mul(s, v0)); x11 = f32x4.add(x11, f32x4.mul(s, v1));
        s = v128.load32_splat(pj, 8);
        x20 = f32x4.add(x20, f32x4.mul(s, v0)); x21 = f32x4.add(x21, f32x4.mul(s, v1));
        s = v128.load32_splat(pj, 12);
        x30 = f32x4.add(x30, f32x4.mul(s, v0)); x31 = f32x4.add(x31, f32x4.mul(s, v1));
        vp += vRow;
        pj += 16;
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
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(pj, 4), v0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(pj, 8), v0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(pj, 12), v0));
        vp += vRow;
        pj += 16;
      }
      v128.store(acc0 + off, x0); v128.store(acc1 + off, x1); v128.store(acc2 + off, x2); v128.store(acc3 + off, x3);
    }
  }
}

// `accumulate` for tiles whose values hold a NaN or ±Inf. A hidden key has probability exactly 0
// in its row's lane, but 0 × NaN and 0 × Inf are NaN, so the fast loop would carry a key the mask
// hides (or a padded key) into the output. Here every (row, key) pair with p = 0 is skipped, as
// the float64 reference skips zero weights. Used only for such tiles, so its speed does not matter.
function accumulateGuarded(sPtr: usize, sStride: i32, rowsPad: i32, vPtr: usize, kStart: i32, kCount: i32, dp: i32, accPtr: usize, causalLast: i32): void {
  const vRow = <usize>dp << 2;
  for (let r = 0; r < rowsPad; r += 4) {
    const p0 = sPtr + (<usize>r * <usize>sStride << 2);
    const keys = groupKeys(kCount, causalLast, r);
    for (let j = 0; j < keys; j++) {
      const vp = vPtr + <usize>(kStart + j) * vRow;
      for (let i = 0; i < 4; i++) {
        const p = load<f32>(p0 + (<usize>j << 4) + (<usize>i << 2));
        if (p == 0) continue;
        const weight = f32x4.splat(p);
        const acc = accPtr + <usize>(r + i) * vRow;
        for (let c = 0; c < dp; c += 4) {
          const off = <usize>c << 2;
          v128.store(acc + off, f32x4.add(v128.load(acc + off), f32x4.mul(weight, v128.load(vp + off))));
        }
      }
    }
  }
}

// Multiplies acc row `row` (dp floats) by `factor`.
// @ts-ignore: decorator
@inline
function scaleRow(row: usize, dp: i32, factor: f32): void {
  const f = f32x4.splat(factor);
  for (let c = 0; c < dp; c += 4) {
    const at = row + (<usize>c << 2);
    v128.store(at, f32x4.mul(v128.load(at), f));
  }
}

/**
 * One online-softmax step, in base 2 (Q pre-scaled by scale·log₂e; m is kept in base 2 too).
 * mode 0: every key visible; 1: causal, key position kPos0 + j must not exceed query position
 * qPos0 + r; 2: byte mask at maskPtr, row-major rows × kCount, 0 = hidden.
 * Rows in [rows, rowsPad) are padding (zero queries): they compute harmless values nobody reads.
 */
export function flashTile(
  qPtr: usize, rows: i32, rowsPad: i32,
  ktPtr: usize, ktStride: i32, vPtr: usize, kStart: i32, kCount: i32, dp: i32,
  sPtr: usize, sStride: i32, mPtr: usize, lPtr: usize, accPtr: usize,
  mode: i32, maskPtr: usize, qPos0: i32, kPos0: i32,
): void {
  const causalLast = softmaxStep(qPtr, rows, rowsPad, ktPtr, ktStride, kStart, kCount, dp, sPtr, sStride, mPtr, lPtr, accPtr, mode, maskPtr, qPos0, kPos0);
  accumulate(sPtr, sStride, rowsPad, vPtr, kStart, kCount, dp, accPtr, causalLast);
}

/**
 * `flashTile` for a tile whose values hold a NaN or ±Inf: a key hidden from a row has probability
 * 0 there, and 0 × NaN or 0 × Inf is NaN, so it accumulates through `accumulateGuarded`. A separate
 * entry point (the softmax step inlined into both) leaves `flashTile`'s code as it was.
 */
export function flashTileGuarded(
  qPtr: usize, rows: i32, rowsPad: i32,
  ktPtr: usize, ktStride: i32, vPtr: usize, kStart: i32, kCount: i32, dp: i32,
  sPtr: usize, sStride: i32, mPtr: usize, lPtr: usize, accPtr: usize,
  mode: i32, maskPtr: usize, qPos0: i32, kPos0: i32,
): void {
  const causalLast = softmaxStep(qPtr, rows, rowsPad, ktPtr, ktStride, kStart, kCount, dp, sPtr, sStride, mPtr, lPtr, accPtr, mode, maskPtr, qPos0, kPos0);
  accumulateGuarded(sPtr, sStride, rowsPad, vPtr, kStart, kCount, dp, accPtr, causalLast);
}

// Scores, mask and online-softmax update of (m, l, acc scaling) for one tile; leaves P in the
// score buffer and returns the tile's causal offset for the accumulation.
// @ts-ignore: decorator
@inline
function softmaxStep(
  qPtr: usize, rows: i32, rowsPad: i32,
  ktPtr: usize, ktStride: i32, kStart: i32, kCount: i32, dp: i32,
  sPtr: usize, sStride: i32, mPtr: usize, lPtr: usize, accPtr: usize,
  mode: i32, maskPtr: usize, qPos0: i32, kPos0: i32,
): i32 {
  // Mode 1 tiles sit on the causal diagonal: row r's last visible key is qPos0 + r − kPos0.
  const causalLast = mode == 1 ? qPos0 - kPos0 : NOT_CAUSAL;
  scores(qPtr, rowsPad, ktPtr, ktStride, kStart, kCount, dp, sPtr, sStride, causalLast);
  const negInf = f32x4.splat(-Infinity);
  const accRow = <usize>dp << 2;
  for (let r = 0; r < rowsPad; r += 4) {
    const group = sPtr + (<usize>r * <usize>sStride << 2);
    const keys = groupKeys(kCount, causalLast, r);
    if (mode == 1) {
      // Only the last few keys of the group can be hidden from some of its rows.
      const limit = i32x4.add(i32x4.splat(causalLast + r), i32x4(0, 1, 2, 3));
      for (let j = max(causalLast + r + 1, 0); j < keys; j++) {
        const at = group + (<usize>j << 4);
        v128.store(at, v128.bitselect(negInf, v128.load(at), i32x4.gt_s(i32x4.splat(j), limit)));
      }
    } else if (mode == 2) {
      for (let i = 0; i < 4 && r + i < rows; i++) {
        const maskRow = maskPtr + <usize>(r + i) * <usize>kCount;
        for (let j = 0; j < keys; j++) {
          if (load<u8>(maskRow + <usize>j) == 0) store<f32>(group + (<usize>j << 4) + (<usize>i << 2), -Infinity);
        }
      }
    }
    let vmax = negInf, vmax2 = negInf;
    let j = 0;
    for (; j + 2 <= keys; j += 2) {
      const at = group + (<usize>j << 4);
      vmax = f32x4.pmax(vmax, v128.load(at));
      vmax2 = f32x4.pmax(vmax2, v128.load(at, 16));
    }
    if (j < keys) vmax = f32x4.pmax(vmax, v128.load(group + (<usize>j << 4)));
    const mAt = mPtr + (<usize>r << 2);
    const lAt = lPtr + (<usize>r << 2);
    const mOld = v128.load(mAt);
    const mNew = f32x4.pmax(mOld, f32x4.pmax(vmax, vmax2));
    // Rows that have seen no key yet keep m = −∞; shift them by 0 so −∞ − shift stays −∞ (p = 0).
    const shift = v128.andnot(mNew, f32x4.eq(mNew, negInf));
    const correction = exp2x4(f32x4.sub(mOld, shift));
    if (!i32x4.all_true(f32x4.eq(correction, f32x4.splat(1)))) {
      const acc = accPtr + <usize>r * accRow;
      scaleRow(acc, dp, f32x4.extract_lane(correction, 0));
      scaleRow(acc + accRow, dp, f32x4.extract_lane(correction, 1));
      scaleRow(acc + 2 * accRow, dp, f32x4.extract_lane(correction, 2));
      scaleRow(acc + 3 * accRow, dp, f32x4.extract_lane(correction, 3));
    }
    v128.store(mAt, mNew);
    // Two independent exp chains per pass: the polynomial is a serial chain, so this doubles ILP.
    let vsum = f32x4.splat(0), vsum2 = f32x4.splat(0);
    j = 0;
    for (; j + 2 <= keys; j += 2) {
      const at = group + (<usize>j << 4);
      const p = exp2x4(f32x4.sub(v128.load(at), shift));
      const p2 = exp2x4(f32x4.sub(v128.load(at, 16), shift));
      v128.store(at, p);
      v128.store(at, p2, 16);
      vsum = f32x4.add(vsum, p);
      vsum2 = f32x4.add(vsum2, p2);
    }
    if (j < keys) {
      const at = group + (<usize>j << 4);
      const p = exp2x4(f32x4.sub(v128.load(at), shift));
      v128.store(at, p);
      vsum = f32x4.add(vsum, p);
    }
    v128.store(lAt, f32x4.add(f32x4.mul(v128.load(lAt), correction), f32x4.add(vsum, vsum2)));
  }
  return causalLast;
}

/**
 * `flashTile` over the loaded keys [start, end) in tiles of `blockK`, tile t's transposed keys at
 * ktBase + t·tileBytes. Without `causal` every tile is visible (mode 0); with it a tile whose last
 * key is at or before the first query's position is visible and the rest compare on the diagonal
 * (mode 1). One call per query tile instead of one per key tile: a JS→wasm call with this many
 * arguments costs about as much as a small tile. `guardPtr` holds one byte per loaded key tile:
 * whether its values are known finite (GUARD_*), filled in here on first use; tiles that are not
 * run through `flashTileGuarded`.
 */
export function flashTiles(
  qPtr: usize, rows: i32, rowsPad: i32,
  ktBase: usize, tileBytes: i32, ktStride: i32, vPtr: usize, start: i32, end: i32, blockK: i32, dp: i32,
  sPtr: usize, sStride: i32, mPtr: usize, lPtr: usize, accPtr: usize,
  causal: i32, qPos0: i32, kPosBase: i32, guardPtr: usize,
): void {
  for (let kStart = start; kStart < end; kStart += blockK) {
    const kCount = min(blockK, end - kStart);
    const kPos0 = kPosBase + kStart;
    const mode = causal != 0 && kPos0 + kCount - 1 > qPos0 ? 1 : 0;
    const tile = <usize>(kStart / blockK);
    const ktTile = ktBase + tile * <usize>tileBytes - (<usize>kStart << 2);
    // Only diagonal tiles hide keys from some rows, so only their values need checking. A run may
    // end inside a tile; the answer for part of a tile is not the tile's, so only whole tiles
    // remember it.
    let guard = false;
    if (mode == 1) {
      let known = load<u8>(guardPtr + tile);
      if (known == GUARD_UNKNOWN) {
        known = allFinite(vPtr + (<usize>kStart * <usize>dp << 2), kCount * dp) ? GUARD_FINITE : GUARD_NON_FINITE;
        if (kCount == blockK) store<u8>(guardPtr + tile, known);
      }
      guard = known == GUARD_NON_FINITE;
    }
    if (guard) flashTileGuarded(qPtr, rows, rowsPad, ktTile, ktStride, vPtr, kStart, kCount, dp, sPtr, sStride, mPtr, lPtr, accPtr, mode, 0, qPos0, kPos0);
    else flashTile(qPtr, rows, rowsPad, ktTile, ktStride, vPtr, kStart, kCount, dp, sPtr, sStride, mPtr, lPtr, accPtr, mode, 0, qPos0, kPos0);
  }
}

/**
 * 1 when `count` floats at `ptr` (a multiple of four) are all finite, else 0. x − x is 0 for a
 * finite x and NaN for NaN and ±Inf, so one SIMD sum of differences answers for the whole run.
 */
export function allFinite(ptr: usize, count: i32): i32 {
  let sum = f32x4.splat(0);
  const end = ptr + (<usize>count << 2);
  for (let at = ptr; at < end; at += 16) {
    const x = v128.load(at);
    sum = f32x4.add(sum, f32x4.sub(x, x));
  }
  return i32x4.all_true(f32x4.eq(sum, sum)) ? 1 : 0;
}

/**
 * Packs `rows` query rows of `d` floats (row-major at src) into the kernels' layout at dst:
 * groups of four rows, dimension-major inside a group ([g][c][4]), each value times `scale`;
 * padding dimensions (d … dp) and rows (rows … rowsPad) are zero.
 */
export function packQueries(src: usize, rows: i32, rowsPad: i32, d: i32, dp: i32, scale: f32, dst: usize): void {
  let r = 0;
  if (d == dp) {
    // Whole groups: four rows × four dimensions at a time, transposed with shuffles.
    const factor = f32x4.splat(scale);
    const rowBytes = <usize>d << 2;
    for (; r + 4 <= rows; r += 4) {
      const row = src + <usize>r * rowBytes;
      const group = dst + (<usize>r * <usize>dp << 2);
      for (let c = 0; c < dp; c += 4) {
        const at = row + (<usize>c << 2);
        transposeStore(group + (<usize>c << 4), 16,
          f32x4.mul(v128.load(at), factor), f32x4.mul(v128.load(at + rowBytes), factor),
          f32x4.mul(v128.load(at + 2 * rowBytes), factor), f32x4.mul(v128.load(at + 3 * rowBytes), factor));
      }
    }
  }
  for (; r < rowsPad; r++) {
    const group = dst + (<usize>(r & ~3) * <usize>dp << 2) + (<usize>(r & 3) << 2);
    const row = src + (<usize>r * <usize>d << 2);
    for (let c = 0; c < dp; c++) store<f32>(group + (<usize>c << 4), r < rows && c < d ? load<f32>(row + (<usize>c << 2)) * scale : 0);
  }
}

/**
 * Transposes `count` key rows of `d` floats (row-major at src) into one key tile at dst:
 * dst[c][j] at dst + 4·(c·stride + j), padding dimensions (d … dp) zero.
 */
export function packKeyTile(src: usize, count: i32, d: i32, dp: i32, stride: i32, dst: usize): void {
  const rowBytes = <usize>d << 2;
  const dimBytes = <usize>stride << 2;
  let j = 0;
  if ((d & 3) == 0) {
    for (; j + 4 <= count; j += 4) {
      const row = src + <usize>j * rowBytes;
      for (let c = 0; c < d; c += 4) {
        const at = row + (<usize>c << 2);
        transposeStore(dst + <usize>c * dimBytes + (<usize>j << 2), dimBytes,
          v128.load(at), v128.load(at + rowBytes), v128.load(at + 2 * rowBytes), v128.load(at + 3 * rowBytes));
      }
    }
  }
  for (; j < count; j++) {
    const row = src + <usize>j * rowBytes;
    for (let c = 0; c < d; c++) store<f32>(dst + <usize>c * dimBytes + (<usize>j << 2), load<f32>(row + (<usize>c << 2)));
  }
  for (let c = d; c < dp; c++) memory.fill(dst + <usize>c * dimBytes, 0, dimBytes);
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

/** First free byte after the module's static data; JS places buffers from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
