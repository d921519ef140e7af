import { homedir, tmpdir } from 'node:os';
import { ChunkwiseError } from '@chunkwise/core';
import { join } from 'node:path';

/**
 * Where converted vector tables are kept when the caller names no folder: `$CHUNKWISE_CACHE_DIR`,
 * else `$XDG_CACHE_HOME/chunkwise`, else `~/.cache/chunkwise` (a temporary folder when there is
 * no home). Tables go in its `vectors/` subfolder.
 */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (typeof env !== 'object' || env === null) throw new ChunkwiseError('INVALID_ARGUMENT', 'defaultCacheDir(env) takes an environment object such as process.env.');
  if (typeof env.CHUNKWISE_CACHE_DIR === 'string' && env.CHUNKWISE_CACHE_DIR !== '') return env.CHUNKWISE_CACHE_DIR;
  if (typeof env.XDG_CACHE_HOME === 'string' && env.XDG_CACHE_HOME !== '') return join(env.XDG_CACHE_HOME, 'chunkwise');
  let home = '';
  try {
    home = homedir();
  } catch {
    // No passwd entry (some containers): fall through.
  }
  return home ? join(home, '.cache', 'chunkwise') : join(tmpdir(), 'chunkwise-cache');
}
