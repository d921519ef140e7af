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

/** Where an index keeps its settings, and its name for messages (a StoreTarget, or a worker's pool). */
export type IndexSettingsTarget = Pick<StoreTarget, 'settings' | 'label'>;

/** The embedder record of an index, or undefined when it holds no vectors of a known embedder. */
export async function readIndexEmbedder(target: IndexSettingsTarget): Promise<IndexEmbedderRecord | undefined> {
  const text = await target.settings.get(EMBEDDER_SETTING);
  return text === undefined ? undefined : parseRecord(target, text);
}

function parseRecord(target: IndexSettingsTarget, text: string): IndexEmbedderRecord {
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

/** What an index records for a loaded embedder: its spec, width, state and server. */
export function embedderRecord(loaded: LoadedEmbedder): IndexEmbedderRecord {
  return {
    format: 'chunkwise-index-embedder',
    version: 1,
    spec: loaded.spec,
    dimensions: loaded.embedder.dimensions,
    state: loaded.state(),
    ...(loaded.url === undefined ? {} : { url: loaded.url }),
  };
}

/** Records the embedder (and its fitted state) with the index. */
export async function writeIndexEmbedder(target: StoreTarget, loaded: LoadedEmbedder): Promise<IndexEmbedderRecord> {
  const record = embedderRecord(loaded);
  await target.settings.set(EMBEDDER_SETTING, JSON.stringify(record));
  return record;
}

/**
 * Records the embedder with an index that has none yet, atomically (insert-if-absent): of several
 * workers starting at once exactly one record wins. Returns the record the index now holds, the
 * caller's own or the one another process wrote first; `same` says whether it is the caller's.
 */
export async function addIndexEmbedder(target: IndexSettingsTarget, loaded: LoadedEmbedder): Promise<{ record: IndexEmbedderRecord; same: boolean }> {
  const text = JSON.stringify(embedderRecord(loaded));
  const stored = await target.settings.add(EMBEDDER_SETTING, text);
  return { record: parseRecord(target, stored), same: stored === text };
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
  target: IndexSettingsTarget,
  requested: EmbedderSpec | undefined,
  options: { onProgress?: ProgressCallback } = {},
): Promise<{ loaded: LoadedEmbedder; record: IndexEmbedderRecord } | undefined> {
  const record = await readIndexEmbedder(target);
  if (record === undefined) return undefined;
  if (requested !== undefined) checkSameEmbedder(record, requested, target.label);
  return { loaded: await loadRecordedEmbedder(target, record, options), record };
}

/** Loads the embedder a record names with its recorded state and server, checking its width. */
export async function loadRecordedEmbedder(target: IndexSettingsTarget, record: IndexEmbedderRecord, options: { onProgress?: ProgressCallback } = {}): Promise<LoadedEmbedder> {
  const loaded = await loadEmbedder(parseEmbedderSpec(record.spec), { state: record.state, url: record.url, ...options });
  if (loaded.embedder.dimensions !== record.dimensions) {
    await loaded.close();
    throw new ChunkwiseError('DIMENSION_MISMATCH', `${target.label} holds ${record.dimensions}-dimensional vectors of ${record.spec}, but that embedder now gives ${loaded.embedder.dimensions}; index the files again into a new --db.`, {
      details: { expected: record.dimensions, actual: loaded.embedder.dimensions },
    });
  }
  return loaded;
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
