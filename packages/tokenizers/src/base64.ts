const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard, padded base64. Hand-written rather than `atob` + a copy loop or `Buffer`, so it
 * runs the same in browsers, workers and Node, and makes one pass with no intermediate string.
 */
export function decodeBase64(text: string): Uint8Array {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 61 /* = */) length--;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let at = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const n =
      (VALUES[text.charCodeAt(i)]! << 18) |
      (VALUES[text.charCodeAt(i + 1)]! << 12) |
      (VALUES[text.charCodeAt(i + 2)]! << 6) |
      VALUES[text.charCodeAt(i + 3)]!;
    out[at++] = n >>> 16;
    out[at++] = (n >>> 8) & 0xff;
    out[at++] = n & 0xff;
  }
  const rest = length - i;
  if (rest >= 2) {
    const n = (VALUES[text.charCodeAt(i)]! << 18) | (VALUES[text.charCodeAt(i + 1)]! << 12) | (rest === 3 ? VALUES[text.charCodeAt(i + 2)]! << 6 : 0);
    out[at] = n >>> 16;
    if (rest === 3) out[at + 1] = (n >>> 8) & 0xff;
  }
  return out;
}
