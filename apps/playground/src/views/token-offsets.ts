/**
 * UTF-16 spans of tokens from the UTF-8 byte length of each, for tokenizers that report no offsets
 * (Hugging Face byte-level BPE here). Same convention as `Encoding.encodeWithOffsets`: a character
 * belongs to the token holding its first byte, and a token made only of the remaining bytes of a
 * character gets an empty span at that character's end. Returns null when the tokens do not cover
 * the text's bytes exactly (a normalizer changed the text), since spans would then be guesses.
 */
export function offsetsFromByteLengths(text: string, byteLengths: ArrayLike<number>): { starts: Uint32Array; ends: Uint32Array } | null {
  // charAtByte[b]: UTF-16 index of the character that byte b starts, or of the next character
  // start after b (for continuation bytes), so a token boundary maps to where its first whole
  // character begins.
  const encoder = new TextEncoder();
  const totalBytes = encoder.encode(text).length;
  let sum = 0;
  for (let i = 0; i < byteLengths.length; i++) sum += byteLengths[i]!;
  if (sum !== totalBytes) return null;
  const charAtByte = new Uint32Array(totalBytes + 1);
  let byte = 0;
  for (let unit = 0; unit < text.length; ) {
    const codePoint = text.codePointAt(unit)!;
    const width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    const units = codePoint > 0xffff ? 2 : 1;
    charAtByte[byte] = unit;
    for (let k = 1; k < width; k++) charAtByte[byte + k] = unit + units;
    byte += width;
    unit += units;
  }
  charAtByte[totalBytes] = text.length;
  const starts = new Uint32Array(byteLengths.length);
  const ends = new Uint32Array(byteLengths.length);
  let at = 0;
  for (let i = 0; i < byteLengths.length; i++) {
    starts[i] = charAtByte[at]!;
    at += byteLengths[i]!;
    ends[i] = charAtByte[at]!;
  }
  return { starts, ends };
}
