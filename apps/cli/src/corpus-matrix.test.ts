import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpora, type Corpus } from './__fixtures__/corpora.js';
import { runChunkwise, type CliResult } from './__fixtures__/run-chunkwise.js';

/**
 * The corpus matrix: the CLI end to end (digest; index + search --budget; chunk) on whole books, a
 * folder, mixed scripts, a 1 MiB line, blank lines and source code. Every run must exit 0 and every
 * invariant hold: offsets slice to the chunk text, counts are exact and within the limit, every
 * chunk has content and every non-whitespace character is in a chunk, and every search hit points
 * at existing offsets of the file as it is now.
 */

let dir: string;
let corpora: Corpus[];
const rows: { corpus: string; command: string; code: number; ms: number; chunks: number }[] = [];
const texts = new Map<string, string>();
const read = (file: string) => texts.get(file) ?? texts.set(file, readFileSync(join(dir, file), 'utf8')).get(file)!;

async function timed(corpus: Corpus, command: string, args: string[]): Promise<CliResult & { ms: number }> {
  const started = performance.now();
  const result = await runChunkwise(['--quiet', ...args], { cwd: dir, env: { CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '' } });
  const ms = performance.now() - started;
  if (result.code !== 0) console.error(`${corpus.name} ${command}: ${result.stderr}`);
  return { ...result, ms };
}

interface ChunkLine {
  start: number;
  end: number;
  text: string;
  tokenCount: number;
}

/** Offsets, exact counts within the limit, content in every chunk, every non-whitespace character covered. */
function checkChunks(text: string, chunks: ChunkLine[], maxTokens: number, label: string): void {
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) {
    if (text.slice(chunk.start, chunk.end) !== chunk.text) expect.fail(`${label}: chunk [${chunk.start}, ${chunk.end}) does not slice to its text`);
    if (chunk.tokenCount > maxTokens) expect.fail(`${label}: chunk [${chunk.start}, ${chunk.end}) has ${chunk.tokenCount} > ${maxTokens} tokens`);
    if (chunk.tokenCount !== o200k_base.count(chunk.text)) expect.fail(`${label}: chunk [${chunk.start}, ${chunk.end}) says ${chunk.tokenCount} tokens, o200k counts ${o200k_base.count(chunk.text)}`);
    if (!/\S/.test(chunk.text)) expect.fail(`${label}: chunk [${chunk.start}, ${chunk.end}) has no content`);
    covered.fill(1, chunk.start, chunk.end);
  }
  const missed = [...text].length === 0 ? -1 : firstUncovered(text, covered);
  if (missed >= 0) expect.fail(`${label}: character ${missed} (${JSON.stringify(text.slice(missed, missed + 20))}) is in no chunk`);
}

function firstUncovered(text: string, covered: Uint8Array): number {
  const content = /\S/g;
  for (let match = content.exec(text); match !== null; match = content.exec(text)) {
    if (covered[match.index] === 0) return match.index;
  }
  return -1;
}

/** Every passage or hit is the current file's text at its offsets. */
function checkHits(hits: { source: string; start: number; end: number; text: string }[], label: string): void {
  for (const hit of hits) {
    const text = read(hit.source);
    expect(hit.end, label).toBeLessThanOrEqual(text.length);
    if (text.slice(hit.start, hit.end) !== hit.text) expect.fail(`${label}: hit ${hit.source} [${hit.start}, ${hit.end}) is not the file's text there`);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-matrix-'));
  corpora = writeCorpora(dir);
});

afterAll(() => {
  const table = ['| corpus | command | exit | time | chunks |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.corpus} | ${r.command} | ${r.code} | ${(r.ms / 1000).toFixed(1)} s | ${r.chunks} |`)];
  console.log(`\ncorpus matrix (wall time includes ~2 s of tsx start-up per command)\n${table.join('\n')}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', 'corpus-matrix.json'), JSON.stringify(rows, null, 2) + '\n');
});

describe.each(['moby-dick', 'sotu', 'docs', 'mixed-scripts', '1 MiB line', 'blank lines', 'source code'])('corpus %s', (name) => {
  const corpus = () => corpora.find((c) => c.name === name)!;

  it('digest exits 0; chunks.jsonl and index.db hold the invariants', { timeout: 300_000 }, async () => {
    const c = corpus();
    const out = `digest-${c.file}`;
    const result = await timed(c, 'digest', ['--json', 'digest', c.file, '--out', out]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { chunks: { count: number }; index: { records: number }; summary: { words: number } };
    const lines = readFileSync(join(dir, out, 'chunks.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ChunkLine);
    rows.push({ corpus: c.name, command: 'digest', code: result.code, ms: result.ms, chunks: lines.length });
    expect(lines).toHaveLength(report.chunks.count);
    expect(report.index.records).toBe(lines.length);
    checkChunks(read(c.file), lines, 512, `${c.name} digest`);
  });

  it('index + search --budget exit 0 and every hit points at the current file', { timeout: 300_000 }, async () => {
    const c = corpus();
    const db = `${c.file}.db`;
    const indexed = await timed(c, 'index', ['--json', 'index', c.index, '--db', db]);
    expect(indexed.code).toBe(0);
    const { records } = JSON.parse(indexed.stdout) as { records: number };
    rows.push({ corpus: c.name, command: 'index', code: indexed.code, ms: indexed.ms, chunks: records });
    const budget = await timed(c, 'search --budget', ['--json', 'search', c.query, '--db', db, '--budget', '1000']);
    expect(budget.code).toBe(0);
    const context = JSON.parse(budget.stdout) as { tokens: number; passages: { source: string; start: number; end: number; text: string }[] };
    rows.push({ corpus: c.name, command: 'search --budget 1000', code: budget.code, ms: budget.ms, chunks: context.passages.length });
    expect(context.tokens).toBeLessThanOrEqual(1000);
    checkHits(context.passages, `${c.name} search --budget`);
    const plain = await timed(c, 'search', ['--json', 'search', c.query, '--db', db, '--k', '10']);
    expect(plain.code).toBe(0);
    const { hits } = JSON.parse(plain.stdout) as { hits: { source: string; start: number; end: number; text: string }[] };
    checkHits(hits, `${c.name} search`);
    if (records > 0 && c.name !== '1 MiB line') expect(hits.length).toBeGreaterThan(0);
  });

  it('chunk exits 0 and its chunks hold the invariants', { timeout: 300_000 }, async () => {
    const c = corpus();
    const result = await timed(c, 'chunk', ['chunk', c.file, '--jsonl', '--max-tokens', '256', ...(c.chunkFlags ?? [])]);
    expect(result.code).toBe(0);
    const chunks = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ChunkLine);
    rows.push({ corpus: c.name, command: `chunk${c.chunkFlags ? ` ${c.chunkFlags.join(' ')}` : ''}`, code: result.code, ms: result.ms, chunks: chunks.length });
    checkChunks(read(c.file), chunks, 256, `${c.name} chunk`);
  });
});
