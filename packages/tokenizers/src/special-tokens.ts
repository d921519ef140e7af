import { ChunkwiseError, type TokenOffsetsOptions } from '@chunkwise/core';
import { describeValue } from './describe-value.js';

/** Which special tokens `encode` may emit and which make it throw, with tiktoken's defaults. */
export interface SpecialTokenOptions extends TokenOffsetsOptions {
  /** Special tokens recognised in the text and encoded as their id. Default: none. */
  allowedSpecial?: 'all' | Iterable<string>;
  /**
   * Special tokens whose presence in the text throws `ChunkwiseError('DISALLOWED_SPECIAL')`.
   * Default `'all'`: every special token that is not allowed (tiktoken's rule: text that looks like a
   * control token is almost always a prompt-injection or a bug, so it must be a decision).
   */
  disallowedSpecial?: 'all' | Iterable<string>;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The special tokens of one encoding, with regexes cached per allowed/disallowed set. */
export class SpecialTokens {
  readonly ids: ReadonlyMap<string, number>;
  readonly texts: ReadonlyMap<number, string>;
  private readonly regexCache = new Map<string, RegExp>();

  constructor(tokens: Record<string, number>) {
    this.ids = new Map(Object.entries(tokens));
    this.texts = new Map(Object.entries(tokens).map(([text, id]) => [id, text]));
  }

  /** A global regex matching any of `tokens` (sorted key, so each set compiles once). */
  regexFor(tokens: ReadonlySet<string>): RegExp {
    const sorted = [...tokens].sort();
    const key = sorted.join('\u0000');
    let regex = this.regexCache.get(key);
    if (!regex) {
      // Longest first, so a token that is a prefix of another never shadows it.
      const alternatives = sorted.sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRegex);
      regex = new RegExp(alternatives.join('|'), 'g');
      this.regexCache.set(key, regex);
    }
    return regex;
  }

  private toSet(value: Iterable<string>, option: string): Set<string> {
    if (typeof value === 'string') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${option} must be 'all' or an iterable of special tokens, not the string ${JSON.stringify(value)}; wrap it in an array.`);
    }
    if (typeof value !== 'object' || value === null || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${option} must be 'all' or an iterable of special tokens, got ${describeValue(value)}.`);
    }
    const set = new Set<string>();
    for (const token of value as Iterable<unknown>) {
      if (typeof token !== 'string' || !this.ids.has(token)) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `${option} names ${describeValue(token)}, which is not a special token of this encoding.`, {
          details: { token: describeValue(token), known: [...this.ids.keys()].slice(0, 20) },
        });
      }
      set.add(token);
    }
    return set;
  }

  /** Resolves options to the allowed set, throwing `DISALLOWED_SPECIAL` when the text contains a disallowed token. */
  resolve(text: string, options: SpecialTokenOptions | undefined): ReadonlySet<string> {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Expected options as an object, got ${describeValue(options)}.`);
    }
    const { allowedSpecial = [], disallowedSpecial = 'all' } = options ?? {};
    const allowed = allowedSpecial === 'all' ? new Set(this.ids.keys()) : this.toSet(allowedSpecial, 'allowedSpecial');
    let disallowed: Set<string>;
    if (disallowedSpecial === 'all') {
      disallowed = new Set([...this.ids.keys()].filter((token) => !allowed.has(token)));
    } else {
      disallowed = this.toSet(disallowedSpecial, 'disallowedSpecial');
    }
    if (disallowed.size > 0) {
      const regex = this.regexFor(disallowed);
      regex.lastIndex = 0;
      const match = regex.exec(text);
      if (match) {
        throw new ChunkwiseError(
          'DISALLOWED_SPECIAL',
          `The text contains the special token ${JSON.stringify(match[0])} at index ${match.index}. ` +
            `Pass { allowedSpecial: [${JSON.stringify(match[0])}] } to encode it as a special token, ` +
            `{ disallowedSpecial: [] } (or encodeOrdinary) to encode it as plain text.`,
          { details: { token: match[0], index: match.index } },
        );
      }
    }
    return allowed;
  }
}
