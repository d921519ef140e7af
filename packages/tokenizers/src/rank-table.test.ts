import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { RankTable } from './rank-table.js';
import { loadCl100kRanks } from './ranks/cl100k_base.js';
import { loadO200kRanks } from './ranks/o200k_base.js';
import { loadP50kRanks } from './ranks/p50k_base.js';
import { loadR50kRanks } from './ranks/r50k_base.js';

/** Rebuilds OpenAI's `.tiktoken` text form: one "<base64 token> <rank>" line per rank, in rank order. */
function tiktokenFile(table: RankTable): string {
  const lines: string[] = [];
  for (let rank = 0; rank < table.size; rank++) {
    if (!table.has(rank)) continue;
    const start = table.starts[rank]!;
    const token = table.bytes.subarray(start, start + table.lengths[rank]!);
    lines.push(`${Buffer.from(token).toString('base64')} ${rank}\n`);
  }
  return lines.join('');
}

// Expected hashes as published in tiktoken_ext/openai_public.py (`expected_hash=` of each load_tiktoken_bpe call).
describe.each([
  ['r50k_base', loadR50kRanks, '306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930'],
  ['p50k_base', loadP50kRanks, '94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069'],
  ['cl100k_base', loadCl100kRanks, '223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7'],
  ['o200k_base', loadO200kRanks, '446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d'],
] as const)('%s rank data', (_name, load, expectedHash) => {
  it('rebuilds the .tiktoken file whose SHA-256 tiktoken publishes', () => {
    const hash = createHash('sha256').update(tiktokenFile(load())).digest('hex');
    expect(hash).toBe(expectedHash);
  });

  it('finds every token by its bytes', () => {
    const table = load();
    const misses: number[] = [];
    for (let rank = 0; rank < table.size; rank++) {
      if (!table.has(rank)) continue;
      const start = table.starts[rank]!;
      if (table.rankOf(table.bytes, start, start + table.lengths[rank]!) !== rank) misses.push(rank);
    }
    expect(misses).toEqual([]);
  });
});

describe('RankTable.fromBinary', () => {
  it('rejects data without the CWR1 magic', () => {
    expect(() => RankTable.fromBinary(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    );
  });

  it('rejects truncated data', () => {
    const data = new Uint8Array([0x43, 0x57, 0x52, 0x31, 2, 0, 0, 0, 1, 1, 65]);
    let error: unknown;
    try {
      RankTable.fromBinary(data);
    } catch (caught) {
      error = caught;
    }
    expect(isChunkwiseError(error, 'CORRUPT_DATA')).toBe(true);
  });

  it('returns -1 for byte strings that are not tokens', () => {
    const table = loadCl100kRanks();
    const bytes = new TextEncoder().encode('zzzzzzzzzzzzqqqqqqqq');
    expect(table.rankOf(bytes, 0, bytes.length)).toBe(-1);
  });
});
