import { ChunkwiseError } from '@chunkwise/core';
import { checkNumberList, describeValue } from '../argument-checks.js';

/**
 * vLLM automatic prefix caching (arXiv 2309.06180, v1 design): a full block is identified by
 * hash(parent block's hash, the block's tokens, extra keys), so equal hashes mean equal prefixes,
 * not just equal blocks. This is a fast synchronous 64-bit hash (two independent 32-bit lanes), fine
 * for in-process deduplication of up to millions of blocks (collision odds ~ n²/2^65); it is not a
 * cryptographic hash: use `hashKey` from core for content that crosses a trust boundary.
 */
export function chainBlockHashes(tokens: ArrayLike<number>, blockSize: number, extraKey = ''): string[] {
  checkNumberList('chainBlockHashes', 'tokens', tokens);
  if (typeof extraKey !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `chainBlockHashes: extraKey must be a string, got ${describeValue(extraKey)}.`);
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `chainBlockHashes: blockSize must be a positive integer, got ${String(blockSize)}.`);
  }
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < extraKey.length; i++) {
    a = mix(a, extraKey.charCodeAt(i));
    b = mix(b ^ 0x5bd1e995, extraKey.charCodeAt(i));
  }
  const hashes: string[] = [];
  const full = Math.floor(tokens.length / blockSize) * blockSize;
  for (let start = 0; start < full; start += blockSize) {
    // Seed each block with its parent's hash: the chain is what makes a hash name a whole prefix.
    let ha = a;
    let hb = b;
    for (let i = start; i < start + blockSize; i++) {
      const token = tokens[i]!;
      if (!Number.isInteger(token) || token < 0 || token > 0xffffffff) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `chainBlockHashes: token ${String(token)} at ${i} is not a uint32 id.`);
      }
      ha = mix(ha, token);
      hb = mix(hb, token ^ 0xa5a5a5a5);
    }
    a = finalize(ha ^ blockSize);
    b = finalize(hb ^ Math.imul(blockSize, 0x27d4eb2d));
    hashes.push(hex(a) + hex(b));
  }
  return hashes;
}

function mix(h: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
