import type { Span, Tokenizer } from '@chunkwise/core';
import { reciprocalRankAtK, spanScores, touchingIndices, type ChunkIndex, type EvalQuestion } from '@chunkwise/eval';
import { reciprocalRankFusion, selectContext, type ContextHit } from '@chunkwise/retrieval';

export interface FusionOptions {
  /** Hits taken from each ranking (BM25, dense) before fusion. */
  depth: number;
  /** RRF weights of BM25 and dense. */
  weights: readonly [number, number];
  /** Top k chunks, or a token budget filled best first. */
  k?: number;
  budgetTokens?: number;
  tokenizer: Tokenizer;
}

export interface FusionResult {
  corpusId: string;
  recall: number;
  iou: number;
  reciprocalRank: number;
  tokens: number;
}

/**
 * Hybrid retrieval with a chosen fusion depth and weights, scored as evaluateRetrieval scores
 * (span recall and IoU of what is kept, MRR@10 of the fused ranking). evaluateRetrieval fuses
 * lists as deep as the candidates it offers (10 for top 5, 50 for a budget); this isolates that choice.
 */
export async function evaluateFusion(questions: readonly EvalQuestion[], index: ChunkIndex, options: FusionOptions): Promise<FusionResult[]> {
  const out: FusionResult[] = [];
  for (const q of questions) {
    const corpus = index.corpora.get(q.corpusId);
    if (!corpus?.vectors || !corpus.embedder) throw new Error(`corpus ${q.corpusId} has no vectors`);
    const [vector] = await corpus.embedder.embed([q.question]);
    const lexical = corpus.bm25.search(q.question, { k: options.depth });
    const dense = vector === undefined || vector.every((x) => x === 0) ? [] : corpus.vectors.search(vector, { k: options.depth });
    const fused = reciprocalRankFusion([lexical, dense], { weights: options.weights });
    let retrieved: Span[];
    let tokens: number;
    if (options.budgetTokens === undefined) {
      const top = fused.slice(0, options.k ?? 5).map((h) => corpus.chunks[Number(h.id)]!);
      retrieved = top.map(({ start, end }) => ({ start, end }));
      tokens = top.reduce((n, c) => n + c.tokenCount, 0);
    } else {
      const hits: ContextHit[] = fused.slice(0, 50).map((h) => {
        const c = corpus.chunks[Number(h.id)]!;
        return { id: h.id, score: h.score, text: c.text, docId: q.corpusId, start: c.start, end: c.end };
      });
      const context = selectContext(hits, { budgetTokens: options.budgetTokens, tokenizer: options.tokenizer, strategy: 'top-k' });
      retrieved = context.passages.map((p) => ({ start: p.start as number, end: p.end as number }));
      tokens = context.tokens;
    }
    const { recall, iou } = spanScores(retrieved, q.references);
    const relevant = touchingIndices(corpus.chunks, q.references).map(String);
    out.push({ corpusId: q.corpusId, recall, iou, reciprocalRank: reciprocalRankAtK(fused.map((h) => h.id), relevant, 10), tokens });
  }
  return out;
}
