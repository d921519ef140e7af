import { expectArgument } from './argument-checks.js';
import { ChunkwiseError } from './errors.js';

/** An optional peer dependency that a subpath loads, and what a user who lacks it must install. */
export interface OptionalPeer {
  /** What needs the peer, as the user reaches it: `'@chunkwise/cache/sqlite'`, `'fromAISDK'`. */
  feature: string;
  /** Every package to install, as `npm install` takes it: `'better-sqlite3@12'`, `'@langchain/core'`. */
  packages: readonly string[];
}

/**
 * Runs `load` (a `require` of the peer) and turns Node's "cannot find module" for one of
 * `peer.packages` into `ChunkwiseError('UNSUPPORTED')` naming the `npm install` command. Any other
 * failure — a peer that is present but broken, a dependency of the peer that is missing — is
 * rethrown as it is, so it is not mistaken for an uninstalled peer.
 */
export function requireOptionalPeer<T>(peer: OptionalPeer, load: () => T): T {
  checkPeer('requireOptionalPeer()', peer, load);
  try {
    return load();
  } catch (error) {
    throw missingPeerError(peer, error) ?? error;
  }
}

/** {@link requireOptionalPeer} for a dynamic `import()` of the peer. */
export async function importOptionalPeer<T>(peer: OptionalPeer, load: () => Promise<T>): Promise<T> {
  checkPeer('importOptionalPeer()', peer, load);
  try {
    return await load();
  } catch (error) {
    throw missingPeerError(peer, error) ?? error;
  }
}

function checkPeer(what: string, peer: unknown, load: unknown): void {
  const value = peer as Partial<OptionalPeer> | null;
  expectArgument(typeof value === 'object' && value !== null, `${what} peer`, 'an object { feature, packages }', peer);
  expectArgument(typeof value?.feature === 'string', `${what} peer.feature`, 'a string', value?.feature);
  const packages = value?.packages;
  expectArgument(
    Array.isArray(packages) && packages.length > 0 && packages.every((name) => typeof name === 'string' && name.length > 0),
    `${what} peer.packages`,
    'a non-empty array of package names',
    packages,
  );
  expectArgument(typeof load === 'function', `${what} load`, 'a function', load);
}

function missingPeerError(peer: OptionalPeer, error: unknown): ChunkwiseError | undefined {
  const names = peer.packages.map(packageName);
  const missing = names.find((name) => isModuleNotFound(error, name));
  if (missing === undefined) return undefined;
  const what = names.length === 1 ? `the optional peer dependency ${names[0]}` : `the optional peer dependencies ${names.join(' and ')}`;
  return new ChunkwiseError('UNSUPPORTED', `${peer.feature} needs ${what}: npm install ${peer.packages.join(' ')}`, {
    cause: error,
    details: { missing, install: `npm install ${peer.packages.join(' ')}` },
  });
}

/** `better-sqlite3@12` → `better-sqlite3`; `@langchain/core@1` → `@langchain/core`. */
function packageName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at === -1 ? spec : spec.slice(0, at);
}

/**
 * Whether `error` says that `name` itself (or a file inside it) cannot be found: Node's
 * MODULE_NOT_FOUND / ERR_MODULE_NOT_FOUND, a bundler's "Cannot find module", a dev server's
 * "Failed to load". Only the first line counts: CommonJS appends a require stack whose paths may
 * pass through the peer's own folder when one of *its* dependencies is missing.
 */
function isModuleNotFound(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  const firstLine = message.split('\n', 1)[0] ?? '';
  const notFound = code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || /cannot find (module|package)|failed to (load|resolve)/i.test(firstLine);
  if (!notFound) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s'"\`(])${escaped}($|[\\s'"\`)/])`).test(firstLine);
}
