/** One text the input panel can load: a Moby Dick chapter or a State of the Union address. */
export interface DatasetItem {
  id: string;
  label: string;
  text: string;
}

/** The shape of dist/data/<id>.json, written at build time by vite-plugins/dataset-assets.ts. */
export interface Dataset {
  id: string;
  title: string;
  items: DatasetItem[];
}

export const DATASET_IDS = ['moby-dick', 'sotu'] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

/** Fetches a dataset emitted next to the page (relative to the document, so any base path works). */
export async function loadDataset(id: DatasetId, signal?: AbortSignal): Promise<Dataset> {
  const response = await fetch(new URL(`data/${id}.json`, document.baseURI), signal ? { signal } : {});
  if (!response.ok) throw new Error(`Could not load the ${id} dataset (HTTP ${String(response.status)}).`);
  return (await response.json()) as Dataset;
}
