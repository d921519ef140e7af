import type { GenerateRequest, GenerateResult, GenerateStreamPart, LanguageModel, Tokenizer } from '@chunkwise/core';

/** What the fake answers to one call. */
export type FakeStep =
  /** Exactly the word target the prompt asks for, in full sentences. */
  | 'normal'
  /** Twice the target. */
  | 'too-long'
  /** Half the target. */
  | 'too-short'
  /** The target's length, stopping mid-sentence (as when max_tokens cuts a completion). */
  | 'mid-sentence'
  /** The request fails (a crash, a dropped connection). */
  | 'fail'
  /** The target's length in full sentences, but reported as cut at max_tokens (finish reason `length`). */
  | 'cut-at-sentence'
  | { text: string; finishReason?: string };

export interface FakeModelOptions {
  contextWindow: number;
  /** The model's tokenizer; leave out to test the o200k fallback. */
  tokenizer?: Tokenizer;
  /** Steps for the first calls, in order; later calls answer 'normal'. */
  script?: FakeStep[];
  /** Decides a step from the request when the script is used up. */
  respond?: (request: GenerateRequest, call: number) => FakeStep;
  /** Resolve after this many ms (or when the request's signal aborts). */
  delayMs?: number;
  maxConcurrency?: number;
  /** Called as each request arrives, before it is answered (e.g. to abort mid-run). */
  onRequest?: (request: GenerateRequest, call: number) => void;
}

/** The last "N words" a prompt mentions: every prompt of this package ends with its target. */
export function askedWords(prompt: string): number {
  const matches = [...prompt.matchAll(/(\d+) words/g)];
  return Number(matches.at(-1)?.[1] ?? 30);
}

/** Plain words from the prompt's fenced content, so answers talk about the text they were given. */
function contentWords(prompt: string): string[] {
  const fenced = [...prompt.matchAll(/"""\n([\s\S]*?)\n"""/g)].map((m) => m[1]).join(' ');
  const words = fenced.match(/\p{L}{3,}/gu) ?? [];
  return words.length > 0 ? words : ['whale'];
}

/** `count` words from the prompt's content, in sentences of up to twelve words. */
export function sentencesOf(prompt: string, count: number, finished = true): string {
  const source = contentWords(prompt);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let word = source[i % source.length]!.toLowerCase();
    if (i % 12 === 0) word = word[0]!.toUpperCase() + word.slice(1);
    const endsSentence = (i % 12 === 11 || i === count - 1) && (finished || i < count - 1);
    out.push(endsSentence ? `${word}.` : word);
  }
  return out.join(' ');
}

/**
 * A deterministic in-process LanguageModel for tests: it records every request, counts calls and
 * in-flight requests, honours AbortSignal, and answers with exactly the word count the prompt asks
 * for unless scripted to misbehave.
 */
export class FakeModel implements LanguageModel {
  readonly contextWindow: number;
  readonly tokenizer?: Tokenizer;
  readonly maxConcurrency: number;
  readonly model = 'fake-model';
  readonly requests: GenerateRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly script: FakeStep[];

  constructor(private readonly options: FakeModelOptions) {
    this.contextWindow = options.contextWindow;
    if (options.tokenizer) this.tokenizer = options.tokenizer;
    this.maxConcurrency = options.maxConcurrency ?? 4;
    this.script = [...(options.script ?? [])];
  }

  get calls(): number {
    return this.requests.length;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const call = this.requests.length;
    this.requests.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.options.onRequest?.(request, call);
    try {
      await this.wait(request.signal);
      const step = this.script.shift() ?? this.options.respond?.(request, call) ?? 'normal';
      const target = askedWords(request.prompt);
      let text: string;
      if (step === 'fail') throw new Error('fake model: scripted failure');
      else if (step === 'cut-at-sentence') return { text: sentencesOf(request.prompt, target), finishReason: 'length' };
      else if (typeof step === 'object' && step.finishReason !== undefined) return { text: step.text, finishReason: step.finishReason };
      else if (step === 'normal') text = sentencesOf(request.prompt, target);
      else if (step === 'too-long') text = sentencesOf(request.prompt, target * 2);
      else if (step === 'too-short') text = sentencesOf(request.prompt, Math.max(1, Math.floor(target / 2)));
      else if (step === 'mid-sentence') text = sentencesOf(request.prompt, target, false);
      else text = step.text;
      return { text };
    } finally {
      this.inFlight--;
    }
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    const delay = this.options.delayMs ?? 0;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, delay);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}

/**
 * The same fake, streaming: `generateStream` yields the answer `generate` would give in pieces of
 * `pieceChars` characters (markers may be split across pieces), then one finish part with the
 * step's finish reason.
 */
