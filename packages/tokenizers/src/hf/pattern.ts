// Rust's regex (and Oniguruma's in tokenizers) treat \w, \d and \s as Unicode classes; JavaScript's
// are ASCII (\w, \d) or a different set (\s adds U+FEFF, drops U+0085).
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const CLASSES: Record<string, [inside: string, outside: string]> = {
  w: [WORD, `[${WORD}]`],
  W: ['\\W', `[^${WORD}]`],
  d: ['\\p{Nd}', '\\p{Nd}'],
  D: ['\\P{Nd}', '\\P{Nd}'],
  s: ['\\p{White_Space}', '\\p{White_Space}'],
  S: ['\\P{White_Space}', '\\P{White_Space}'],
};

/**
 * Translates the Rust/Oniguruma regex of a tokenizer.json Split or Replace into a JavaScript one
 * (flags `gu`): scoped case-insensitive groups `(?i:…)` (not in Node 20's RegExp) become explicit
 * letter classes, and \w \d \s get their Unicode meaning. (`\W` inside a character class stays
 * ASCII: JavaScript cannot negate a class inside a class without the `v` flag.)
 */
export function translatePattern(pattern: string): string {
  const scoped = pattern.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_, body: string) => {
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
  let out = '';
  let inClass = false;
  for (let i = 0; i < scoped.length; i++) {
    const c = scoped[i]!;
    if (c === '\\' && i + 1 < scoped.length) {
      const next = scoped[i + 1]!;
      const mapped = CLASSES[next];
      out += mapped ? mapped[inClass ? 0 : 1] : c + next;
      i++;
    } else {
      if (c === '[' && !inClass) inClass = true;
      else if (c === ']' && inClass) inClass = false;
      out += c;
    }
  }
  return out;
}
