import { complementRanges, propertyRangesOf, rangesToClassBody, unionRanges, type CodePointRanges } from './unicode-classes.js';

/**
 * Where the JavaScript engine's `\p{…}` tables differ from the pinned ones, per property: the code
 * points the engine has and the pinned version lacks (assigned since), and the reverse. A regex can
 * then use the engine's fast built-in class corrected by these few ranges
 * (`[[\p{L}--[removed]][added]]` with the `v` flag) instead of hundreds of explicit ranges, which
 * V8 matches about 3× slower when some are astral.
 */

let everyCodePoint: string | undefined;

/** All code points but surrogates, in order: U+0000–U+D7FF, U+E000–U+FFFF, then the astral planes. */
function allCodePoints(): string {
  if (everyCodePoint === undefined) {
    const parts: string[] = [];
    const push = (from: number, to: number) => {
      for (let start = from; start <= to; start += 4096) {
        parts.push(String.fromCodePoint(...Array.from({ length: Math.min(4096, to - start + 1) }, (_, k) => start + k)));
      }
    };
    push(0, 0xd7ff);
    push(0xe000, 0x10ffff);
    everyCodePoint = parts.join('');
  }
  return everyCodePoint;
}

function codePointAtIndex(index: number): number {
  if (index < 0xd800) return index;
  if (index < 0xf800) return index + 0x800;
  return 0x10000 + ((index - 0xf800) >> 1);
}

/** The engine's own ranges for `\p{name}` (surrogates excluded), or undefined if it does not know the name. */
function engineRanges(name: string): CodePointRanges | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(`\\p{${name}}+`, 'gu');
  } catch {
    return undefined;
  }
  const ranges: CodePointRanges = [];
  for (const match of allCodePoints().matchAll(regex)) {
    const start = codePointAtIndex(match.index);
    const end = codePointAtIndex(match.index + match[0].length - 1);
    ranges.push([start, end]);
  }
  return ranges;
}

function withoutSurrogates(ranges: CodePointRanges): CodePointRanges {
  const out: CodePointRanges = [];
  for (const [start, end] of ranges) {
    if (end < 0xd800 || start > 0xdfff) out.push([start, end]);
    else {
      if (start < 0xd800) out.push([start, 0xd7ff]);
      if (end > 0xdfff) out.push([0xe000, end]);
    }
  }
  return out;
}

function intersect(a: CodePointRanges, b: CodePointRanges): CodePointRanges {
  return complementRanges(unionRanges(complementRanges(a), complementRanges(b)));
}

export interface EngineDifference {
  removed: CodePointRanges;
  added: CodePointRanges;
}

const cache = new Map<string, EngineDifference | null>();

/** The correction that turns the engine's `\p{name}` into the pinned one; undefined when either side lacks the name. */
export function engineDifference(name: string): EngineDifference | undefined {
  let difference = cache.get(name);
  if (difference === undefined) {
    const pinned = propertyRangesOf(name);
    const engine = pinned && engineRanges(name);
    if (!pinned || !engine) difference = null;
    else {
      const mine = withoutSurrogates(pinned);
      difference = { removed: intersect(engine, complementRanges(mine)), added: intersect(mine, complementRanges(engine)) };
    }
    cache.set(name, difference);
  }
  return difference ?? undefined;
}

/** `v`-flag class text matching exactly the pinned `\p{name}` (surrogates aside), built on the engine's class. */
export function correctedClass(name: string): string | undefined {
  const difference = engineDifference(name);
  if (!difference) return undefined;
  const { removed, added } = difference;
  let set = removed.length ? `[\\p{${name}}--[${rangesToClassBody(removed)}]]` : `\\p{${name}}`;
  if (added.length) set = `[${set}[${rangesToClassBody(added)}]]`;
  return set;
}
