// Node-only entry: worker_threads parallelism. The default entry stays browser-safe.
export { AttentionPool } from './attention-pool.js';
export type { AttentionPoolOptions } from './attention-pool.js';
