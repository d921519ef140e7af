import { ChunkwiseError } from '@chunkwise/core';
import { checkInteger, MAX_ELEMENTS } from './argument-checks.js';
import { flashAttentionInto, type KernelInputs } from './flash-attention.js';
import { mergeAttentionStates, type AttentionState } from './merge-attention-states.js';

/**
 * Flash-Decoding (split-K): a few query rows against a long KV. The keys are cut into splits of
 * `splitK`, each split runs the flash kernel on its own and yields (output, LSE), and the splits
 * merge exactly through their LSE. Single-threaded this matches `flash`; its point is that the
 * splits are independent, so `AttentionPool` (`@chunkwise/attention/node`) runs them in parallel.
 */
export function decodeAttentionInto(inputs: KernelInputs, out: Float32Array, lse: Float32Array | undefined): void {
  const { shape, options } = inputs;
  const parts: AttentionState[] = decodeSplits(shape.seqK, options.splitK).map(([keyStart, keyEnd]) => {
    // One split's partial state over keys [keyStart, keyEnd), for every head and query row.
    const part = { output: new Float32Array(shape.heads * shape.seqQ * shape.headDim), lse: new Float32Array(shape.heads * shape.seqQ) };
    flashAttentionInto(inputs, part.output, part.lse, { keyStart, keyEnd });
    return part;
  });
  const merged = mergeAttentionStates(parts, shape.headDim);
  out.set(merged.output);
  lse?.set(merged.lse);
}

/** `[start, end)` key ranges of at most `splitK` keys covering `[0, seqK)`. */
export function decodeSplits(seqK: number, splitK: number): [number, number][] {
  checkInteger(seqK, 'seqK', 0);
  checkInteger(splitK, 'splitK', 1);
  if (Math.ceil(seqK / splitK) > MAX_ELEMENTS) throw new ChunkwiseError('LIMIT_EXCEEDED', `${seqK} keys in splits of ${splitK} make more than ${MAX_ELEMENTS} splits; raise splitK.`);
  const splits: [number, number][] = [];
  for (let start = 0; start < seqK; start += splitK) splits.push([start, Math.min(seqK, start + splitK)]);
  return splits;
}
