export { resolveAnalyzer, type Analyzer, type AnalyzerName } from './analyzers/analyzer.js';
export { simpleAnalyzer } from './analyzers/simple.js';
export { englishAnalyzer, ENGLISH_STOPWORDS } from './analyzers/english.js';
export { cjkAnalyzer } from './analyzers/cjk.js';
export { BM25Index, type BM25Document, type BM25Options, type BM25SearchOptions, type BM25Stats } from './bm25/bm25-index.js';
export type { ScoredId } from './bm25/top-k-heap.js';
export { VectorIndex, type VectorIndexOptions, type VectorSearchOptions } from './vector/vector-index.js';
export { HNSWIndex, type HNSWOptions, type HNSWSearchOptions } from './vector/hnsw-index.js';
export type { Metric } from './vector/metric.js';
