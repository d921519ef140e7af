import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandGlobs, globRegExp } from './glob-paths.js';

describe('globRegExp', () => {
  it('matches * and ? within a name, ** across folders, [..] one character', () => {
    const cases: [string, string, boolean][] = [
      ['*.md', 'a.md', true],
      ['*.md', 'sub/a.md', false],
      ['**/*.md', 'a.md', true],
      ['**/*.md', 'x/y/a.md', true],
      ['sotu/**', 'sotu/1790/section.md', true],
      ['chapter-?.md', 'chapter-7.md', true],
      ['chapter-?.md', 'chapter-17.md', false],
      ['chapter-[12].md', 'chapter-2.md', true],
      ['chapter-[!12].md', 'chapter-2.md', false],
      ['a+b(1).md', 'a+b(1).md', true],
    ];
    for (const [glob, path, match] of cases) expect([glob, path, globRegExp(glob).test(path)]).toEqual([glob, path, match]);
  });

  it('matches a pattern without glob characters only to itself (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !/[*?[\]]/.test(s)), fc.string(), (literal, other) => {
        expect(globRegExp(literal).test(literal)).toBe(true);
        if (other !== literal) expect(globRegExp(literal).test(other)).toBe(false);
      }),
    );
  });
});

describe('expandGlobs', () => {
  it('expands quoted globs in name order and keeps paths that exist, - and plain names as given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chunkwise-glob-'));
    await mkdir(join(dir, 'docs', 'deep'), { recursive: true });
    await mkdir(join(dir, 'docs', '.hidden'));
    for (const file of ['docs/b.md', 'docs/a.md', 'docs/deep/c.md', 'docs/deep/d.txt', 'docs/.hidden/e.md']) await writeFile(join(dir, file), 'x');
    expect(await expandGlobs([join(dir, 'docs/**/*.md')])).toEqual(['docs/a.md', 'docs/b.md', 'docs/deep/c.md'].map((f) => join(dir, f)));
    expect(await expandGlobs([join(dir, 'docs/*.md'), '-', join(dir, 'docs/deep/d.txt')])).toEqual([join(dir, 'docs/a.md'), join(dir, 'docs/b.md'), '-', join(dir, 'docs/deep/d.txt')]);
    await expect(expandGlobs([join(dir, 'docs/*.pdf')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
