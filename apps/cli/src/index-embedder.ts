import { ChunkwiseError, type ProgressCallback } from '@chunkwise/core';
import { formatEmbedderSpec, loadEmbedder, parseEmbedderSpec, type EmbedderSpec, type LoadedEmbedder } from './embedder-option.js';
import { EMBEDDER_SETTING, type StoreTarget } from './store-target.js';

/**
 * What an index records about the vectors it holds: the embedder spec, the vectors' width and the
 * state the embedder was fitted to (GloVe's SIF word frequencies and removed component), so every
 * later query and every later indexing run embeds exactly as the first one did.
 */
export interface IndexEmbedderRecord {
  format: 'chunkwise-index-embedder';
  version: 1;
  spec: string;
  dimensions: number;
  state: unknown;
  /** `openai:` embedders: the server's API root (never a key). */
  url?: string;
}

/** The embedder record of an index, or undefined when it holds no vectors of a known embedder. */
export async function readIndexEmbedder(target: StoreTarget): Promise<IndexEmbedderRecord | undefined> {
  const text = await target.settings.get(EMBEDDER_SETTING);
  if (text === undefined) return undefined;
  let record: Partial<IndexEmbedderRecord>;
  try {
    record = JSON.parse(text) as Partial<IndexEmbedderRecord>;
  } catch (cause) {
    throw new ChunkwiseError('CORRUPT_DATA', `${target.label}: its embedder record is not JSON; index the files again into a new --db.`, { cause });
  }
  if (record.format !== 'chunkwise-index-embedder' || record.version !== 1 || typeof record.spec !== 'string' || !Number.isInteger(record.dimensions)) {
    throw new ChunkwiseError('CORRUPT_DATA', `${target.label}: its embedder record is damaged or from a newer version; index the files again into a new --db.`);
  }
  return record as IndexEmbedderRecord;
}

/** Records the embedder (and its fitted state) with the index. */
export async function writeIndexEmbedder(target: StoreTarget, loaded: LoadedEmbedder): Promise<IndexEmbedderRecord> {
  const record: IndexEmbedderRecord = {
    format: 'chunkwise-index-embedder',
    version: 1,
    spec: loaded.spec,
    dimensions: loaded.embedder.dimensions,
    state: loaded.state(),
    ...(loaded.url === undefined ? {} : { url: loaded.url }),
  };
  await target.settings.set(EMBEDDER_SETTING, JSON.stringify(record));
  return record;
}

/**
 * Refuses an embedder other than the one an index records: vectors of two models (or of one
 * model with another width) cannot be compared, so a query or an update with it would rank noise.
 */
export function checkSameEmbedder(record: IndexEmbedderRecord, requested: EmbedderSpec | string, label: string): void {
  const wanted = typeof requested === 'string' ? requested : formatEmbedderSpec(requested);
  if (wanted === record.spec) return;
  throw new ChunkwiseError(
    'DIMENSION_MISMATCH',
    `${label} holds vectors of ${record.spec} (${record.dimensions} dimensions); --embedder ${wanted} is another model, whose vectors cannot be compared with them. Leave --embedder out to use the index's own, or index into a new --db.`,
    { details: { index: record.spec, requested: wanted, dimensions: record.dimensions } },
  );
}

/**
 * The embedder to query an index with: the one it records, loaded with its recorded state. A
 * `requested` spec must be the same one. Undefined when the index records none.
 */
export async function queryEmbedder(
  target: StoreTarget,
  requested: EmbedderSpec | undefined,
  options: { onProgress?: ProgressCallback } = {},
): Promise<{ loaded: LoadedEmbedder; record: IndexEmbedderRecord } | undefined> {
  const record = await readIndexEmbedder(target);
  if (record === undefined) return undefined;
  if (requested !== undefined) checkSameEmbedder(record, requested, target.label);
  const loaded = await loadEmbedder(parseEmbedderSpec(record.spec), { state: record.state, url: record.url, ...options });
  if (loaded.embedder.dimensions !== record.dimensions) {
    await loaded.close();
    throw new ChunkwiseError('DIMENSION_MISMATCH', `${target.label} holds ${record.dimensions}-dimensional vectors of ${record.spec}, but that embedder now gives ${loaded.embedder.dimensions}; index the files again into a new --db.`, {
      details: { expected: record.dimensions, actual: loaded.embedder.dimensions },
    });
  }
  return { loaded, record };
}

/**
 * The embedder an indexing run embeds chunks with: the index's recorded one, loaded with its
 * state (a `requested` one must be the same model), or else the requested one, `fresh`: the caller
 * fits it on the chunks to index (GloVe's SIF) and records it with writeIndexEmbedder once the
 * records are written.
 */
export async function indexingEmbedder(
  target: StoreTarget,
  requested: LoadedEmbedder | undefined,
  options: { onProgress?: ProgressCallback } = {},
): Promise<{ loaded: LoadedEmbedder; fresh: boolean } | undefined> {
  const record = await readIndexEmbedder(target);
  if (record === undefined) return requested && { loaded: requested, fresh: true };
  if (requested !== undefined) {
    checkSameEmbedder(record, requested.spec, target.label);
    await requested.close();
  }
  const found = await queryEmbedder(target, undefined, options);
  return found && { loaded: found.loaded, fresh: false };
}
