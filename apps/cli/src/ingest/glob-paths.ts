import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ChunkwiseError } from '@chunkwise/core';

const GLOB_CHARS = /[*?[]/;

/**
 * `index` arguments with glob patterns expanded, for shells that pass them through quoted
 * (`'docs/**\/*.md'`): `*` and `?` match within a name, `[abc]` one character, `**` any folders.
 * An argument that exists as a path, `-`, or one without glob characters is kept as it is.
 * Matches come in name order; hidden entries, node_modules and symlinks are not followed.
 */
export async function expandGlobs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (path === '-' || !GLOB_CHARS.test(path) || (await stat(path).catch(() => undefined)) !== undefined) {
      out.push(path);
      continue;
    }
    const parts = path.split(/[\\/]/);
    const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
    const base = parts.slice(0, firstGlob).join('/') || (path.startsWith('/') ? '/' : '.');
    const pattern = globRegExp(parts.slice(firstGlob).join('/'));
    const matches = (await walk(base)).filter((file) => pattern.test(relative(base, file).split(sep).join('/')));
    if (matches.length === 0) throw new ChunkwiseError('NOT_FOUND', `No file matches ${path}.`);
    out.push(...matches);
  }
  return out;
}

/** A glob as an anchored regular expression over `/`-separated relative paths. */
export function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything below.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.isSymbolicLink()) continue;
    const path = folder === '.' ? entry.name : join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
