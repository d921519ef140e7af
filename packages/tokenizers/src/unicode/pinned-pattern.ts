import { correctedClass } from './engine-difference.js';
import { complementRanges, propertyRangesOf, rangesToClassBody, unionRanges, type CodePointRanges } from './unicode-classes.js';

let word: CodePointRanges | undefined;

/** Rust's (and Oniguruma's) Unicode `\w`: Alphabetic, marks, decimal digits, connector punctuation, joiners. */
function wordRanges(): CodePointRanges {
  return (word ??= unionRanges(...['Alphabetic', 'M', 'Nd', 'Pc', 'Join_Control'].map((name) => propertyRangesOf(name)!)));
}

/** Pinned ranges of the escape `\letter` or `\p{name}`, and whether it is negated; undefined to leave it as written. */
function escapeRanges(letter: string, name: string | undefined, rustClasses: boolean): [CodePointRanges, boolean] | undefined {
  if (letter === 'p' || letter === 'P') {
    const ranges = name === undefined ? undefined : propertyRangesOf(name);
    return ranges && [ranges, letter === 'P'];
  }
  if (!rustClasses) return undefined;
  const lower = letter.toLowerCase();
  const ranges = lower === 'w' ? wordRanges() : lower === 'd' ? propertyRangesOf('Nd') : lower === 's' ? propertyRangesOf('White_Space') : undefined;
  return ranges && [ranges, letter !== lower];
}

/**
 * Rewrites the Unicode classes of a `u`-flag regex source as explicit code point ranges from the
 * pinned Unicode 16.0 tables, so the regex matches the same on every JavaScript engine: `\p{…}` and
 * `\P{…}` of General_Category values, White_Space, Alphabetic and Join_Control, inside or outside
 * character classes (`\P{…}` inside a class becomes its complement's ranges). With `rustClasses`,
 * `\w \W \d \D \s \S` get Rust's Unicode meaning the same way. Other properties (scripts such as
 * `\p{Han}`) are left to the engine.
 */
export function pinUnicodeClasses(source: string, rustClasses = false): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const letter = source[i + 1]!;
      let name: string | undefined;
      let length = 2;
      if ((letter === 'p' || letter === 'P') && source[i + 2] === '{') {
        const close = source.indexOf('}', i + 3);
        if (close > 0) {
          name = source.slice(i + 3, close);
          length = close + 1 - i;
        }
      }
      const pinned = escapeRanges(letter, name, rustClasses);
      if (!pinned) out += source.slice(i, i + length);
      else {
        const [ranges, negated] = pinned;
        if (inClass) out += rangesToClassBody(negated ? complementRanges(ranges) : ranges);
        else out += `[${negated ? '^' : ''}${rangesToClassBody(ranges)}]`;
      }
      i += length - 1;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

/** `new RegExp(source, flags)` with its Unicode classes pinned (flags must include `u`). */
export function pinnedRegExp(source: string, flags = 'u'): RegExp {
  return new RegExp(pinUnicodeClasses(source), flags);
}

// Characters a `v`-flag class reserves: syntax characters, and doubled punctuators (`&&`, `--`…).
const V_SYNTAX_IN_CLASS = new Set(['(', ')', '[', '{', '}', '/', '|']);
const V_DOUBLE_PUNCTUATORS = new Set('&!#$%*+,.:;<=>?@^`~');
const WORD_PARTS = ['Alphabetic', 'M', 'Nd', 'Pc', 'Join_Control'];

/** Class items (for use inside `[…]`) of a pinned escape, or undefined to keep it as written. */
function correctedItems(letter: string, name: string | undefined, rustClasses: boolean): [items: string, negated: boolean] | undefined {
  const names =
    letter === 'p' || letter === 'P'
      ? name === undefined
        ? undefined
        : [name]
      : rustClasses
        ? { w: WORD_PARTS, d: ['Nd'], s: ['White_Space'] }[letter.toLowerCase()]
        : undefined;
  if (!names) return undefined;
  const items = names.map(correctedClass);
  if (items.some((item) => item === undefined)) return undefined;
  return [items.join(''), letter === 'P' || (letter !== 'p' && letter !== letter.toLowerCase())];
}

/**
 * The same pinning as {@link pinUnicodeClasses}, written for the `v` flag: each class is the
 * engine's built-in one corrected by the few ranges where its Unicode version differs from the
 * pinned one, which V8 matches as fast as the plain class (explicit ranges with astral code points
 * cost about 3×). Literal characters that `v` reserves inside classes are escaped. The caller must
 * compile the result with the `v` flag and fall back to `pinUnicodeClasses` if that fails.
 */
export function pinUnicodeClassesForV(source: string, rustClasses = false): string {
  let out = '';
  let inClass = false;
  let classStart = false; // right after `[` or `[^`
  let previousLiteral = '';
  let atomBefore = false; // a range may start with the previous item
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const letter = source[i + 1]!;
      let name: string | undefined;
      let length = 2;
      if ((letter === 'p' || letter === 'P') && source[i + 2] === '{') {
        const close = source.indexOf('}', i + 3);
        if (close > 0) {
          name = source.slice(i + 3, close);
          length = close + 1 - i;
        }
      }
      const pinned = correctedItems(letter, name, rustClasses);
      if (!pinned) {
        out += source.slice(i, i + length);
        atomBefore = inClass;
      } else {
        const [items, negated] = pinned;
        out += inClass && !negated ? items : `[${negated ? '^' : ''}${items}]`;
        atomBefore = false;
      }
      previousLiteral = '';
      classStart = false;
      i += length - 1;
      continue;
    }
    if (!inClass) {
      if (c === '[') {
        inClass = true;
        classStart = true;
        atomBefore = false;
        previousLiteral = '';
        out += c;
        if (source[i + 1] === '^') {
          out += '^';
          i++;
        }
        continue;
      }
      out += c;
      continue;
    }
    if (c === ']' && !classStart) {
      inClass = false;
      out += c;
      continue;
    }
    classStart = false;
    if (c === '-') {
      const rangeOperator = atomBefore && i + 1 < source.length && source[i + 1] !== ']';
      out += rangeOperator ? '-' : '\\-';
      atomBefore = false;
      previousLiteral = '';
      continue;
    }
    const escape = V_SYNTAX_IN_CLASS.has(c) || (V_DOUBLE_PUNCTUATORS.has(c) && previousLiteral === c) || c === ']';
    out += escape ? `\\${c}` : c;
    previousLiteral = escape ? '' : c;
    atomBefore = true;
  }
  return out;
}

/**
 * A RegExp for `source` (a `u`-flag pattern, Rust's `\w \d \s` meant as Unicode classes when
 * `rustClasses`) with its Unicode classes pinned: the fast `v`-flag form where the engine supports
 * it and the pattern converts, else explicit ranges. Throws what `new RegExp` throws for a pattern
 * neither form can express.
 */
export function pinnedRegExpFast(source: string, flags: string, rustClasses = false): RegExp {
  try {
    return new RegExp(pinUnicodeClassesForV(source, rustClasses), `${flags}v`);
  } catch {
    return new RegExp(pinUnicodeClasses(source, rustClasses), `${flags}u`);
  }
}
