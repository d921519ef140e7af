import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { characterTokenizer } from './character-tokenizer.js';
import { EVERY_CHUNKER } from './__fixtures__/every-chunker.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { sotu } from './__fixtures__/corpora.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { RecursiveChunker } from './recursive-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();

/** Every State of the Union address as one Markdown book, as `chunkwise digest sotu.md` reads it. */
function sotuBook(): string {
  const addresses = sotu();
  return `# State of the Union\n\n${addresses.map((address) => `## ${address.name}, ${String(address.year)}\n\n${address.text}`).join('\n\n')}\n`;
}

/** Random text with long runs of blank lines and spaces where chunks would otherwise start or end. */
const blankHeavyText = fc
  .array(fc.oneof(unicodeText, fc.constantFrom('\n\n\n\n', '     ', '\n \n\t\n', '\r\n\r\n', ' \u00a0 ', '\u2028')), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

describe('chunks always have content', () => {
  it('a text that starts with blank lines does not give a blank chunk #0', async () => {
    // The first word does not fit beside the blank lines, so they used to be a chunk of their own.
    const text = `\n\n\n\n${'Whale'.repeat(7)} ${'Call me Ishmael. '.repeat(20)}\n\n\n\n\n\n${'Some years ago. '.repeat(20)}\n\n\n`;
    for (const recipe of ['plain', 'markdown'] as const) {
      const chunks = await new RecursiveChunker({ tokenizer: characterTokenizer, maxTokens: 36, recipe }).chunk(text);
      expectChunkInvariants(text, chunks, characterTokenizer, { maxTokens: 36 });
      expect(chunks[0]?.text).toMatch(/^\s*Whale/u);
    }
  });

  it('a text of nothing but whitespace gives no chunks', async () => {
    for (const create of Object.values(EVERY_CHUNKER)) {
      expect(await create({ tokenizer, maxTokens: 4 }).chunk('\n\n \t \r\n'.repeat(50))).toEqual([]);
    }
  });

  it('the whole SOTU book as Markdown, chunked section by section as the digest does: no blank chunk', async () => {
    const book = sotuBook();
    // Sections run from the end of one heading line to the next heading, so each starts with blank lines.
    const cuts = [0, ...[...book.matchAll(/^#{1,6} .*$/gmu)].map((match) => match.index + match[0].length), book.length];
    const chunker = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 512, recipe: 'markdown' });
    let count = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const section = book.slice(cuts[i], cuts[i + 1]);
      const chunks = await chunker.chunk(section);
      // Before: 16 of 4,517 chunks were "\n\n" (chunk #0 of a section whose first paragraph did not fit beside it).
      expect(chunks.filter((chunk) => !/\S/u.test(chunk.text)).map((chunk) => `section ${String(i)} chunk ${String(chunk.index)}`)).toEqual([]);
      expectChunkInvariants(section, chunks, o200k_base, { maxTokens: 512 });
      count += chunks.length;
    }
    expect(count).toBeGreaterThan(4000);
  }, 120_000);

  for (const [name, create] of Object.entries(EVERY_CHUNKER)) {
    it(`${name}: every chunk has content and every non-whitespace character is in a chunk`, async () => {
      await fc.assert(
        fc.asyncProperty(blankHeavyText, fc.integer({ min: 3, max: 40 }), fc.integer({ min: 0, max: 2 }), async (text, maxTokens, overlap) => {
          const chunks = await create({ tokenizer, maxTokens, overlap }).chunk(text);
          expectChunkInvariants(text, chunks, tokenizer, { maxTokens, overlap });
        }),
        { numRuns: 30 },
      );
    });
  }
});
