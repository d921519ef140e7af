import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where converted vector tables are kept when the caller names no folder: `$CHUNKWISE_CACHE_DIR`,
 * else `$XDG_CACHE_HOME/chunkwise`, else `~/.cache/chunkwise` (a temporary folder when there is
 * no home). Tables go in its `vectors/` subfolder.
 */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.CHUNKWISE_CACHE_DIR) return env.CHUNKWISE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'chunkwise');
  let home = '';
  try {
    home = homedir();
  } catch {
    // No passwd entry (some containers): fall through.
  }
  return home ? join(home, '.cache', 'chunkwise') : join(tmpdir(), 'chunkwise-cache');
}
