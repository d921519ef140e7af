import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reference } from './__fixtures__/tiktoken-reference.js';
import { wellFormedText } from './__fixtures__/text-arbitraries.js';
import { ENCODING_NAMES, getEncoding, type EncodingName } from './get-encoding.js';

/**
 * tiktoken's `Encoding.decode_with_offsets` (tiktoken/core.py) over npm tiktoken's token bytes: a
 * token's offset is the number of characters (code points) started before it, less one when the
 * token starts with a continuation byte.
 */
function tiktokenOffsets(name: EncodingName, ids: Uint32Array): number[] {
  const encoder = reference(name);
  const offsets: number[] = [];
  let textLength = 0;
  for (const id of ids) {
    const bytes = encoder.decode_single_token_bytes(id);
    const continuation = (byte: number) => byte >= 0x80 && byte < 0xc0;
    offsets.push(Math.max(0, textLength - (continuation(bytes[0]!) ? 1 : 0)));
    textLength += bytes.filter((byte) => !continuation(byte)).length;
  }
  return offsets;
}

/** UTF-16 offsets as code point offsets (what tiktoken's Python strings count). */
function toCodePoints(text: string, offsets: ArrayLike<number>): number[] {
  const atUnit = new Int32Array(text.length + 1);
  let points = 0;
  for (let unit = 0; unit < text.length; unit++) {
    atUnit[unit] = points;
    if (!(unit > 0 && (text.charCodeAt(unit) & 0xfc00) === 0xdc00 && (text.charCodeAt(unit - 1) & 0xfc00) === 0xd800)) points++;
    else atUnit[unit] = points - 1;
  }
  atUnit[text.length] = points;
  return Array.from(offsets, (offset) => atUnit[offset]!);
}

// tiktoken's own tests/test_offsets.py prompts (cl100k_base).
const TIKTOKEN_CASES = ['hello world', 'hello world<|endoftext|> green cow', '我非常渴望与人工智能一起工作', 'நடிகர் சூர்யா', ' Ġ除'];

describe("encodeWithOffsets({ offsets: 'tiktoken' }) follows tiktoken's decode_with_offsets", () => {
  it('on tiktoken’s own test prompts (the tiling convention differs on the three that split characters)', async () => {
    const cl100k = await getEncoding('cl100k_base');
    let differing = 0;
    for (const prompt of TIKTOKEN_CASES) {
      const { ids, starts } = cl100k.encodeWithOffsets(prompt, { allowedSpecial: 'all', offsets: 'tiktoken' });
      expect(toCodePoints(prompt, starts), prompt).toEqual(tiktokenOffsets('cl100k_base', ids));
      const tiled = cl100k.encodeWithOffsets(prompt, { allowedSpecial: 'all' });
      if (toCodePoints(prompt, tiled.starts).join() !== tiktokenOffsets('cl100k_base', ids).join()) differing++;
    }
    expect(differing).toBe(3);
  });

  it.each(ENCODING_NAMES)('%s: on generated text from every plane, with spans covering whole characters', async (name) => {
    const encoding = await getEncoding(name);
    fc.assert(
      fc.property(wellFormedText, (text) => {
        const { ids, starts, ends } = encoding.encodeWithOffsets(text, { disallowedSpecial: [], offsets: 'tiktoken' });
        expect(Array.from(ids)).toEqual(Array.from(encoding.encodeOrdinary(text)));
        expect(toCodePoints(text, starts)).toEqual(tiktokenOffsets(name, ids));
        for (let i = 0; i < ids.length; i++) {
          expect(ends[i]).toBeGreaterThan(starts[i]!); // a token inside a character has that character's span
          if (i > 0) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]!);
        }
        if (ids.length) expect(ends[ids.length - 1]).toBe(text.length);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with the tiling convention wherever no character is split', async () => {
    const o200k = await getEncoding('o200k_base');
    const text = 'Call me Ishmael. Some years ago—never mind how long precisely';
    expect(o200k.encodeWithOffsets(text, { offsets: 'tiktoken' })).toEqual(o200k.encodeWithOffsets(text));
    expect(() => o200k.encodeWithOffsets(text, { offsets: 'python' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
