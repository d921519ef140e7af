import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ChunkwiseError } from '@chunkwise/core';

/**
 * Writes an output file (report.json, chunks.jsonl, report.html, summary.md, a chart) so that a
 * reader, a crash or a kill half-way never sees half of it: the bytes go to a new temporary file
 * in the same folder, are flushed to disk, and the temporary file is renamed over the output, which
 * replaces it in one step. The earlier file stays complete until that rename.
 *
 * Symlinks: an output path that is a symlink is replaced by a regular file; the link's target is
 * never opened or written (rename replaces the directory entry, not what it points to). The
 * temporary file is created with O_EXCL, so a link planted under its name makes the write fail
 * instead of being followed.
 */
export function writeOutputFile(path: string, data: string | Uint8Array): Promise<void> {
  return writeOutputStream(path, (write) => write(data));
}

/**
 * {@link writeOutputFile} for output made piece by piece (chunks.jsonl of a whole book): `produce`
 * writes the pieces in order with `write`, and only then does the file replace the old one, so
 * the whole output is never held in memory.
 */
export async function writeOutputStream(path: string, produce: (write: (data: string | Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  const folder = dirname(path);
  const name = basename(path);
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new ChunkwiseError('INVALID_ARGUMENT', `Cannot write ${path}: it is a directory.`);
  await removeAbandonedTemporaries(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': O_CREAT | O_EXCL. Keep the old file's permissions when it was a regular file.
  const handle = await open(temporary, 'wx', existing?.isFile() ? existing.mode & 0o7777 : 0o666);
  try {
    // writeFile on a handle writes all of `data` at the current position, looping over short writes.
    await produce((data) => handle.writeFile(data));
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await syncFolder(folder);
}

/** Makes the rename itself durable: without it a power cut can bring back the old entry. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Temporary files of `name` left by a process that was killed mid-write (its pid is gone). */
async function removeAbandonedTemporaries(folder: string, name: string): Promise<void> {
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (!match || match[1] !== name || isRunning(Number(match[2]))) continue;
    await unlink(join(folder, entry)).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
