import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireArray } from './argument-checks.js';
import { csvField, parseCsv } from './csv.js';
import { validateDataset, type Corpora, type EvalQuestion, type Reference } from './dataset.js';

export type DatasetFormat = 'csv' | 'jsonl';

export interface ParseDatasetOptions {
  format: DatasetFormat;
  /** When given, every reference is checked against its corpus (`validateDataset`). */
  corpora?: Corpora;
}

/**
 * Reads the dataset format: CSV with a header naming `question`, `references` and `corpus_id`
 * (other columns are ignored), or JSONL with those keys per line. `references` is a JSON list of
 * `{ content, start_index, end_index }` (in JSONL, a list or a string holding one). Errors name
 * the row: "row 3 (line 4)" in CSV, "line 7" in JSONL.
 */
export function parseDataset(text: string, options: ParseDatasetOptions): EvalQuestion[] {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'parseDataset needs the file contents as a string.');
  if (!isObject(options)) invalid(`parseDataset needs options { format: 'csv' | 'jsonl', corpora? }, got ${describeValue(options)}.`);
  const { format, corpora } = options;
  let rows: { values: Record<string, unknown>; where: string }[];
  if (format === 'csv') rows = csvRows(text);
  else if (format === 'jsonl') rows = jsonlRows(text);
  else invalid(`Unknown dataset format ${describeValue(format)}: use 'csv' or 'jsonl'.`);
  const questions = rows.map(({ values, where }) => toQuestion(values, where));
  if (corpora !== undefined) validateDataset(questions, corpora, (i) => (rows[i] as { where: string }).where);
  return questions;
}

function csvRows(text: string): { values: Record<string, unknown>; where: string }[] {
  const [header, ...records] = parseCsv(text);
  if (!header) return [];
  const names = header.fields.map((f) => f.trim());
  for (const required of ['question', 'references', 'corpus_id']) {
    if (!names.includes(required)) throw new ChunkwiseError('INVALID_ARGUMENT', `The CSV header needs a "${required}" column; it has ${names.map((n) => JSON.stringify(n)).join(', ')}.`);
  }
  return records.map((record, i) => {
    const where = `row ${i + 1} (line ${record.line})`;
    if (record.fields.length !== names.length) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ${record.fields.length} fields where the header has ${names.length}; quote fields that contain commas.`, { details: { row: where } });
    }
    const values: Record<string, unknown> = {};
    names.forEach((name, j) => (values[name] = record.fields[j]));
    return { values, where };
  });
}

function jsonlRows(text: string): { values: Record<string, unknown>; where: string }[] {
  const rows: { values: Record<string, unknown>; where: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${i + 1}`;
    let values: unknown;
    try {
      values = JSON.parse(line);
    } catch (cause) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: not valid JSON (${(cause as Error).message}).`, { cause, details: { row: where } });
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: each line must be a JSON object.`, { details: { row: where } });
    rows.push({ values: values as Record<string, unknown>, where });
  });
  return rows;
}

function toQuestion(values: Record<string, unknown>, where: string): EvalQuestion {
  const fail = (message: string): never => {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ${message}`, { details: { row: where } });
  };
  const { question, corpus_id: corpusId } = values;
  if (typeof question !== 'string') fail('"question" must be a string.');
  if (typeof corpusId !== 'string') fail('"corpus_id" must be a string.');
  let references = values.references;
  if (typeof references === 'string') {
    try {
      references = JSON.parse(references);
    } catch (cause) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: "references" is not valid JSON (${(cause as Error).message}).`, { cause, details: { row: where } });
    }
  }
  if (!Array.isArray(references)) return fail('"references" must be a JSON list of { content, start_index, end_index }.');
  const refs: Reference[] = references.map((ref: unknown, j: number) => {
    const r = ref as { content?: unknown; start_index?: unknown; end_index?: unknown } | null;
    if (typeof r !== 'object' || r === null || typeof r.content !== 'string' || typeof r.start_index !== 'number' || typeof r.end_index !== 'number') {
      return fail(`reference ${j + 1} must be { "content": string, "start_index": number, "end_index": number }.`);
    }
    return { content: r.content, start: r.start_index, end: r.end_index };
  });
  return { question: question as string, corpusId: corpusId as string, references: refs };
}

/** Writes questions in the dataset format (`parseDataset` reads it back unchanged). */
export function formatDataset(questions: readonly EvalQuestion[], format: DatasetFormat): string {
  if (format !== 'csv' && format !== 'jsonl') invalid(`Unknown dataset format ${describeValue(format)}: use 'csv' or 'jsonl'.`);
  requireArray(questions, 'The dataset');
  questions.forEach(checkShape);
  const record = (q: EvalQuestion) => ({
    question: q.question,
    references: q.references.map((r) => ({ content: r.content, start_index: r.start, end_index: r.end })),
    corpus_id: q.corpusId,
  });
  if (format === 'jsonl') return questions.map((q) => JSON.stringify(record(q)) + '\n').join('');
  const lines = ['question,references,corpus_id'];
  for (const q of questions) {
    const r = record(q);
    lines.push([csvField(r.question), csvField(JSON.stringify(r.references)), csvField(r.corpus_id)].join(','));
  }
  return lines.join('\n') + '\n';
}

/** The shape `formatDataset` writes (offsets are checked against corpora by `validateDataset`). */
function checkShape(q: unknown, i: number): void {
  const fail = (message: string): never => invalid(`question ${i + 1}: ${message}`);
  if (!isObject(q)) fail(`a question must be { question, corpusId, references }, got ${describeValue(q)}.`);
  const { question, corpusId, references } = q as Record<string, unknown>;
  if (typeof question !== 'string') fail(`question must be a string, got ${describeValue(question)}.`);
  if (typeof corpusId !== 'string') fail(`corpusId must be a string, got ${describeValue(corpusId)}.`);
  if (!Array.isArray(references)) return fail(`references must be an array, got ${describeValue(references)}.`);
  references.forEach((ref: unknown, j) => {
    const r = ref as Partial<Reference> | null;
    if (!isObject(r) || typeof r.content !== 'string' || !Number.isInteger(r.start) || !Number.isInteger(r.end)) fail(`reference ${j + 1} must be { content: string, start: integer, end: integer }, got ${describeValue(ref)}.`);
  });
}
