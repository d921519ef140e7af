export { extractiveSummary, detectSections } from './extractive-summary.js';
export type { ExtractiveOptions, ExtractiveSummary } from './extractive-summary.js';
export type { RankingAlgorithm } from './sentence-graph.js';
export { splitSentences } from './sentence-splitter.js';
export { countWords } from './count-words.js';
