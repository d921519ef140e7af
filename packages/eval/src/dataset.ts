import { ChunkwiseError, type Span } from '@chunkwise/core';

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
  if (corpora instanceof Map) return (corpora as ReadonlyMap<string, string>).get(id);
  return Object.hasOwn(corpora, id) ? (corpora as Readonly<Record<string, string>>)[id] : undefined;
}

/**
 * Checks every question against its corpus: a non-empty question, a known corpus, at least one
 * reference, integer offsets inside the corpus, and `corpus.slice(start, end) === content`.
 * `where(i)` names the row in errors ("row 3", "line 7").
 */
export function validateDataset(questions: readonly EvalQuestion[], corpora: Corpora, where: (index: number) => string = (i) => `question ${i + 1}`): void {
  questions.forEach((q, i) => {
    const at = where(i);
    const fail = (message: string): never => {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${at}: ${message}`, { details: { row: at, corpusId: q.corpusId } });
    };
    if (typeof q.question !== 'string' || q.question.trim() === '') fail('the question is empty.');
    if (typeof q.corpusId !== 'string' || q.corpusId === '') fail('corpus_id is empty.');
    const text = corpusText(corpora, q.corpusId);
    if (text === undefined) fail(`no corpus named ${JSON.stringify(q.corpusId)}; add a file of that name (e.g. ${q.corpusId}.txt) to the corpora folder.`);
    if (!Array.isArray(q.references) || q.references.length === 0) fail('the question has no references; give at least one { content, start_index, end_index }.');
    q.references.forEach((ref, j) => {
      const { start, end, content } = ref;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > (text as string).length) {
        fail(`reference ${j + 1} has offsets [${String(start)}, ${String(end)}) outside corpus ${JSON.stringify(q.corpusId)} (length ${(text as string).length}).`);
      }
      if (typeof content !== 'string') fail(`reference ${j + 1} has no content string.`);
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
