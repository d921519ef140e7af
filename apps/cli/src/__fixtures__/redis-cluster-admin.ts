import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** One line of CLUSTER NODES. */
export interface ClusterNode {
  id: string;
  port: number;
  master: boolean;
  masterId: string;
  failed: boolean;
  slots: [number, number][];
}

/** How a running node was started, read from the node itself, so it restarts the same way wherever its files live. */
export interface NodeLaunch {
  pid: number;
  args: string[];
}

function admin(port: number): Redis {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, commandTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  return client;
}

async function withNode<T>(port: number, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = admin(port);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

export function clusterNodes(viaPort: number): Promise<ClusterNode[]> {
  return withNode(viaPort, async (client) =>
    ((await client.cluster('NODES')) as string)
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, masterId, , , , , ...ranges] = line.split(' ') as string[];
        return {
          id: id as string,
          port: Number((address as string).split('@')[0]?.split(':')[1]),
          master: (flags as string).includes('master'),
          masterId: masterId as string,
          failed: /(^|,)fail(,|$)/.test(flags as string),
          slots: ranges.filter((r) => /^\d/.test(r)).map((r) => (r.includes('-') ? (r.split('-').map(Number) as [number, number]) : [Number(r), Number(r)])),
        };
      }),
  );
}

export function clusterOk(port: number): Promise<boolean> {
  return withNode(port, async (client) => /cluster_state:ok/.test((await client.cluster('INFO')) as string)).catch(() => false);
}

export function slotOf(port: number, key: string): Promise<number> {
  return withNode(port, async (client) => Number(await client.cluster('KEYSLOT', key)));
}

export function replicationField(port: number, field: string): Promise<string | undefined> {
  return withNode(port, async (client) => new RegExp(`^${field}:(.*)$`, 'm').exec(await client.info('replication'))?.[1]?.trim()).catch(() => undefined);
}

export function launchOf(port: number): Promise<NodeLaunch> {
  return withNode(port, async (client) => {
    const get = async (name: string) => ((await client.config('GET', name)) as string[])[1] ?? '';
    const [dir, configFile, logfile, pidfile, timeout] = await Promise.all(['dir', 'cluster-config-file', 'logfile', 'pidfile', 'cluster-node-timeout'].map(get));
    const pid = Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
    const inDir = (file: string) => (file.startsWith('/') ? file : `${dir}/${file}`);
    return {
      pid,
      // The node's own settings, as .ci/services.sh starts cluster nodes.
      args: ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes', '--cluster-config-file', inDir(configFile as string), '--cluster-node-timeout', timeout as string, '--dir', dir as string, ...(logfile ? ['--logfile', inDir(logfile)] : []), ...(pidfile ? ['--pidfile', inDir(pidfile)] : [])],
    };
  });
}

export function startNode(launch: NodeLaunch): void {
  execFileSync('redis-server', launch.args);
}

export function alive(port: number): Promise<boolean> {
  return withNode(port, async (client) => (await client.ping()) === 'PONG').catch(() => false);
}

/** Asks a replica to take its master's role back (after it rejoined), as the cluster was before. */
export function takeOver(port: number): Promise<unknown> {
  return withNode(port, (client) => client.cluster('FAILOVER'));
}

/** Polls `check` until it is true; generous, since the shared 2-core machine can be very busy. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const FAILOVER_LOCK = join(tmpdir(), 'chunkwise-redis-cluster-failover.lock');

/**
 * Held from killing a master until the cluster is whole again. Test suites run in parallel
 * (turbo runs packages at once); two masters of three down at the same time leave no majority to
 * promote a replica, so every test that kills a node should take this lock (a file holding the
 * holder's pid; a holder that died leaves it stale, and it is taken over).
 */
export async function withFailoverLock<T>(fn: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(FAILOVER_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(FAILOVER_LOCK, 'utf8').trim() || 0);
      let running = holder > 0;
      try {
        if (running) process.kill(holder, 0);
      } catch {
        running = false;
      }
      if (!running) rmSync(FAILOVER_LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`Another test (pid ${holder}) holds ${FAILOVER_LOCK}.`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(FAILOVER_LOCK, { force: true });
  }
}

/** Every node up and in the cluster, every master with a connected replica: safe to kill one. */
export async function clusterWhole(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) if (!(await clusterOk(port))) return false;
  const nodes = await clusterNodes(ports[0] as number);
  if (nodes.some((n) => n.failed) || nodes.length < ports.length) return false;
  for (const master of nodes.filter((n) => n.master && n.slots.length > 0)) {
    const replica = nodes.find((n) => n.masterId === master.id);
    if (!replica || (await replicationField(replica.port, 'master_link_status')) !== 'up') return false;
  }
  return true;
}
