import type { Cluster, Redis } from 'ioredis';
import { ioredis } from './ioredis-peer.js';
import { checkOptions } from '../argument-checks.js';
import { ChunkwiseError } from '@chunkwise/core';
import { assertBytes, assertEntries, assertExpiresAt, assertKey, assertKeys, type CacheStore, type StoreEntry } from './cache-store.js';

export type RedisClusterNode = string | { host: string; port: number };

interface RedisStoreCommon {
  /** Prepended to every key, e.g. `'myapp:'`. Default none. */
  keyPrefix?: string;
  /** Largest value accepted, in bytes. Default 16 MiB; Redis itself refuses more than 512 MiB. */
  maxValueBytes?: number;
  /** Milliseconds before a command fails (and a read becomes a miss). Default 2000. */
  commandTimeout?: number;
  /**
   * Reads that fail because the server is unreachable (a node down, a failover in progress) are
   * reported here and answered as misses, so a cache outage slows the app instead of breaking it.
   * Writes still throw STORE. Without it, failed reads throw as well.
   */
  onError?: (error: ChunkwiseError) => void;
}

export type RedisStoreOptions = RedisStoreCommon &
  ({ url: string } | { cluster: readonly RedisClusterNode[] } | { client: Redis | Cluster });

export interface RedisStore extends CacheStore {
  /** The ioredis client, for health checks and tests. */
  readonly client: Redis | Cluster;
  getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]>;
}

const DEFAULT_MAX_VALUE_BYTES = 16 * 1024 * 1024;
const REDIS_MAX_BULK = 512 * 1024 * 1024;

function parseNode(node: RedisClusterNode): { host: string; port: number } {
  if (typeof node !== 'string') return node;
  const at = node.lastIndexOf(':');
  const port = Number(node.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `redisStore: cluster node "${node}" is not host:port.`);
  }
  return { host: node.slice(0, at), port };
}

