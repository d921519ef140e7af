import type { AttentionShape } from '../attention-shape.js';
import type { FlashRange } from '../flash-attention.js';
import type { MaskSpec } from '../masks/attention-mask.js';

/** One unit of pool work: a head/row range, or one key split, written into shared buffers. */
export interface AttentionTask {
  id: number;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  shape: AttentionShape;
  options: { scale: number; queryOffset: number; causal: boolean; blockQ: number; blockK: number; backend: 'js' | 'wasm' };
  mask?: MaskSpec;
  range: FlashRange;
  out: Float32Array;
  lse?: Float32Array;
}

export type AttentionTaskReply = { id: number; ok: true } | { id: number; ok: false; code: string; message: string };
