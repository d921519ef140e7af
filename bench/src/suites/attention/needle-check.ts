import {
  attention,
  buildKeyClusters,
  dhsaSelect,
  longHeadsSelect,
  squeezedAttentionSelect,
  type KeySelection,
} from '@chunkwise/attention';

/** For each dynamic selector at `seqK` keys: is the needle kept, and does it carry the top weight? */
export function needleResults(seqK: number, seed = 2024) {
  const d = 16;
  const seqQ = 16;
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const shape = { heads: 1, kvHeads: 1, seqQ, seqK, headDim: d };
  const k = Float32Array.from({ length: seqK * d }, () => random() * 2 - 1);
  const v = Float32Array.from({ length: seqK * d }, () => random() * 2 - 1);
  const direction = Float32Array.from({ length: d }, () => random() * 2 - 1);
  const norm = Math.hypot(...direction);
  const q = Float32Array.from({ length: seqQ * d }, (_, i) => (4 * (direction[i % d] as number)) / norm + (random() - 0.5) * 0.2);
  const needle = 256 + Math.floor(random() * (seqK - 2048));
  for (let c = 0; c < d; c++) k[needle * d + c] = (32 * (direction[c] as number)) / norm;

  const selectors: [string, () => KeySelection][] = [
    ['DHSA', () => dhsaSelect(q, k, shape, { topTokens: 2048, localTokens: 64, queryBlock: 16 })],
    ['Squeezed Attention (hierarchical)', () => squeezedAttentionSelect(q, k, shape, buildKeyClusters(k, shape, { clusters: 64, coarse: 8, iterations: 4 }), { keepFraction: 0.05, queryBlock: 16 })],
    ['LongHeads', () => longHeadsSelect(q, k, shape, { chunkSize: 256, maxChunks: 8, queryBlock: 16 })],
  ];
  return selectors.map(([name, select]) => {
    const selection = select();
    const { lse } = attention(q, k, v, shape, { causal: true, mask: selection, returnLse: true });
    let kept = true;
    let topWeight = Number.POSITIVE_INFINITY;
    for (let row = 0; row < seqQ; row++) {
      const position = seqK - seqQ + row;
      kept &&= selection.allows(0, position, needle);
      let dot = 0;
      for (let c = 0; c < d; c++) dot += (q[row * d + c] as number) * (k[needle * d + c] as number);
      topWeight = Math.min(topWeight, Math.exp(dot / Math.sqrt(d) - (lse?.[row] as number)));
    }
    return { name, needle, kept, keptFraction: selection.keptFraction(), minNeedleWeight: kept ? topWeight : 0 };
  });
}
