import { Cluster, Redis } from 'ioredis';
import { ChunkwiseError } from '@chunkwise/core';
import { UsageError } from '../errors.js';

/** A `--queue` or `--cache` Redis address: one server, or the seed nodes of a Redis Cluster. */
export type RedisTarget = { kind: 'server'; url: string } | { kind: 'cluster'; nodes: { host: string; port: number }[] };

const SERVER = /^rediss?:\/\//i;
const CLUSTER = /^redis\+cluster:\/\//i;

export function isRedisUrl(value: string): boolean {
  return SERVER.test(value) || CLUSTER.test(value);
}

/**
 * Reads `redis://[user:pass@]host:port[/db]` (one server) or
 * `redis+cluster://host:port[,host:port…]` (a Redis Cluster, any reachable nodes; the client
 * learns the others and follows failovers).
 */
export function parseRedisTarget(value: string, flag: string): RedisTarget {
  if (SERVER.test(value)) return { kind: 'server', url: value };
  if (!CLUSTER.test(value)) throw new UsageError(`${flag} takes redis://host:port or redis+cluster://host:port[,host:port…], got ${JSON.stringify(value)}.`);
  const nodes = value
    .replace(CLUSTER, '')
    .replace(/\/.*$/, '')
    .split(',')
    .filter((node) => node !== '')
    .map((node) => {
      const at = node.lastIndexOf(':');
      const port = Number(node.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${flag}: cluster node ${JSON.stringify(node)} is not host:port.`);
      return { host: node.slice(0, at), port };
    });
  if (nodes.length === 0) throw new UsageError(`${flag}: redis+cluster:// needs at least one host:port.`);
  return { kind: 'cluster', nodes };
}

/** `--queue`/`--cache` in messages: a password is never printed. */
export function redactRedis(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/**
 * A connection for BullMQ: commands wait through a failover (no per-request retry limit, as
 * BullMQ requires for its blocking connection), and a cluster client follows the new master.
 */
export function queueConnection(target: RedisTarget): Redis | Cluster {
  const common = { maxRetriesPerRequest: null, enableReadyCheck: true };
  const client =
    target.kind === 'server'
      ? new Redis(target.url, common)
      : new Cluster(target.nodes, { redisOptions: common, retryDelayOnFailover: 300, retryDelayOnClusterDown: 300, retryDelayOnTryAgain: 300, slotsRefreshTimeout: 2000 });
  // Connection errors surface as failed commands; without a listener ioredis prints each retry.
  client.on('error', () => {});
  return client;
}

interface Node {
  call(...args: unknown[]): Promise<unknown>;
}

/**
 * Redis replicates asynchronously: a master that dies loses what it acknowledged but had not yet
 * sent on. On every master that has replicas, WAIT 1 returns once one of them holds this client's
 * writes so far (ioredis keeps one connection per node, the one the writes went through). When no
 * replica confirms within 2 s, or a master cannot be asked, this throws STORE: the caller treats
 * the writes as not done (a worker does not acknowledge the job, which then runs again).
 */
export async function waitForReplicas(client: unknown): Promise<void> {
  const cluster = client as { nodes?: (role: 'master') => Node[] };
  const nodes = typeof cluster.nodes === 'function' ? cluster.nodes('master') : [client as Node];
  await Promise.all(
    nodes.map(async (node) => {
      let confirmed: unknown = 1;
      try {
        const role = (await node.call('ROLE')) as [string, number, unknown[]?];
        if (role[0] === 'master' && (role[2]?.length ?? 0) > 0) confirmed = await node.call('WAIT', 1, 2000);
      } catch (error) {
        throw new ChunkwiseError('STORE', `Redis: could not confirm that a replica holds the writes: ${(error as Error).message}`, { cause: error });
      }
      if (confirmed === 0) throw new ChunkwiseError('STORE', 'Redis: no replica confirmed the writes within 2 s (a failover in progress?).');
    }),
  );
}
