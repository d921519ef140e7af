import { lstat, readdir, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { ChunkwiseError } from '@chunkwise/core';

/** File name endings `index` picks up when it walks a folder: plain text and Markdown. */
export const INDEXED_EXTENSIONS = ['.md', '.markdown', '.txt', '.text'] as const;

/** The source name of standard input (`-`). */
export const STDIN_SOURCE = 'stdin';

/** One thing to index: a file (given, or found in a folder) or standard input. */
export interface IndexSource {
  /** The store's `meta.source`: the path as the user wrote it, normalised, with `/` separators. */
  name: string;
  /** Where to read it; undefined for standard input. */
  path?: string;
  /** The folder argument it was found in; undefined for files and stdin given directly. */
  folder?: string;
}

/** A path as a stable source name: `./docs//a.md` and `docs/a.md` are the same source. */
export function sourceName(path: string): string {
  const normal = normalize(path).split(sep).join('/');
  return normal.startsWith('./') ? normal.slice(2) : normal;
}

/**
 * Expands the `index` arguments: a file is itself, `-` is standard input, a folder is every text
 * and Markdown file under it (recursively, in name order). Hidden entries (`.git`, `.cache`),
 * `node_modules` and symlinks inside folders are skipped, so a walk never loops or leaves the tree.
 */
export async function collectSources(paths: readonly string[]): Promise<{ sources: IndexSource[]; folders: string[] }> {
  const sources: IndexSource[] = [];
  const folders: string[] = [];
  const seen = new Set<string>();
  const add = (source: IndexSource) => {
    if (seen.has(source.name)) return;
    seen.add(source.name);
    sources.push(source);
  };
  for (const path of paths) {
    if (path === '-') {
      add({ name: STDIN_SOURCE });
      continue;
    }
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new ChunkwiseError('NOT_FOUND', `Cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file or folder' : error.message}.`, { cause: error });
    });
    if (info.isDirectory()) {
      const folder = sourceName(path);
      folders.push(folder);
      for (const file of await walk(path)) add({ name: sourceName(file), path: file, folder });
    } else {
      add({ name: sourceName(path), path });
    }
  }
  return { sources, folders };
}

async function walk(folder: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.isSymbolicLink()) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && (INDEXED_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase())) files.push(path);
  }
  return files;
}

/** True when the source name lies inside the folder (a source name, as {@link sourceName} gives). */
export function isInsideFolder(source: string, folder: string): boolean {
  const path = relative(folder, source);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/** True when a file is still on disk (the test `--prune` applies before dropping a source). */
export async function fileExists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
