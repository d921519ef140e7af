import { RadixPrefixCache } from '@chunkwise/cache';
import { seededRandom } from '@chunkwise/core';
import { randomTokens } from './random-tokens.js';

export interface ChatTraceRow {
  strategy: string;
  promptTokens: number;
  computedTokens: number;
  hitRate: number;
  residentBlocks: number;
  allocatedBlocks: number;
}

const PAGE = 16;

/**
 * A synthetic multi-turn chat workload: `conversations` sessions share one system prompt; each
 * turn sends the whole history plus a new user message, and the reply joins the history. Turns of
 * different sessions interleave. Returns the requests in arrival order.
 */
export function chatTrace(conversations = 40, turns = 6, seed = 7): { session: number; tokens: number[] }[] {
  const random = seededRandom(seed);
  const system = randomTokens(random, 480);
  const histories = Array.from({ length: conversations }, () => [...system]);
  const remaining = Array.from({ length: conversations }, () => turns);
  const requests: { session: number; tokens: number[] }[] = [];
  while (remaining.some((n) => n > 0)) {
    const open = remaining.flatMap((n, i) => (n > 0 ? [i] : []));
    const c = open[Math.floor(random() * open.length)]!;
    const history = histories[c]!;
    history.push(...randomTokens(random, 20 + Math.floor(random() * 60)));
    requests.push({ session: c, tokens: [...history] });
    history.push(...randomTokens(random, 30 + Math.floor(random() * 90)));
    remaining[c]!--;
  }
  return requests;
}

/**
 * Replays the trace on a prefix cache: each request reuses its longest cached page-aligned prefix
 * and computes the rest; its full pages are then cached. `shared` uses one RadixPrefixCache for
 * all sessions; otherwise each session has its own (a per-session KV cache, no sharing).
 */
function replay(requests: { session: number; tokens: number[] }[], shared: boolean): ChatTraceRow {
  const caches = new Map<number, RadixPrefixCache>();
  let nextBlock = 0;
  let computed = 0;
  let total = 0;
  for (const { session, tokens } of requests) {
    const key = shared ? 0 : session;
    let cache = caches.get(key);
    if (!cache) caches.set(key, (cache = new RadixPrefixCache({ capacityTokens: Number.MAX_SAFE_INTEGER, pageSize: PAGE })));
    const match = cache.match(tokens);
    total += tokens.length;
    computed += tokens.length - match.length;
    const pages = Math.floor(tokens.length / PAGE);
    const blocks = [...match.blocks];
    while (blocks.length < pages) blocks.push(nextBlock++);
    cache.insert(tokens.slice(0, pages * PAGE), blocks);
  }
  const resident = [...caches.values()].reduce((sum, cache) => sum + cache.size / PAGE, 0);
  return {
    strategy: shared ? 'RadixPrefixCache shared by all sessions' : 'per-session prefix cache (no sharing)',
    promptTokens: total,
    computedTokens: computed,
    hitRate: 1 - computed / total,
    residentBlocks: resident,
    allocatedBlocks: nextBlock,
  };
}

export function chatTraceTable(): string {
  const conversations = 40;
  const requests = chatTrace(conversations);
  const total = requests.reduce((sum, r) => sum + r.tokens.length, 0);
  const noCache: ChatTraceRow = {
    strategy: 'no KV reuse (recompute every turn)',
    promptTokens: total,
    computedTokens: total,
    hitRate: 0,
    residentBlocks: 0,
    allocatedBlocks: requests.reduce((sum, r) => sum + Math.ceil(r.tokens.length / PAGE), 0),
  };
  const rows = [noCache, replay(requests, false), replay(requests, true)];
  const lines = [
    `### Multi-turn chat trace: prefix sharing`,
    '',
    `${conversations} sessions × 6 turns, interleaved, one 480-token system prompt, ${PAGE}-token blocks, ${total.toLocaleString('en-US')} prompt tokens in all.`,
    '',
    '| strategy | tokens computed | hit rate | KV blocks allocated | KV blocks resident at the end |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.strategy} | ${r.computedTokens.toLocaleString('en-US')} | ${(100 * r.hitRate).toFixed(1)}% | ${r.allocatedBlocks.toLocaleString('en-US')} | ${r.residentBlocks.toLocaleString('en-US')} |`),
    '',
    `Blocks saved by sharing across sessions: ${(rows[1]!.residentBlocks - rows[2]!.residentBlocks).toLocaleString('en-US')} resident (${(100 * (1 - rows[2]!.residentBlocks / rows[1]!.residentBlocks)).toFixed(1)}%), ${(rows[1]!.allocatedBlocks - rows[2]!.allocatedBlocks).toLocaleString('en-US')} fewer allocations.`,
  ];
  return lines.join('\n');
}
