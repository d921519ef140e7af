import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { scanMarkdownBlocks } from './boundaries/markdown-blocks.js';
import { characterTokenizer } from './character-tokenizer.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { MarkdownChunker } from './markdown-chunker.js';

const DOC = `# Moby Dick

## Loomings

Call me Ishmael.

\`\`\`python
# not a heading
print("whale")
\`\`\`

| ship | captain |
|------|---------|
| Pequod | Ahab |

## The Carpet-Bag

- a shirt
- a hat
`;

describe('scanMarkdownBlocks', () => {
  it('finds headings, fences (a # inside is code), tables and lists', () => {
    const blocks = scanMarkdownBlocks(DOC).map((block) => [block.kind, block.title ?? DOC.slice(block.start, block.end).split('\n')[0]]);
    expect(blocks).toEqual([
      ['heading', 'Moby Dick'],
      ['heading', 'Loomings'],
      ['paragraph', 'Call me Ishmael.'],
      ['fence', '```python'],
      ['table', '| ship | captain |'],
      ['heading', 'The Carpet-Bag'],
      ['list', '- a shirt'],
    ]);
  });
});

describe('MarkdownChunker', () => {
  it('carries the heading path and keeps fences and tables whole when they fit', async () => {
    const chunks = await new MarkdownChunker({ tokenizer: characterTokenizer, maxTokens: 60 }).chunk(DOC);
    expectChunkInvariants(DOC, chunks, characterTokenizer, { maxTokens: 60 });
    const fence = chunks.find((chunk) => chunk.text.includes('```python'));
    expect(fence?.text).toContain('print("whale")\n```');
    expect(fence?.meta?.headings).toEqual(['Moby Dick', 'Loomings']);
    const table = chunks.find((chunk) => chunk.text.includes('| ship'));
    expect(table?.text).toContain('| Pequod | Ahab |');
    const list = chunks.find((chunk) => chunk.text.includes('- a shirt'));
    expect(list?.meta?.headings).toEqual(['Moby Dick', 'The Carpet-Bag']);
  });

  it('splits a giant table by rows and a giant fence by lines, within the limit', async () => {
    const table = `| id | name |\n|----|------|\n${Array.from({ length: 3000 }, (_, i) => `| ${String(i)} | row ${String(i)} |`).join('\n')}\n`;
    const fence = `\`\`\`js\n${Array.from({ length: 3000 }, (_, i) => `const v${String(i)} = ${String(i)};`).join('\n')}\n\`\`\`\n`;
    const text = `# Data\n\n${table}\n${fence}`;
    const chunks = await new MarkdownChunker({ tokenizer: o200k_base, maxTokens: 200 }).chunk(text);
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 200 });
    // Every cut inside the table or fence falls at the end of a row or line.
    for (const chunk of chunks.slice(0, -1)) expect(text[chunk.end - 1]).toBe('\n');
  });

  it('keeps every invariant on random Unicode', async () => {
    const tokenizer = new OffsetByteTripletTokenizer();
    await fc.assert(
      fc.asyncProperty(unicodeText, fc.integer({ min: 4, max: 50 }), async (text, maxTokens) => {
        expectChunkInvariants(text, await new MarkdownChunker({ tokenizer, maxTokens }).chunk(text), tokenizer, { maxTokens });
      }),
      { numRuns: 50 },
    );
  });

  it('gives every chunk meta.headings, typed: chunk() and chunkStream() results need no cast (property)', async () => {
    const line = fc.oneof(fc.constantFrom('# Title', '## Part', '### Sub', 'Setext\n===', '```\n# not a heading\n```', ''), fc.string({ maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), async (lines) => {
        const text = lines.join('\n\n');
        const chunker = new MarkdownChunker({ tokenizer: o200k_base, maxTokens: 12 });
        // No `?.` and no cast: MarkdownChunk's meta.headings is a string[] in the types.
        const headings: string[][] = (await chunker.chunk(text)).map((chunk) => chunk.meta.headings);
        const streamed: string[][] = [];
        for await (const chunk of chunker.chunkStream([text])) streamed.push(chunk.meta.headings);
        expect(headings.every((path) => Array.isArray(path) && path.every((title) => typeof title === 'string'))).toBe(true);
        expect(streamed).toEqual(headings);
      }),
      { numRuns: 50 },
    );
  });
});
