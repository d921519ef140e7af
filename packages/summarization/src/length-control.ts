import { countWords } from './count-words.js';
import { extractiveSummary } from './extractive-summary.js';
import type { ModelCalls } from './model-calls.js';
import type { Correction, Prompt } from './prompts.js';

export interface LengthPolicy {
  /** Allowed relative deviation from the target (0.1 = ±10%). */
  tolerance: number;
  /** Corrected retries after the first attempt. */
  maxRetries: number;
  /** The target is a ceiling, not a length to hit (answers): only a too-long answer is corrected. */
  atMost?: boolean;
}

/** How a kind of text is read: its words, whether it ends complete, and how a raw answer is cleaned. */
export interface TextMeasure {
  words(text: string): number;
  finished(text: string): boolean;
  clean(text: string): string;
  /** Whether a too-long complete answer may be cut by deleting whole sentences (default true). */
  trim?: boolean;
}

/** Summaries: words by `countWords`, complete when ending with a sentence, cleaned by `cleanAnswer`. */
export const SUMMARY_MEASURE: TextMeasure = { words: countWords, finished: endsWithSentence, clean: cleanAnswer };

export interface LengthControlled {
  text: string;
  words: number;
  /** True when the accepted text is a complete summary inside the tolerance. */
  withinTolerance: boolean;
  /** The server cut this completion at maxTokens (finish reason `length`). */
  cut?: boolean;
  /** Every attempt stopped unfinished: this one was cut back to its last complete sentence. */
  truncated?: boolean;
}

const TERMINATED = /[.!?…]["'”’)\]*]*$/u;
const SENTENCE_END = /[.!?…]["'”’)\]]*(?=\s|$)/gu;

/** True when a summary ends with a finished sentence. */
export function endsWithSentence(text: string): boolean {
  return TERMINATED.test(text.trimEnd());
}

/** Strips what chat models wrap answers in: surrounding whitespace, quotes fences, a "Summary:" label. */
export function cleanAnswer(text: string): string {
  return text
    .trim()
    .replace(/^"""\s*|\s*"""$/g, '')
    .replace(/^(?:\*\*)?(?:updated |merged |refined |shortened )?summary(?:\*\*)?:\s*/i, '')
    .trim();
}

/**
 * InstructCMP-style length control (arXiv 2406.11097): the prompt states the exact target; an answer
 * outside `target·(1 ± tolerance)` words is retried with a correction that says how many words it
 * had, and an answer that stops mid-sentence (the completion hit max_tokens) is retried with a
 * request to finish. After `maxRetries` the best attempt is kept — the complete one closest to the
 * target, or else the closest one cut back to its last complete sentence — and reported as a miss.
 * BooookScore (arXiv 2310.00785) uses the same accept test (terminated and within the limit).
 */
export async function summarizeToLength(
  calls: ModelCalls,
  build: (correction?: Correction) => Prompt,
  targetWords: number,
  policy: LengthPolicy,
  measure: TextMeasure = SUMMARY_MEASURE,
): Promise<LengthControlled> {
  const judge = (text: string, cut = false) => judged(text, targetWords, policy, measure, cut);
  const first = build();
  const key = await calls.cacheKey(first, targetWords, policy.tolerance);
  const cached = await calls.cacheGet(key);
  if (cached !== undefined) return judge(cached);

  const attempts: LengthControlled[] = [];
  let correction: Correction | undefined;
  for (let attempt = 0; attempt <= policy.maxRetries; attempt++) {
    if (attempt > 0) calls.stats.retries++;
    const completion = await calls.generate(attempt === 0 ? first : build(correction));
    // A completion the server cut at maxTokens is unfinished even when the cut fell after a full stop.
    const cut = completion.finishReason === 'length';
    const text = measure.clean(completion.text);
    const result = judge(text, cut);
    if (result.withinTolerance) {
      await calls.cacheSet(key, result.text);
      return result;
    }
    attempts.push(result);
    correction = measure.finished(text) && !cut ? { kind: 'length', got: result.words } : { kind: 'unfinished' };
  }
  let best = bestAttempt(attempts, targetWords, measure);
  const trimmed = measure.trim === false ? undefined : trimBySentences(attempts, targetWords, policy, measure);
  if (trimmed) {
    calls.stats.trimmed++;
    best = trimmed;
  }
  await calls.cacheSet(key, best.text);
  return best;
}

/**
 * The last resort for answers that stayed too long: delete whole sentences from the longest complete
 * attempt, choosing them as the extractive method does (LexRank + MMR), until it is inside the
 * tolerance — compression by deletion, as in InstructCMP, but of sentences. Undefined when no
 * complete attempt is long enough or no selection lands inside the tolerance.
 */
function trimBySentences(attempts: LengthControlled[], targetWords: number, policy: LengthPolicy, measure: TextMeasure): LengthControlled | undefined {
  const long = attempts
    .filter((attempt) => !attempt.cut && measure.finished(attempt.text) && attempt.words > targetWords * (1 + policy.tolerance))
    .sort((a, b) => b.words - a.words)[0];
  if (!long) return undefined;
  const selected = extractiveSummary(long.text, { targetWords, tolerance: policy.tolerance, positionWeight: 0 });
  const result = judged(selected.summary, targetWords, policy, measure, false);
  return result.withinTolerance ? result : undefined;
}

function judged(text: string, targetWords: number, policy: LengthPolicy, measure: TextMeasure, cut: boolean): LengthControlled {
  const words = measure.words(text);
  const deviation = policy.atMost ? Math.max(0, words - targetWords) : Math.abs(words - targetWords);
  const within = deviation <= policy.tolerance * targetWords && words > 0 && measure.finished(text) && !cut;
  return cut ? { text, words, withinTolerance: within, cut } : { text, words, withinTolerance: within };
}

function bestAttempt(attempts: LengthControlled[], targetWords: number, measure: TextMeasure): LengthControlled {
  const finished = attempts.filter((attempt) => !attempt.cut && measure.finished(attempt.text) && attempt.words > 0);
  const pool = finished.length > 0 ? finished : attempts.map((attempt) => toLastSentence(attempt, measure));
  return pool.reduce((best, next) => (Math.abs(next.words - targetWords) < Math.abs(best.words - targetWords) ? next : best));
}

/** An unfinished answer cut back to its last complete sentence (kept whole when it has none). */
export function toLastSentence(attempt: Pick<LengthControlled, 'text'>, measure: TextMeasure = SUMMARY_MEASURE): LengthControlled {
  let end = -1;
  for (const match of attempt.text.matchAll(SENTENCE_END)) end = match.index + match[0].length;
  const text = end > 0 ? attempt.text.slice(0, end) : attempt.text;
  return { text, words: measure.words(text), withinTolerance: false, truncated: true };
}
