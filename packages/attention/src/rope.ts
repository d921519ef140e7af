import { ChunkwiseError } from '@chunkwise/core';
import { checkChoice, checkFiniteList, checkFloat32Array, checkInteger, checkNumber, checkObject, checkOptions, describeValue } from './argument-checks.js';
import { MAX_HEAD_DIM } from './attention-shape.js';

/** Sizes of a tensor laid out `[heads][seq][headDim]`. */
export interface RopeShape {
  heads: number;
  seq: number;
  headDim: number;
}

export type RopeScaling =
  /** Position interpolation (Chen et al., arXiv 2306.15595): positions are divided by `factor`. */
  | { type: 'linear'; factor: number }
  /** NTK-aware scaling (bloc97, 2023): the base grows to base·factor^(d/(d−2)), stretching low frequencies most. */
  | { type: 'ntk'; factor: number };

export interface RopeOptions {
  /** Frequency base θ (default 10000). */
  base?: number;
  /** Leading dimensions that rotate (even, default headDim); the rest pass through. */
  rotaryDim?: number;
  /** `'half'` pairs dimension i with i + rotaryDim/2 (GPT-NeoX, Llama in HF); `'interleaved'` pairs 2i with 2i+1 (GPT-J). */
  style?: 'half' | 'interleaved';
  scaling?: RopeScaling;
}

/** θᵢ = base^(−2i/rotaryDim) for each rotating pair, after NTK base scaling. */
export function ropeFrequencies(headDim: number, input: RopeOptions = {}): Float64Array {
  checkInteger(headDim, 'headDim', 1, MAX_HEAD_DIM);
  const options = checkOptions(input, 'options');
  const rotaryDim = options.rotaryDim ?? headDim;
  if (!Number.isInteger(rotaryDim) || rotaryDim < 2 || rotaryDim % 2 !== 0 || rotaryDim > headDim) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `rotaryDim must be an even integer in [2, headDim=${headDim}], got ${describeValue(rotaryDim)}.`);
  }
  let base = options.base ?? 10000;
  checkNumber(base, 'base', Number.MIN_VALUE);
  if (options.style !== undefined) checkChoice(options.style, 'style', ['half', 'interleaved'] as const);
  const scaling = options.scaling;
  if (scaling !== undefined) {
    checkObject(scaling, 'scaling');
    checkChoice(scaling.type, 'scaling.type', ['linear', 'ntk'] as const);
    checkNumber(scaling.factor, 'scaling.factor', Number.MIN_VALUE);
    if (scaling.type === 'ntk') base *= scaling.factor ** (rotaryDim / (rotaryDim - 2));
  }
  if (!(base > 0 && Number.isFinite(base))) throw new ChunkwiseError('INVALID_ARGUMENT', `base (after NTK scaling) must be a positive finite number, got ${describeValue(base)}.`);
  const pairs = rotaryDim / 2;
  const out = new Float64Array(pairs);
  for (let i = 0; i < pairs; i++) out[i] = base ** (-(2 * i) / rotaryDim);
  return out;
}

/** Rotary position embedding (RoFormer, arXiv 2104.09864): returns a rotated copy of `x`. */
export function applyRope(x: Float32Array, shape: RopeShape, positions: ArrayLike<number>, options: RopeOptions = {}): Float32Array {
  return rotate(x, shape, positions, options, 1);
}

/** The inverse rotation: recovers pre-RoPE vectors from rotated ones. */
export function unapplyRope(x: Float32Array, shape: RopeShape, positions: ArrayLike<number>, options: RopeOptions = {}): Float32Array {
  return rotate(x, shape, positions, options, -1);
}

/**
 * Moves rotated keys from positions `from` to positions `to` (unrotate, rotate again). StreamingLLM
 * (arXiv 2309.17453 §3.2) numbers positions inside the cache, so after evicting the middle the kept
 * keys must be re-positioned; with pre-RoPE keys in the cache use `applyRope` directly instead.
 */
export function reassignPositions(
  x: Float32Array,
  shape: RopeShape,
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  options: RopeOptions = {},
): Float32Array {
  return applyRope(unapplyRope(x, shape, from, options), shape, to, options);
}

/**
 * Long-CLIP's knowledge-preserving stretch (arXiv 2404.15378 §3.1): keep the first `keep`
 * well-trained positions and interpolate the rest by `factor`, so a longer input reuses the trained
 * range. Feed the result to `applyRope` as fractional positions.
 */
export function stretchPositions(positions: ArrayLike<number>, keep: number, factor: number): Float64Array {
  checkFiniteList(positions, 'positions');
  checkNumber(keep, 'keep', 0);
  checkNumber(factor, 'factor', Number.MIN_VALUE);
  return Float64Array.from(Array.from(positions, (p) => (p <= keep ? p : keep + (p - keep) / factor)));
}

function rotate(x: Float32Array, shape: RopeShape, positions: ArrayLike<number>, input: RopeOptions | undefined, sign: 1 | -1): Float32Array {
  checkFloat32Array(x, 'x');
  checkObject(shape, 'shape');
  const options = checkOptions(input, 'options');
  const { heads, seq, headDim } = shape;
  if (!Number.isSafeInteger(heads) || !Number.isSafeInteger(seq) || !Number.isSafeInteger(headDim) || heads < 1 || seq < 0 || headDim < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'RoPE shape needs integer heads ≥ 1, seq ≥ 0 and headDim ≥ 1.');
  }
  checkFiniteList(positions, 'positions');
  if (x.length !== heads * seq * headDim) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `x has ${x.length} elements; heads × seq × headDim = ${heads * seq * headDim}.`);
  }
  if (positions.length !== seq) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `positions has ${positions.length} entries; expected seq = ${seq}.`);
  }
  const frequencies = ropeFrequencies(headDim, options);
  const pairs = frequencies.length;
  const interleaved = options.style === 'interleaved';
  const divisor = options.scaling?.type === 'linear' ? options.scaling.factor : 1;
  const out = Float32Array.from(x);
  const cos = new Float64Array(pairs);
  const sin = new Float64Array(pairs);
  for (let t = 0; t < seq; t++) {
    const position = (positions[t] as number) / divisor;
    for (let i = 0; i < pairs; i++) {
      const angle = position * (frequencies[i] as number);
      cos[i] = Math.cos(angle);
      sin[i] = sign * Math.sin(angle);
    }
    for (let h = 0; h < heads; h++) {
      const base = (h * seq + t) * headDim;
      for (let i = 0; i < pairs; i++) {
        const a = base + (interleaved ? 2 * i : i);
        const b = base + (interleaved ? 2 * i + 1 : i + pairs);
        const x0 = x[a] as number;
        const x1 = x[b] as number;
        out[a] = x0 * (cos[i] as number) - x1 * (sin[i] as number);
        out[b] = x0 * (sin[i] as number) + x1 * (cos[i] as number);
      }
    }
  }
  return out;
}
