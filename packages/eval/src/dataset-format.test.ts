import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { formatDataset, parseDataset } from './dataset-format.js';
import type { EvalQuestion } from './dataset.js';
import { readDataset, writeDataset } from './node.js';

const corpus = 'Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, I thought I would sail about a little.';
const corpora = { moby: corpus };
const good: EvalQuestion = { question: 'What should you call the narrator?', corpusId: 'moby', references: [{ content: 'Call me Ishmael.', start: 0, end: 16 }] };

describe('dataset format', () => {
  it('round-trips any questions through CSV and JSONL', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    const question = fc.record({
      question: text.filter((s) => s.trim() !== ''),
      corpusId: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
      references: fc.array(fc.record({ content: text, start: fc.nat(100), end: fc.nat(100) }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(question, { maxLength: 6 }), (questions) => {
        expect(parseDataset(formatDataset(questions, 'csv'), { format: 'csv' })).toEqual(questions);
        expect(parseDataset(formatDataset(questions, 'jsonl'), { format: 'jsonl' })).toEqual(questions);
      }),
    );
  });

  it('reads the documented CSV: quoted JSON references, CRLF, extra columns ignored', () => {
    const csv = 'id,question,references,corpus_id\r\n7,"Who, exactly?","[{""content"": ""Call me Ishmael."", ""start_index"": 0, ""end_index"": 16}]",moby\r\n';
    expect(parseDataset(csv, { format: 'csv', corpora })).toEqual([{ question: 'Who, exactly?', corpusId: 'moby', references: [{ content: 'Call me Ishmael.', start: 0, end: 16 }] }]);
  });

  it('names the row whose reference does not slice to its content', () => {
    const bad = formatDataset([good, { ...good, references: [{ content: 'Call me Ahab.', start: 0, end: 13 }] }], 'csv');
    expect(() => parseDataset(bad, { format: 'csv', corpora })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('row 2 (line 3): reference 1 does not slice to its content') }));
    const jsonl = formatDataset([{ ...good, references: [{ content: 'x', start: 0, end: 999 }] }], 'jsonl');
    expect(() => parseDataset(jsonl, { format: 'jsonl', corpora })).toThrow(/line 1: reference 1 has offsets \[0, 999\) outside corpus "moby"/);
    const missing = formatDataset([{ ...good, corpusId: 'sotu' }], 'jsonl');
    expect(() => parseDataset(missing, { format: 'jsonl', corpora })).toThrow(/line 1: no corpus named "sotu"/);
    const none = formatDataset([{ ...good, references: [] }], 'csv');
    expect(() => parseDataset(none, { format: 'csv', corpora })).toThrow(/row 1 \(line 2\): the question has no references/);
  });

  it('refuses malformed files with the line', () => {
    expect(() => parseDataset('question,references\nq,[]\n', { format: 'csv' })).toThrow(/needs a "corpus_id" column/);
    expect(() => parseDataset('question,references,corpus_id\n"open,[],moby\n', { format: 'csv' })).toThrow(/CSV line 2: a quoted field is never closed/);
    expect(() => parseDataset('question,references,corpus_id\nq,not json,moby\n', { format: 'csv' })).toThrow(/row 1 \(line 2\): "references" is not valid JSON/);
    expect(() => parseDataset('{"question": "q"}\n', { format: 'jsonl' })).toThrow(/line 1: "corpus_id" must be a string/);
    expect(() => parseDataset('\n{oops\n', { format: 'jsonl' })).toThrow(/line 2: not valid JSON/);
    expect(() => parseDataset('', { format: 'xml' as 'csv' })).toThrow(/Unknown dataset format "xml"/);
  });

  it('parses CSV records with quotes and line breaks inside fields (RFC 4180)', () => {
    expect(parseCsv('a,"b ""c""\nd",e\n\nf,g')).toEqual([
      { fields: ['a', 'b "c"\nd', 'e'], line: 1 },
      { fields: ['f', 'g'], line: 4 },
    ]);
  });
});

describe('readDataset / writeDataset', () => {
  it('writes a dataset file and a corpora folder, and reads them back checked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chunkwise-eval-'));
    await writeDataset(join(dir, 'q.csv'), join(dir, 'corpora'), { questions: [good], corpora });
    expect(await readFile(join(dir, 'corpora', 'moby.txt'), 'utf8')).toBe(corpus);
    expect(await readDataset(join(dir, 'q.csv'), join(dir, 'corpora'))).toEqual({ questions: [good], corpora });
    await writeFile(join(dir, 'corpora', 'moby.txt'), corpus.replace('Ishmael', 'Ishmail'));
    await expect(readDataset(join(dir, 'q.csv'), join(dir, 'corpora'))).rejects.toThrow(/row 1 \(line 2\): reference 1 does not slice to its content/);
    await expect(readDataset(join(dir, 'q.txt'), join(dir, 'corpora'))).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await writeFile(join(dir, 'q.tsv'), '');
    await expect(readDataset(join(dir, 'q.tsv'), join(dir, 'corpora'))).rejects.toThrow(/name it .csv or .jsonl/);
    await expect(writeDataset(join(dir, 'x.jsonl'), join(dir, 'c2'), { questions: [{ ...good, corpusId: '../up' }], corpora: { '../up': corpus } })).rejects.toThrow(/cannot be a file name/);
  });
});
