import { countWords } from './count-words.js';
import { extractiveSummary } from './extractive-summary.js';
import type { ModelCalls } from './model-calls.js';
import type { Correction, Prompt } from './prompts.js';

export interface LengthPolicy {
  /** Allowed relative deviation from the target (0.1 = ±10%). */
  tolerance: number;
  /** Corrected retries after the first attempt. */
  maxRetries: number;
}

export interface LengthControlled {
  text: string;
  words: number;
  /** True when the accepted text is a complete summary inside the tolerance. */
  withinTolerance: boolean;
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
): Promise<LengthControlled> {
  const first = build();
  const key = await calls.cacheKey(first, targetWords, policy.tolerance);
  const cached = await calls.cacheGet(key);
  if (cached !== undefined) return judge(cached, targetWords, policy.tolerance);

  const attempts: LengthControlled[] = [];
  let correction: Correction | undefined;
  for (let attempt = 0; attempt <= policy.maxRetries; attempt++) {
    if (attempt > 0) calls.stats.retries++;
    const text = cleanAnswer(await calls.generate(attempt === 0 ? first : build(correction)));
    const judged = judge(text, targetWords, policy.tolerance);
    if (judged.withinTolerance) {
      await calls.cacheSet(key, judged.text);
      return judged;
    }
    attempts.push(judged);
    correction = endsWithSentence(text) ? { kind: 'length', got: judged.words } : { kind: 'unfinished' };
  }
  let best = bestAttempt(attempts, targetWords);
  const trimmed = trimBySentences(attempts, targetWords, policy.tolerance);
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
function trimBySentences(attempts: LengthControlled[], targetWords: number, tolerance: number): LengthControlled | undefined {
  const long = attempts
    .filter((attempt) => endsWithSentence(attempt.text) && attempt.words > targetWords * (1 + tolerance))
    .sort((a, b) => b.words - a.words)[0];
  if (!long) return undefined;
  const selected = extractiveSummary(long.text, { targetWords, tolerance, positionWeight: 0 });
  const judged = judge(selected.summary, targetWords, tolerance);
  return judged.withinTolerance ? judged : undefined;
}

function judge(text: string, targetWords: number, tolerance: number): LengthControlled {
  const words = countWords(text);
  const within = Math.abs(words - targetWords) <= tolerance * targetWords && endsWithSentence(text);
  return { text, words, withinTolerance: within };
}

function bestAttempt(attempts: LengthControlled[], targetWords: number): LengthControlled {
  const finished = attempts.filter((attempt) => endsWithSentence(attempt.text) && attempt.words > 0);
  const pool = finished.length > 0 ? finished : attempts.map((attempt) => toLastSentence(attempt));
  return pool.reduce((best, next) => (Math.abs(next.words - targetWords) < Math.abs(best.words - targetWords) ? next : best));
}

/** An unfinished answer cut back to its last complete sentence (kept whole when it has none). */
function toLastSentence(attempt: LengthControlled): LengthControlled {
  let end = -1;
  for (const match of attempt.text.matchAll(SENTENCE_END)) end = match.index + match[0].length;
  const text = end > 0 ? attempt.text.slice(0, end) : attempt.text;
  return { text, words: countWords(text), withinTolerance: false };
}
