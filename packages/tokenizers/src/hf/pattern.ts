import { pinnedRegExpFast } from '../unicode/pinned-pattern.js';

/**
 * Compiles the Rust/Oniguruma regex of a tokenizer.json Split or Replace as a JavaScript one:
 * scoped case-insensitive groups `(?i:…)` (not in Node 20's RegExp) become explicit letter classes,
 * and the Unicode classes (`\p{…}`, Rust's Unicode `\w \d \s` and their negations, inside or
 * outside character classes) are pinned to the Unicode 16.0 tables, so the split does not change
 * with the engine's Unicode version. Throws what `new RegExp` throws when JavaScript cannot express it.
 */
export function compilePattern(pattern: string, flags = 'g'): RegExp {
  return pinnedRegExpFast(expandScopedCase(pattern), flags, true);
}

/** `(?i:…)` groups as explicit `[xX]` letter classes. */
function expandScopedCase(pattern: string): string {
  return pattern.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_, body: string) => {
    let expanded = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === '\\') {
        expanded += body.slice(i, i + 2);
        i++;
      } else if (/[a-z]/i.test(c)) expanded += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      else expanded += c;
    }
    return `(?:${expanded})`;
  });
}
