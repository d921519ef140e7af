/** Query rows per workgroup: one invocation owns one row (FlashAttention-2's split-Q). */
export const GPU_BLOCK_Q = 64;

/**
 * WebGPU guarantees 16 KiB of workgroup memory; a key tile and a value tile of `blockK × headDim`
 * floats must fit in it, so wide heads get narrower key tiles.
 */
export const GPU_WORKGROUP_FLOATS = 4096;

/** The largest head size the shader handles (one key per tile). */
export const GPU_MAX_HEAD_DIM = GPU_WORKGROUP_FLOATS / 2;

/** Keys per tile for a head size: as many as fit, at most 64. */
export function gpuBlockK(headDim: number): number {
  return Math.max(1, Math.min(64, Math.floor(GPU_WORKGROUP_FLOATS / 2 / headDim)));
}

/** Sentinel for "no score yet" / "no visible key": WGSL has no infinity literal. */
export const GPU_NO_SCORE = -3.0e38;

/**
 * The tiled online-softmax kernel in WGSL, specialised for one head size (private arrays need
 * constant lengths). Workgroup `(x, y)` = (query tile + split × query tiles, head). The tile list
 * for each (head, query tile) comes from the host (tile-schedule.ts): the mask decided there which
 * key tiles are empty (never listed), full (mode 0), causal-diagonal (mode 1: a comparison here) or
 * partial (mode 2: a bitmask of `BQ × BK` bits at word `info >> 2`). A split covers
 * `tilesPerSplit` consecutive entries of that list (Flash-Decoding); each split writes its
 * normalised rows and LSE, which the host merges exactly.
 */
export function flashShaderSource(headDim: number): string {
  const blockK = gpuBlockK(headDim);
  return /* wgsl */ `
const D: u32 = ${headDim}u;
const BQ: u32 = ${GPU_BLOCK_Q}u;
const BK: u32 = ${blockK}u;
const NO_SCORE: f32 = ${GPU_NO_SCORE.toExponential()};

struct Params {
  heads: u32, kvHeads: u32, seqQ: u32, seqK: u32,
  queryOffset: u32, qTiles: u32, tilesPerSplit: u32, rowsTotal: u32,
  scale: f32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
// [heads × qTiles] pairs (first entry, entry count), then entries (key tile, mode | bit word << 2).
@group(0) @binding(4) var<storage, read> schedule: array<u32>;
@group(0) @binding(5) var<storage, read> bits: array<u32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
@group(0) @binding(7) var<storage, read_write> lse: array<f32>;

var<workgroup> kTile: array<f32, ${blockK * headDim}>;
var<workgroup> vTile: array<f32, ${blockK * headDim}>;

@compute @workgroup_size(${GPU_BLOCK_Q})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let qTile = group.x % params.qTiles;
  let split = group.x / params.qTiles;
  let head = group.y;
  let kvHead = head / (params.heads / params.kvHeads);
  let row = qTile * BQ + lane;
  let inRange = row < params.seqQ;
  let queryPos = params.queryOffset + row;

  var qRow: array<f32, D>;
  var acc: array<f32, D>;
  var scores: array<f32, BK>;
  if (inRange) {
    let base = (head * params.seqQ + row) * D;
    for (var i = 0u; i < D; i++) {
      qRow[i] = q[base + i] * params.scale;
      acc[i] = 0.0;
    }
  }
  var m = NO_SCORE;
  var l = 0.0;

  let cell = head * params.qTiles + qTile;
  let start = schedule[2u * cell];
  let count = schedule[2u * cell + 1u];
  let first = min(count, split * params.tilesPerSplit);
  let last = min(count, first + params.tilesPerSplit);
  let kvBase = kvHead * params.seqK * D;

  for (var e = first; e < last; e++) {
    let entry = 2u * (start + e);
    let k0 = schedule[entry] * BK;
    let info = schedule[entry + 1u];
    let n = min(BK, params.seqK - k0);
    workgroupBarrier();
    for (var i = lane; i < n * D; i += BQ) {
      kTile[i] = k[kvBase + k0 * D + i];
      vTile[i] = v[kvBase + k0 * D + i];
    }
    workgroupBarrier();
    if (inRange) {
      let mode = info & 3u;
      let bitBase = info >> 2u;
      var tileMax = NO_SCORE;
      for (var c = 0u; c < BK; c++) {
        var visible = c < n;
        if (mode == 1u) {
          visible = visible && k0 + c <= queryPos;
        } else if (mode == 2u) {
          let bit = lane * BK + c;
          visible = visible && ((bits[bitBase + (bit >> 5u)] >> (bit & 31u)) & 1u) == 1u;
        }
        var score = NO_SCORE;
        if (visible) {
          var dot = 0.0;
          for (var i = 0u; i < D; i++) {
            dot += qRow[i] * kTile[c * D + i];
          }
          score = dot;
          tileMax = max(tileMax, dot);
        }
        scores[c] = score;
      }
      if (tileMax > NO_SCORE) {
        // Online softmax (FlashAttention-2): rescale once per tile, divide by l once at the end.
        let mNew = max(m, tileMax);
        let correction = exp(m - mNew);
        l = l * correction;
        for (var i = 0u; i < D; i++) {
          acc[i] = acc[i] * correction;
        }
        for (var c = 0u; c < n; c++) {
          if (scores[c] > NO_SCORE) {
            let p = exp(scores[c] - mNew);
            l = l + p;
            for (var i = 0u; i < D; i++) {
              acc[i] = acc[i] + p * vTile[c * D + i];
            }
          }
        }
        m = mNew;
      }
    }
  }

  if (inRange) {
    let rowIndex = split * params.rowsTotal + head * params.seqQ + row;
    let base = rowIndex * D;
    if (l > 0.0) {
      let inverse = 1.0 / l;
      for (var i = 0u; i < D; i++) {
        out[base + i] = acc[i] * inverse;
      }
      lse[rowIndex] = m + log(l);
    } else {
      for (var i = 0u; i < D; i++) {
        out[base + i] = 0.0;
      }
      lse[rowIndex] = NO_SCORE;
    }
  }
}
`;
}
