import { describeValue, invalid, isObject, requireBoolean, requireString, requireStrings } from './argument-checks.js';
import { evidenceScores, type SourceSpan } from './evidence-scores.js';
import { rougeMulti, type RougeScores } from './rouge.js';
import type { SpanScores } from './span-scores.js';

export interface EvaluateAnswerOptions {
  /** The spans the answer cites (e.g. `answer().citations`: `{ sourceId, start, end }`). */
  citations: readonly SourceSpan[];
  /** Gold evidence spans (a dataset's references, with `sourceId` = corpus id). */
  evidence: readonly SourceSpan[];
  /** The answer text, scored with ROUGE when `referenceAnswers` are given. */
  answer?: string;
  /** Reference answers, when the dataset has them; the best per ROUGE variant counts. */
  referenceAnswers?: readonly string[];
  /** Porter stemming for ROUGE; default false. */
  stem?: boolean;
}

export interface AnswerEvaluation {
  /** Evidence recall, precision and IoU of the cited spans. */
  evidence: SpanScores;
  /** ROUGE of the answer against the reference answers (only when both are given). */
  rouge?: RougeScores;
  /** How many citations there were (0 citations scores 0 evidence). */
  citations: number;
}

/** The answer step's hook: how well its citations hit the gold evidence, and its ROUGE when references exist. */
export function evaluateAnswer(options: EvaluateAnswerOptions): AnswerEvaluation {
  if (!isObject(options)) invalid(`evaluateAnswer needs { citations, evidence, answer?, referenceAnswers? }, got ${describeValue(options)}.`);
  const { citations, evidence, answer, referenceAnswers, stem = false } = options;
  if (answer !== undefined) requireString(answer, 'answer');
  if (referenceAnswers !== undefined) requireStrings(referenceAnswers, 'referenceAnswers');
  requireBoolean(stem, 'stem');
  const result: AnswerEvaluation = { evidence: evidenceScores(citations, evidence), citations: citations.length };
  if (answer !== undefined && referenceAnswers !== undefined && referenceAnswers.length > 0) result.rouge = rougeMulti(answer, referenceAnswers, { stem });
  return result;
}
