import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireString } from './argument-checks.js';
import { formatDataset, parseDataset, type DatasetFormat } from './dataset-format.js';
import { corpusIds, corpusText, validateDataset, type EvalDataset } from './dataset.js';

/** `.csv` → csv, `.jsonl` / `.ndjson` → jsonl. */
export function datasetFormatOf(file: string): DatasetFormat {
  requireString(file, 'The dataset file');
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new ChunkwiseError('INVALID_ARGUMENT', `Cannot tell the dataset format of ${JSON.stringify(file)}: name it .csv or .jsonl.`);
}

const SAFE_ID = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;

/** A corpus file's id: its name without the last extension ("moby-dick.txt" → "moby-dick"). */
export function corpusIdOf(fileName: string): string {
  requireString(fileName, 'A corpus file name');
  const ext = extname(fileName);
  return ext === '' ? fileName : basename(fileName, ext);
}

async function readCorpora(dir: string, wanted: ReadonlySet<string>): Promise<Record<string, string>> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (cause) {
    throw new ChunkwiseError('NOT_FOUND', `No corpora folder at ${dir}.`, { cause });
  }
  const files = new Map<string, string>();
  for (const name of entries.sort()) {
    if (name.startsWith('.')) continue;
    const id = corpusIdOf(name);
    if (!wanted.has(id)) continue;
    if (!(await fileExists(join(dir, name)))) continue;
    const other = files.get(id);
    if (other) throw new ChunkwiseError('INVALID_ARGUMENT', `Two corpus files have the id ${JSON.stringify(id)}: ${other} and ${name}; keep one.`);
    files.set(id, name);
  }
  const corpora: Record<string, string> = {};
  for (const [id, name] of files) corpora[id] = await readFile(join(dir, name), 'utf8');
  return corpora;
}

/**
 * Reads a dataset file (CSV or JSONL, by extension) and the corpora it names from a folder where
 * each corpus is a UTF-8 file named by its id (`<corpus_id>.txt`, `.md`, any extension). Every
 * reference is checked against its corpus: a mismatch is `INVALID_ARGUMENT` naming the row.
 */
export async function readDataset(file: string, corporaDir: string): Promise<EvalDataset> {
  requireString(file, 'The dataset file');
  requireString(corporaDir, 'The corpora folder');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ChunkwiseError('NOT_FOUND', `Cannot read the dataset ${file}.`, { cause });
  }
  const format = datasetFormatOf(file);
  const questions = parseDataset(text, { format });
  const corpora = await readCorpora(corporaDir, new Set(questions.map((q) => q.corpusId)));
  // Parse again with the corpora so errors name the file's rows.
  parseDataset(text, { format, corpora });
  return { questions, corpora };
}

/** Writes a dataset file (format by extension) and its corpora as `<corpora>/<id>.txt`. */
export async function writeDataset(file: string, corporaDir: string, dataset: EvalDataset): Promise<void> {
  requireString(file, 'The dataset file');
  requireString(corporaDir, 'The corpora folder');
  if (corporaDir === '') invalid('The corpora folder must not be empty; give a path.');
  const format = datasetFormatOf(file);
  if (!isObject(dataset)) invalid(`writeDataset needs a dataset { questions, corpora }, got ${describeValue(dataset)}.`);
  validateDataset(dataset.questions, dataset.corpora);
  const ids = corpusIds(dataset.corpora);
  for (const id of ids) {
    if (!SAFE_ID.test(id)) throw new ChunkwiseError('INVALID_ARGUMENT', `Corpus id ${JSON.stringify(id)} cannot be a file name; use letters, digits, _ . and -.`);
  }
  const contents = formatDataset(dataset.questions, format);
  await written(corporaDir, () => mkdir(corporaDir, { recursive: true }));
  for (const id of ids) {
    const path = join(corporaDir, `${id}.txt`);
    await written(path, () => writeFile(path, corpusText(dataset.corpora, id) as string));
  }
  await written(file, () => writeFile(file, contents));
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A write whose path cannot be used is the caller's to fix: a coded error naming the path, the system error as its cause. */
async function written(path: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT') throw new ChunkwiseError('NOT_FOUND', `Cannot write ${path}: a folder on its path does not exist.`, { cause });
    if (code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Cannot write ${path} (${String(code)}); choose another path.`, { cause });
    }
    throw cause;
  }
}
