import { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { integerOption, parseInteger, parseIntegerList } from './flags.js';

describe('parseInteger', () => {
  it('reads every safe decimal integer within bounds back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('', ' ', '0', '00'), (n, pad) => {
        const text = pad.trim() === '' ? `${pad}${n}${pad}` : `${pad}${n}`;
        expect(parseInteger(text, '--n')).toBe(n);
      }),
    );
  });

  it('refuses anything that is not plain digits, naming the flag', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/^\d+$/.test(text.trim()));
        expect(() => parseInteger(text, '--max-tokens')).toThrow(UsageError);
      }),
    );
    for (const bad of ['8k', '1e3', '0x10', '2.0', '-1', '', ' ', '+5', '１２']) {
      expect(() => parseInteger(bad, '--max-tokens')).toThrow(`--max-tokens must be a whole number ≥ 0, got ${JSON.stringify(bad)}.`);
    }
    expect(() => parseInteger('9007199254740993', '--k')).toThrow(UsageError);
  });

  it('holds the bounds', () => {
    expect(() => parseInteger('0', '--k', { min: 1 })).toThrow('--k must be a whole number ≥ 1, got "0".');
    expect(() => parseInteger('11', '--k', { min: 1, max: 10 })).toThrow('--k must be a whole number from 1 to 10, got "11".');
    expect(parseIntegerList('512, 1024,2048', '--lengths', { min: 1 })).toEqual([512, 1024, 2048]);
    expect(() => parseIntegerList('512,,2048', '--lengths')).toThrow(UsageError);
  });

  it('parses at the commander option, with the default as a number', () => {
    const command = new Command('x').exitOverride().addOption(integerOption('-k, --k <n>', 'hits', { min: 1, default: 5 }));
    expect(command.parse([], { from: 'user' }).opts()).toEqual({ k: 5 });
    expect(new Command('x').addOption(integerOption('-k, --k <n>', 'hits', { min: 1 })).parse(['-k', '12'], { from: 'user' }).opts()).toEqual({ k: 12 });
    expect(() => new Command('x').exitOverride().addOption(integerOption('-k, --k <n>', 'hits', { min: 1 })).parse(['--k', '0'], { from: 'user' })).toThrow(UsageError);
  });
});
