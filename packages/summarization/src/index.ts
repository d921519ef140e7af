export { summarize, SUMMARIZATION_METHODS } from './summarize.js';
export type { SummarizeOptions, SummarizeResult, SummarizationMethod } from './summarize.js';
export type { SummaryCache } from './summary-cache.js';
export { extractiveSummary, detectSections } from './extractive-summary.js';
export type { ExtractiveOptions, ExtractiveSummary } from './extractive-summary.js';
export type { RankingAlgorithm } from './sentence-graph.js';
export { splitSentences } from './sentence-splitter.js';
export { countWords } from './count-words.js';
export { packGroups } from './merge-groups.js';
