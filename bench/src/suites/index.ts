import type { Suite } from '../harness.js';

/**
 * Every benchmark suite, loaded lazily so one suite's peers never load for another.
 * Each package issue registers its own: `name: () => import('./name.js')`.
 */
export const SUITES: Record<string, () => Promise<{ default: Suite }>> = {
  harness: () => import('./harness.js'),
  tokenizers: () => import('./tokenizers.js'),
  attention: () => import('./attention.js'),
  chunking: () => import('./chunking.js'),
  cache: () => import('./cache.js'),
  retrieval: () => import('./retrieval.js'),
  embedders: () => import('./embedders.js'),
  quality: () => import('./quality.js'),
  'quality-retrievers': () => import('./quality-retrievers.js'),
  // Opt-in (needs PostgreSQL and Redis Cluster from .ci/services.sh): only when named, `pnpm bench ingest`.
  ...(process.argv.includes('ingest') && { ingest: () => import('./ingest.js') }),
  // Opt-in (a 74 MB book digested twice, about 12 minutes; needs the built CLI): `pnpm bench digest`.
  ...(process.argv.includes('digest') && { digest: () => import('./digest.js') }),
};
