import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeJsonControls, neutraliseControls } from './terminal-text.js';

// eslint-disable-next-line no-control-regex -- the characters a terminal acts on
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('\u001b', '\u009b', '\r', '\n', '\t', '\u0007', '\u007f', '\u0085'), fc.string({ unit: 'grapheme', maxLength: 1 })) });

describe('neutraliseControls', () => {
  it('leaves no control character but newline and tab', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = neutraliseControls(text);
        expect(out).not.toMatch(RAW_CONTROL);
        // Lines and tabs survive where they carry meaning.
        expect(out.split('\n').length).toBe(text.split('\n').length);
        expect(neutraliseControls(text, false)).not.toMatch(/[\n\t]/);
      }),
    );
  });

  it('changes nothing in text without controls', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre(!RAW_CONTROL.test(text));
        expect(neutraliseControls(text)).toBe(text);
      }),
    );
    expect(neutraliseControls('Ahab 🐋 عربى 日本\n\tend')).toBe('Ahab 🐋 عربى 日本\n\tend');
  });

  it('shows each control as its \\xHH form', () => {
    expect(neutraliseControls('\u001b[31mred\u001b[0m\u009b2J\r')).toBe('\\x1b[31mred\\x1b[0m\\x9b2J\\x0d');
  });
});

describe('escapeJsonControls', () => {
  it('keeps JSON exact and free of raw controls', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const json = escapeJsonControls(JSON.stringify({ text }));
        expect(JSON.parse(json)).toEqual({ text });
        expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/); // eslint-disable-line no-control-regex
      }),
    );
  });
});
