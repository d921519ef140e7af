import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import { characterTokenizer } from './character-tokenizer.js';
import { CodeChunker, type CodeParser } from './code-chunker.js';
import { CODE_LANGUAGES, codeLanguageForFile, loadCodeParser, resolveCodeLanguage } from './code-grammars.js';
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

describe('CodeChunker grammars from tree-sitter-wasms', () => {
  const opts = { tokenizer: characterTokenizer, maxTokens: 100 };
  const texts = async (chunker: CodeChunker, text: string) => (await chunker.chunk(text)).map((chunk) => [chunk.start, chunk.end]);

  it('loads the TypeScript, JavaScript and Python grammars by name or extension, same chunks as a hand-made parser', async () => {
    const byHand = await texts(new CodeChunker({ ...opts, parser: typescript }), TS);
    expect(byHand).not.toEqual(await texts(new CodeChunker(opts), TS)); // syntax changes the cuts here
    expect(await texts(new CodeChunker({ ...opts, language: 'typescript' }), TS)).toEqual(byHand);
    expect(await texts(new CodeChunker({ ...opts, language: '.ts' }), TS)).toEqual(byHand);
    expect(await texts(new CodeChunker({ ...opts, language: 'py' }), PY)).toEqual(await texts(new CodeChunker({ ...opts, parser: python }), PY));
    const js = TS.replace(/: (number|string|void)/gu, '');
    const chunks = await new CodeChunker({ ...opts, language: 'javascript' }).chunk(js);
    expectChunkInvariants(js, chunks, characterTokenizer, { maxTokens: 100 });
    expect(chunks.find((chunk) => chunk.text.includes('dive(depth)'))?.text).toContain('return message;\n  }');
  });

  it('takes the grammar as bytes and web-tree-sitter as a module, as a browser bundle would pass them', async () => {
    const bytes = readFileSync(grammar('python'));
    const chunker = new CodeChunker({ ...opts, language: 'python', grammar: new Uint8Array(bytes), treeSitter: await import('web-tree-sitter') });
    expect(await texts(chunker, PY)).toEqual(await texts(new CodeChunker({ ...opts, parser: python }), PY));
  });

  it('splits languages without a grammar by lines, like no parser at all', async () => {
    const cobol = 'IDENTIFICATION DIVISION.\nPROGRAM-ID. HELLO.\n\nPROCEDURE DIVISION.\n    DISPLAY "HI".\n    STOP RUN.\n';
    const chunker = new CodeChunker({ ...opts, maxTokens: 40, language: 'cobol' });
    expect(chunker.language).toBeUndefined();
    expect(await texts(chunker, cobol)).toEqual(await texts(new CodeChunker({ ...opts, maxTokens: 40 }), cobol));
  });

  it('ships a grammar file for every language it names, and maps file names to them', () => {
    for (const language of CODE_LANGUAGES) expect(existsSync(grammar(language))).toBe(true);
    expect(codeLanguageForFile('src/app.tsx')).toBe('tsx');
    expect(codeLanguageForFile('tool.py')).toBe('python');
    expect(codeLanguageForFile('lib/x.mjs')).toBe('javascript');
    expect(codeLanguageForFile('Program.cs')).toBe('c_sharp');
    expect(codeLanguageForFile('README')).toBeUndefined();
    expect(resolveCodeLanguage('C++')).toBe('cpp');
  });

  it('rejects contradictory options and broken grammar bytes with ChunkwiseErrors', async () => {
    expect(() => new CodeChunker({ ...opts, parser: typescript, language: 'typescript' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    expect(() => new CodeChunker({ ...opts, language: 'cobol', grammar: new Uint8Array(4) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    await expect(loadCodeParser('python', new Uint8Array([0, 1, 2, 3]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The failed load is not cached: the next chunker with the same language still works.
    expect((await new CodeChunker({ ...opts, language: 'python' }).chunk(PY)).length).toBeGreaterThan(1);
  });
});
