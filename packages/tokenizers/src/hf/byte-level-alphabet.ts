/**
 * GPT-2's byte-level alphabet (openai/gpt-2 encoder.py `bytes_to_unicode`, used by every
 * byte-level BPE tokenizer.json): printable bytes stand for themselves, the other 68 are shifted to
 * U+0100 onwards, so every byte string is a printable Unicode string.
 */
const BYTE_TO_CHAR: string[] = [];
const CHAR_TO_BYTE = new Map<number, number>();
{
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);
    const code = printable ? byte : 256 + shifted++;
    BYTE_TO_CHAR[byte] = String.fromCharCode(code);
    CHAR_TO_BYTE.set(code, byte);
  }
}

/** Raw bytes of a vocabulary entry written in the byte-level alphabet, or null if it is not one. */
export function byteLevelToBytes(token: string): Uint8Array | null {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const byte = CHAR_TO_BYTE.get(token.charCodeAt(i));
    if (byte === undefined) return null;
    out[i] = byte;
  }
  return out;
}

export function byteToChar(byte: number): string {
  return BYTE_TO_CHAR[byte]!;
}
