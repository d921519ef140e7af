import { ChunkwiseError, type Span } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireArray, requireString } from './argument-checks.js';

/** A gold evidence span of a question: `corpus.slice(start, end) === content`. */
export interface Reference extends Span {
  content: string;
}

/** One labeled question: its text, the corpus it is about and the spans that answer it. */
export interface EvalQuestion {
  question: string;
  corpusId: string;
  references: Reference[];
}

/** Corpora by id: a plain object or a Map. */
export type Corpora = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/** Questions with the corpora they point into: what the builders return and the runner takes. */
export interface EvalDataset {
  questions: EvalQuestion[];
  corpora: Record<string, string>;
}

/** The text of a corpus by id, from either form of `Corpora`. */
export function corpusText(corpora: Corpora, id: string): string | undefined {
  requireCorpora(corpora);
  requireString(id, 'A corpus id');
  const text = corpora instanceof Map ? (corpora as ReadonlyMap<string, unknown>).get(id) : Object.hasOwn(corpora, id) ? (corpora as Readonly<Record<string, unknown>>)[id] : undefined;
  if (text !== undefined && typeof text !== 'string') invalid(`Corpus ${JSON.stringify(id)} must be a string of text, got ${describeValue(text)}.`);
  return text;
}

/** Corpora are a Map or a plain object of id → text. */
export function requireCorpora(corpora: unknown): asserts corpora is Corpora {
  if (!(corpora instanceof Map) && !isObject(corpora)) invalid(`corpora must be an object or a Map of id → text, got ${describeValue(corpora)}.`);
}

/** The ids of either form of `Corpora`. */
export function corpusIds(corpora: Corpora): string[] {
  requireCorpora(corpora);
  return corpora instanceof Map ? [...(corpora as ReadonlyMap<string, string>).keys()] : Object.keys(corpora);
}

/**
 * Checks every question against its corpus: a non-empty question, a known corpus, at least one
 * reference, integer offsets inside the corpus, and `corpus.slice(start, end) === content`.
 * `where(i)` names the row in errors ("row 3", "line 7").
 */
export function validateDataset(questions: readonly EvalQuestion[], corpora: Corpora, where: (index: number) => string = (i) => `question ${i + 1}`): void {
  requireArray(questions, 'The dataset');
  requireCorpora(corpora);
  if (typeof where !== 'function') invalid(`where must be a function (index) => row name, got ${describeValue(where)}.`);
  questions.forEach((q: unknown, i) => {
    const named = where(i);
    const at = typeof named === 'string' ? named : `question ${i + 1}`;
    const fail = (message: string): never => {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${at}: ${message}`, { details: { row: at, corpusId: isObject(q) && typeof q.corpusId === 'string' ? q.corpusId : undefined } });
    };
    if (!isObject(q)) return fail(`a question must be { question, corpusId, references }, got ${describeValue(q)}.`);
    if (typeof q.question !== 'string' || q.question.trim() === '') fail('the question is empty.');
    if (typeof q.corpusId !== 'string' || q.corpusId === '') return fail('corpus_id is empty.');
    const text = corpusText(corpora, q.corpusId);
    if (text === undefined) fail(`no corpus named ${JSON.stringify(q.corpusId)}; add a file of that name (e.g. ${q.corpusId}.txt) to the corpora folder.`);
    if (!Array.isArray(q.references) || q.references.length === 0) fail('the question has no references; give at least one { content, start_index, end_index }.');
    (q.references as unknown[]).forEach((ref, j) => {
      if (!isObject(ref)) return fail(`reference ${j + 1} must be { content, start, end }, got ${describeValue(ref)}.`);
      const { start, end, content } = ref as Partial<Reference>;
      if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > (text as string).length) {
        return fail(`reference ${j + 1} has offsets [${describeValue(start)}, ${describeValue(end)}) outside corpus ${JSON.stringify(q.corpusId)} (length ${(text as string).length}).`);
      }
      if (typeof content !== 'string') return fail(`reference ${j + 1} has no content string.`);
      const slice = (text as string).slice(start, end);
      if (slice !== content) {
        fail(`reference ${j + 1} does not slice to its content: corpus ${JSON.stringify(q.corpusId)} [${start}, ${end}) is ${preview(slice)}, the content is ${preview(content)}.`);
      }
    });
  });
}

function preview(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
