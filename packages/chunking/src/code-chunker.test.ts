import { createRequire } from 'node:module';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import { characterTokenizer } from './character-tokenizer.js';
import { CodeChunker, type CodeParser } from './code-chunker.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';

const require = createRequire(import.meta.url);
const grammar = (name: string) => require.resolve(`tree-sitter-wasms/out/tree-sitter-${name}.wasm`);

const TS = `import { x } from './x';

export function add(a: number, b: number): number {
  return a + b;
}

/** A whale. */
export class Whale {
  name = 'Moby 🐋';

  dive(depth: number): string {
    const message = \`diving to \${depth}\`;
    return message;
  }

  surface(): void {
    console.log('blow');
  }
}
`;

const PY = `import math

def area(r):
    return math.pi * r * r

class Ship:
    def __init__(self, name):
        self.name = name

    def sail(self, knots):
        for i in range(knots):
            print(i)
        return knots
`;

let typescript: CodeParser;
let python: CodeParser;

beforeAll(async () => {
  await Parser.init();
  typescript = new Parser().setLanguage(await Language.load(grammar('typescript')));
  python = new Parser().setLanguage(await Language.load(grammar('python')));
});

describe('CodeChunker', () => {
  it('keeps TypeScript functions and classes whole when they fit', async () => {
    const chunks = await new CodeChunker({ tokenizer: characterTokenizer, maxTokens: 260, parser: typescript }).chunk(TS);
    expectChunkInvariants(TS, chunks, characterTokenizer, { maxTokens: 260 });
    expect(chunks.map((chunk) => chunk.text.trimStart().split('\n')[0])).toEqual([
      "import { x } from './x';",
      '/** A whale. */',
    ]);
  });

  it('splits a class that does not fit at its members, each method whole', async () => {
    const chunks = await new CodeChunker({ tokenizer: characterTokenizer, maxTokens: 100, parser: typescript }).chunk(TS);
    expectChunkInvariants(TS, chunks, characterTokenizer, { maxTokens: 100 });
    const dive = chunks.find((chunk) => chunk.text.includes('dive(depth'));
    expect(dive?.text).toContain('return message;\n  }');
    expect(dive?.text.startsWith('  dive') || dive?.text.includes('\n  dive')).toBe(true);
  });

  it('splits Python at definitions, methods staying whole', async () => {
    const chunks = await new CodeChunker({ tokenizer: characterTokenizer, maxTokens: 120, parser: python }).chunk(PY);
    expectChunkInvariants(PY, chunks, characterTokenizer, { maxTokens: 120 });
    expect(chunks.some((chunk) => chunk.text.includes('    def sail(self, knots):\n        for i in range(knots):\n            print(i)\n        return knots'))).toBe(true);
    expect(chunks.find((chunk) => chunk.text.includes('def area'))?.text).toContain('return math.pi * r * r');
  });

  it('falls back to lines without a parser and keeps every invariant on random text', async () => {
    const tokenizer = new OffsetByteTripletTokenizer();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(TS, PY), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 4, max: 60 }), fc.boolean(), async (code, noise, maxTokens, withParser) => {
        const text = code + noise;
        const parser = withParser ? (code === TS ? typescript : python) : undefined;
        const chunks = await new CodeChunker({ tokenizer, maxTokens, ...(parser ? { parser } : {}) }).chunk(text);
        expectChunkInvariants(text, chunks, tokenizer, { maxTokens });
      }),
      { numRuns: 30 },
    );
  });
});