// PXAT (Redis ≥ 6.2) takes an absolute deadline, so every store expires an entry at the same instant.
const SET_IF_STRING = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'none' and kind ~= 'string' then return redis.error_reply('WRONGTYPE ' .. kind) end
if ARGV[2] == '' then return redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
`;

interface GuardedSet {
  chunkwiseSet(key: string, value: Buffer, pxat: string): Promise<unknown>;
}

function isServerReplyError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ReplyError';
}

/**
 * A content-cache store on Redis or Redis Cluster (ioredis, Node only): the tier users move to when
 * one machine is not enough. Values are Redis strings holding the cache's own encoded bytes.
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  checkOptions('redisStore', options);
  const { keyPrefix = '', maxValueBytes = DEFAULT_MAX_VALUE_BYTES, commandTimeout = 2000, onError } = options;
  if (!Number.isSafeInteger(maxValueBytes) || maxValueBytes <= 0 || maxValueBytes > REDIS_MAX_BULK) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `redisStore: maxValueBytes must be an integer in 1..${REDIS_MAX_BULK} (Redis' own limit), got ${String(maxValueBytes)}.`);
  }
  if (typeof commandTimeout !== 'number' || !(commandTimeout > 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `redisStore: commandTimeout must be a positive number of milliseconds, got ${String(commandTimeout)}.`);
  }
  // Fail fast instead of queueing commands forever while a node is down; the cache then answers misses.
  const common = { commandTimeout, maxRetriesPerRequest: 1, enableAutoPipelining: true };
  let client: Redis | Cluster;
  let owned = true;
  if ('client' in options) {
    const given = options.client as { get?: unknown; pipeline?: unknown } | null;
    if (given === null || typeof given !== 'object' || typeof given.get !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'redisStore: client must be an ioredis Redis or Cluster client.');
    }
    client = options.client;
    owned = false;
  } else if ('cluster' in options) {
    if (!Array.isArray(options.cluster) || options.cluster.length === 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'redisStore: `cluster` must list at least one "host:port" node.');
    }
    client = new ioredis.Cluster(options.cluster.map(parseNode), {
      redisOptions: common,
      enableAutoPipelining: true,
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
      slotsRefreshTimeout: 1000,
    });
  } else if (typeof options.url === 'string') {
    client = new ioredis.Redis(options.url, common);
  } else {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'redisStore: pass { url }, { cluster: ["host:port", …] } or { client }.');
  }
  const wrap = (action: string, error: unknown, key?: string): ChunkwiseError => {
    if (error instanceof ChunkwiseError) return error;
    const message = (error as Error)?.message ?? String(error);
    return new ChunkwiseError('STORE', `redisStore: could not ${action}${key ? ` "${key}"` : ''}: ${message}`, {
      cause: error,
      ...(key === undefined ? {} : { details: { key } }),
    });
  };

  // Without a listener ioredis prints every reconnect error; route them to the caller instead.
  const onClientError = (error: unknown) => onError?.(wrap('reach the server', error));
  client.on('error', onClientError);
  // SET replaces a key of any type; this script refuses to, so a list or hash another program keeps
  // under the same name is never destroyed by a cache write.
  client.defineCommand('chunkwiseSet', { numberOfKeys: 1, lua: SET_IF_STRING });
  const guardedSet = (client as unknown as GuardedSet).chunkwiseSet.bind(client);

  const wrongType = async (key: string, error: unknown): Promise<ChunkwiseError> => {
    let type = 'another type';
    try {
      type = `a Redis ${await client.type(key)}`;
    } catch {
      // The TYPE lookup is only for the message.
    }
    return new ChunkwiseError('CORRUPT_DATA', `redisStore: key "${key}" holds ${type}, not a string written by @chunkwise/cache; another program uses this key, so choose a different keyPrefix or namespace.`, {
      cause: error,
      details: { key },
    });
  };

  const checkEntry = (entry: StoreEntry): void => {
    assertKey('redisStore', entry.key);
    assertBytes('redisStore', entry.value);
    assertExpiresAt('redisStore', entry.expiresAt);
    if (entry.value.byteLength > maxValueBytes) {
      throw new ChunkwiseError('LIMIT_EXCEEDED', `redisStore: a value of ${entry.value.byteLength} bytes is over maxValueBytes ${maxValueBytes} for key "${entry.key}"; store smaller values or raise maxValueBytes.`, {
        details: { key: entry.key, bytes: entry.value.byteLength, maxValueBytes },
      });
    }
  };

  const write = async (entry: StoreEntry): Promise<void> => {
    const key = keyPrefix + entry.key;
    const value = Buffer.from(entry.value.buffer, entry.value.byteOffset, entry.value.byteLength);
    try {
      await guardedSet(key, value, entry.expiresAt === undefined ? '' : String(Math.max(1, Math.ceil(entry.expiresAt))));
    } catch (error) {
      if (isServerReplyError(error) && /WRONGTYPE/.test((error as Error).message)) throw await wrongType(key, error);
      throw wrap('write', error, key);
    }
  };

  const read = async (key: string): Promise<Uint8Array | undefined> => {
    assertKey('redisStore', key);
    const full = keyPrefix + key;
    try {
      const value = await client.getBuffer(full);
      return value === null ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    } catch (error) {
      if (isServerReplyError(error) && /WRONGTYPE/.test((error as Error).message)) throw await wrongType(full, error);
      const wrapped = wrap('read', error, full);
      if (!onError) throw wrapped;
      onError(wrapped);
      return undefined;
    }
  };

  return {
    name: 'redis',
    client,
    get: read,
    async getMany(keys) {
      assertKeys('redisStore', keys);
      // Auto-pipelining sends these in one round trip per node.
      return Promise.all(keys.map((key) => read(key)));
    },
    async set(key, value, expiresAt) {
      const entry: StoreEntry = expiresAt === undefined ? { key, value } : { key, value, expiresAt };
      checkEntry(entry);
      await write(entry);
    },
    async setMany(entries) {
      assertEntries('redisStore', entries);
      for (const entry of entries) checkEntry(entry);
      // Auto-pipelining batches these per node (and per slot in a cluster) into few round trips.
      const results = await Promise.allSettled(entries.map(write));
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
    async delete(key) {
      assertKey('redisStore', key);
      try {
        return (await client.del(keyPrefix + key)) > 0;
      } catch (error) {
        throw wrap('delete', error, keyPrefix + key);
      }
    },
    async close() {
      client.off('error', onClientError);
      if (!owned) return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
