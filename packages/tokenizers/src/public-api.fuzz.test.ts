// Every export of the package, called with wrong types: each call must return a result or throw
// (reject with) a ChunkwiseError that has a code, never another exception, never hang.
import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unigramTokenizerJson } from './__fixtures__/unigram-tokenizer-json.js';
import { wordPieceTokenizerJson } from './__fixtures__/wordpiece-tokenizer-json.js';
import * as api from './index.js';
import { cl100k_base } from './cl100k_base.js';
import { o200k_base } from './o200k_base.js';
import { o200k_harmony } from './o200k_harmony.js';
import { p50k_base } from './p50k_base.js';
import { p50k_edit } from './p50k_edit.js';
import { r50k_base } from './r50k_base.js';

const deep = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};
const circular: Record<string, unknown> = {};
circular.self = circular;

/** Values of every wrong type, plus a few right ones, so that combinations reach deep code. */
const BAD: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  2 ** 32,
  10n,
  true,
  '',
  'a',
  '\ud800',
  'x\udc00y',
  'all',
  '<|endoftext|>',
  'o300k',
  Symbol('s'),
  () => 1,
  {},
  Object.create(null),
  [],
  [null],
  [-1],
  [1.5],
  ['a'],
  [2 ** 40],
  [Number.NaN],
  { length: -1 },
  { length: 2 ** 40 },
  { length: 2, 0: 'x' },
  new Uint32Array([1, 2, 3]),
  new Float64Array([0.5]),
  deep(100_000),
  circular,
  { allowedSpecial: 5 },
  { allowedSpecial: 'x' },
  { allowedSpecial: [1] },
  { disallowedSpecial: null },
  { disallowedSpecial: [null] },
  { allowedSpecial: 'all' },
  { addSpecialTokens: 'no' },
  { skipSpecialTokens: 1 },
  { name: 5 },
  [{ role: 'user', content: 5 }],
  [{ role: null, content: 'hi' }],
  [null],
  'gpt-4o',
  'x'.repeat(200_000),
  new Array(200_000).fill(65),
];

type Call = (...args: unknown[]) => unknown;

const hfWordPiece = api.HfTokenizer.fromJSON(wordPieceTokenizerJson() as api.TokenizerJson);
const hfUnigram = api.HfTokenizer.fromJSON(unigramTokenizerJson() as api.TokenizerJson);

/** An entry point, and arguments it accepts: each bad value replaces one of them in turn. */
type Entry = [name: string, call: Call, valid: unknown[]];

function methods(prefix: string, target: object, valid: Record<string, unknown[]>): Entry[] {
  return Object.entries(valid).map(([name, args]) => [`${prefix}.${name}`, (...rest) => (target as Record<string, Call>)[name]!(...rest), args]);
}

const TEXT = 'Call me Ishmael. 🐋 naïve <|endoftext|>';
const encodingValid = (encoding: api.Encoding): Record<string, unknown[]> => ({
  encode: [TEXT, { allowedSpecial: 'all' }],
  encodeOrdinary: [TEXT],
  encodeWithOffsets: [TEXT, { allowedSpecial: ['<|endoftext|>'] }],
  count: [TEXT],
  sliceCounter: [TEXT],
  isWithinLimit: [TEXT, 3],
  decodeBytes: [encoding.encodeOrdinary(TEXT)],
  decode: [Array.from(encoding.encodeOrdinary(TEXT))],
  createDecoder: [],
});
const hfValid = (tokenizer: api.HfTokenizer): Record<string, unknown[]> => ({
  encode: [TEXT, { addSpecialTokens: false }],
  encodeWithOffsets: [TEXT, {}],
  encodePair: [TEXT, 'whale', {}],
  encodePairWithOffsets: [TEXT, 'whale', { addSpecialTokens: true }],
  count: [TEXT],
  decodeBytes: [tokenizer.encode(TEXT), { skipSpecialTokens: true }],
  decode: [Array.from(tokenizer.encode(TEXT)), {}],
});

const CALLS: Entry[] = [
  ['getEncoding', (name) => api.getEncoding(name as never), ['cl100k_base']],
  ['isEncodingName', (name) => api.isEncodingName(name), ['o200k_base']],
  ['encodingForModel', (model) => api.encodingForModel(model as never), ['gpt-4o']],
  ['countChat', (messages, model) => api.countChat(messages as never, model as never), [[{ role: 'user', content: 'Hi', name: 'me' }], 'gpt-4o']],
  ['resolveTokenizer', (tokenizer) => api.resolveTokenizer(tokenizer as never), ['characters']],
  ['isTokenizerName', (name) => api.isTokenizerName(name), ['characters']],
  ['isCharacterTokenizer', (value) => api.isCharacterTokenizer(value), [api.characterTokenizer]],
  ['new CharacterTokenizer', () => new api.CharacterTokenizer(), []],
  ['new Encoding', (definition) => new api.Encoding(definition as never), [{ name: 'x', loadRanks: () => o200k_base.table, preTokenizer: { pieceEnd: (text: string) => text.length }, specialTokens: {} }]],
  ['HfTokenizer.fromJSON', (json, options) => api.HfTokenizer.fromJSON(json as never, options as never), [wordPieceTokenizerJson(), { name: 'bert' }]],
  ...methods('characterTokenizer', api.characterTokenizer, { encode: [TEXT], decode: [[104, 105]], count: [TEXT] }),
  ...[r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base, o200k_harmony].flatMap((encoding) => methods(encoding.name, encoding, encodingValid(encoding))),
  ...methods('sliceCounter', o200k_base.sliceCounter(TEXT), { count: [2, 20], pieceStartAtMost: [10] }),
  ...methods('decoder', o200k_base.createDecoder(), { write: [[1, 2]], end: [] }),
  ...methods('wordPiece', hfWordPiece, hfValid(hfWordPiece)),
  ...methods('unigram', hfUnigram, hfValid(hfUnigram)),
];

/** Runs `call`; undefined when it answered or threw a coded ChunkwiseError, else what it threw. */
async function offence(call: Call, args: unknown[]): Promise<unknown> {
  try {
    await call(...args);
    return undefined;
  } catch (error) {
    return isChunkwiseError(error) && typeof error.code === 'string' ? undefined : error;
  }
}

describe('every public entry point answers bad input with a ChunkwiseError', () => {
  it.each(CALLS)('%s: each wrong value in each argument position', async (name, call, valid) => {
    expect(await offence(call, valid), 'the valid arguments are accepted').toBeUndefined();
    const failures: string[] = [];
    for (let position = 0; position <= valid.length; position++) {
      for (const value of BAD) {
        const args = [...valid];
        args[position] = value;
        const error = await offence(call, args);
        if (error !== undefined) failures.push(`${name}(arg ${position} = ${show(value)}): ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(CALLS)('%s: random combinations of wrong and right values', async (name, call) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...BAD), { maxLength: 3 }), async (args) => {
        const error = await offence(call, args);
        if (error !== undefined) throw new Error(`${name}(${args.map(show).join(', ')}): ${String(error)}`);
      }),
      { numRuns: 40 },
    );
  });
});

function show(value: unknown): string {
  if (typeof value === 'string') return value.length > 20 ? `string(${value.length})` : JSON.stringify(value);
  if (typeof value === 'symbol' || typeof value === 'bigint' || typeof value === 'function') return typeof value;
  if (Array.isArray(value)) return `array(${value.length})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return 'object';
  }
}