export class StreamingFakeModel extends FakeModel {
  /** Pieces yielded so far, over all calls. */
  pieces = 0;

  constructor(
    options: FakeModelOptions,
    private readonly pieceChars = 7,
    /** Wait between pieces (a slow stream), ended early by the request's signal. */
    private readonly pieceDelayMs = 0,
  ) {
    super(options);
  }

  async *generateStream(request: GenerateRequest): AsyncIterable<GenerateStreamPart> {
    const result = await this.generate(request);
    for (let at = 0; at < result.text.length; at += this.pieceChars) {
      if (at > 0 && this.pieceDelayMs > 0) await delay(this.pieceDelayMs, request.signal);
      this.pieces++;
      yield { type: 'text', text: result.text.slice(at, at + this.pieceChars) };
    }
    yield result.finishReason === undefined ? { type: 'finish' } : { type: 'finish', finishReason: result.finishReason };
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * What a well-behaved model answers to the answer prompts of this package: for each passage block
 * `[n] text` of the prompt, its first words and the citation `[n]`, as many blocks as the word
 * limit allows; a refine prompt keeps the existing answer first; a merge prompt joins the partial
 * answers. Deterministic, so tests can predict citations.
 */
export function citedAnswer(prompt: string, wordsPerSentence = 8): string {
  const limit = askedWords(prompt);
  const sentences: string[] = [];
  const existing = /An existing answer, written from earlier passages, with its citations:\n"""\n([\s\S]*?)\n"""/.exec(prompt);
  if (existing) sentences.push(existing[1]!.trim());
  for (const match of prompt.matchAll(/Partial answer \d+:\n"""\n([\s\S]*?)\n"""/g)) sentences.push(match[1]!.trim());
  for (const match of prompt.matchAll(/^\[(\d+)\] (.+)$/gm)) {
    const words = match[2]!.match(/\p{L}{3,}/gu) ?? [];
    if (words.length === 0) continue;
    const sentence = words.slice(0, wordsPerSentence).join(' ');
    sentences.push(`${sentence[0]!.toUpperCase()}${sentence.slice(1)} [${match[1]}].`);
  }
  const out: string[] = [];
  let total = 0;
  for (const sentence of sentences) {
    const count = (sentence.replace(/\[\d+\]/g, '').match(/[\p{L}\p{N}]+/gu) ?? []).length;
    if (out.length > 0 && total + count > limit) break;
    out.push(sentence);
    total += count;
  }
  return out.join(' ');
}

/** A letters-only name for `n` ("Ba", "Be", …), so every paragraph has a word of its own. */
function uniqueName(n: number): string {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  let name = '';
  let rest = n;
  do {
    name += consonants[rest % consonants.length]! + vowels[Math.floor(rest / consonants.length) % vowels.length]!;
    rest = Math.floor(rest / (consonants.length * vowels.length));
  } while (rest > 0);
  return name[0]!.toUpperCase() + name.slice(1);
}

/** A text of `n` distinct paragraphs of `wordsEach` words, each starting with a name of its own. */
export function paragraphs(n: number, wordsEach: number): string {
  const vocabulary = ['harpoon', 'captain', 'ocean', 'voyage', 'sailor', 'tempest', 'compass', 'island', 'lantern', 'anchor', 'rigging', 'horizon'];
  const out: string[] = [];
  for (let p = 0; p < n; p++) {
    const words: string[] = [uniqueName(p)];
    for (let i = 1; i < wordsEach; i++) {
      const word = vocabulary[(p * 7 + i * 5) % vocabulary.length]!;
      words.push(i % 10 === 0 ? word[0]!.toUpperCase() + word.slice(1) : word);
      if (i % 10 === 9) words[words.length - 1] += '.';
    }
    out.push(words.join(' ').replace(/([^.])$/, '$1.'));
  }
  return out.join('\n\n');
}

/**
 * The largest share of its budget any recorded request used: prompt + system tokens plus the chat
 * overhead, over `contextWindow − maxTokens`, counted with `tokenizer` (times `margin` for models
 * without their own). A value above 1 means some prompt did not fit.
 */
export function worstBudgetUse(model: FakeModel, tokenizer: Tokenizer, margin = 1, overhead = 12): number {
  let worst = 0;
  for (const request of model.requests) {
    const tokens = Math.ceil((tokenizer.count(request.system ?? '') + tokenizer.count(request.prompt)) * margin) + overhead;
    worst = Math.max(worst, tokens / (model.contextWindow - (request.maxTokens ?? 0)));
  }
  return worst;
}
