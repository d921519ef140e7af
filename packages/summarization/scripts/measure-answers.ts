/**
 * Issue 16 "Measured": evidence recall, precision and IoU of the extractive answer's citations
 * against gold spans, at equal word budgets, against two baselines — the top-1 passage, and the
 * lead sentences of the top-k passages — on @chunkwise/eval's synthetic (RULER needles) and
 * held-out-sentence tasks. Every method answers from the same passages: the corpus cut by
 * RecursiveChunker (200 o200k tokens) and the top 5 chunks by BM25 (@chunkwise/eval's index).
 * Split: seed 1 was used while choosing the answer's defaults (dev), seed 2 is reported as test.
 *
 *   pnpm --filter @chunkwise/summarization measure:answers [--seed 2] [--words 80]
 */
import { RecursiveChunker, splitSentences } from '@chunkwise/chunking';
import { buildChunkIndex, evidenceScores, heldOutSentenceTasks, mean, rulerTasks, type EvalDataset, type SourceSpan } from '@chunkwise/eval';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { answer, countWords, type AnswerPassage } from '../src/index.js';
import { mobyDick, sotuAddresses } from '../src/__fixtures__/datasets.js';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const seed = argument('seed', 2);
const budgets = process.argv.includes('--words') ? [argument('words', 80)] : [40, 80];
const TOP_K = 5;

const book = mobyDick();
const haystack = book.text.slice(book.chapters[1]!.start, book.chapters[25]!.end);
const speeches = sotuAddresses()
  .filter((address) => address.year >= 1990 && address.year <= 2000)
  .map((address) => address.text)
  .join('\n\n');

const datasets: { name: string; data: EvalDataset }[] = [
  { name: 'RULER single (Moby Dick ch. 1–25)', data: rulerTasks({ haystack, task: 'single', questions: 20, seed }) },
  { name: 'RULER multikey', data: rulerTasks({ haystack, task: 'multikey', questions: 20, seed }) },
  { name: 'RULER multivalue', data: rulerTasks({ haystack, task: 'multivalue', questions: 20, seed }) },
  { name: 'RULER multiquery', data: rulerTasks({ haystack, task: 'multiquery', questions: 20, seed }) },
  { name: 'held-out sentences (SOTU 1990–2000)', data: heldOutSentenceTasks({ text: speeches, corpusId: 'sotu-1990s', questions: 50, seed }) },
  { name: 'held-out sentences (Moby Dick ch. 1–25)', data: heldOutSentenceTasks({ text: haystack, corpusId: 'moby-1-25', questions: 50, seed }) },
];

/** Spans of the first `words` words of `text` from `start` on (whole words), as document offsets. */
function leadingWords(text: string, offset: number, words: number): { start: number; end: number; words: number } {
  const pattern = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;
  let count = 0;
  let end = 0;
  for (const match of text.matchAll(pattern)) {
    if (count === words) break;
    count++;
    end = match.index + match[0].length;
  }
  return { start: offset, end: offset + end, words: count };
}

/** Baseline 1: the best passage, cut to the budget. */
function topPassage(passages: readonly AnswerPassage[], words: number, corpusId: string): SourceSpan[] {
  const first = passages[0];
  if (!first) return [];
  const span = leadingWords(first.text, first.start!, words);
  return [{ sourceId: corpusId, start: span.start, end: span.end }];
}

/** Baseline 2: the first sentence of each of the top-k passages in rank order, then the second ones…, whole sentences to the budget. */
function leadSentences(passages: readonly AnswerPassage[], words: number, corpusId: string): SourceSpan[] {
  const sentences = passages.map((passage) => splitSentences(passage.text).map((span) => ({ passage, span })));
  const out: SourceSpan[] = [];
  let total = 0;
  for (let round = 0; total < words; round++) {
    let any = false;
    for (const list of sentences) {
      const item = list[round];
      if (!item) continue;
      any = true;
      const count = countWords(item.passage.text.slice(item.span.start, item.span.end));
      if (total + count > words) continue;
      total += count;
      out.push({ sourceId: corpusId, start: item.passage.start! + item.span.start, end: item.passage.start! + item.span.end });
    }
    if (!any) break;
  }
  return out;
}

const chunker = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 200 });
const f = (x: number) => x.toFixed(3);

console.log(`seed ${seed}: top ${TOP_K} BM25 chunks of RecursiveChunker(200 o200k tokens) per question\n`);
console.log('| task | questions | words | method | recall | precision | IoU | answered | mean words |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const { name, data } of datasets) {
  const index = await buildChunkIndex({ corpora: data.corpora, chunker });
  for (const words of budgets) {
    const rows: Record<string, { recall: number[]; precision: number[]; iou: number[]; answered: number; words: number[] }> = {};
    const add = (method: string, cited: SourceSpan[], gold: SourceSpan[], usedWords: number) => {
      const row = (rows[method] ??= { recall: [], precision: [], iou: [], answered: 0, words: [] });
      const scores = evidenceScores(cited, gold);
      row.recall.push(scores.recall);
      row.precision.push(scores.precision);
      row.iou.push(scores.iou);
      if (cited.length > 0) row.answered++;
      row.words.push(usedWords);
    };
    for (const question of data.questions) {
      const corpus = index.corpora.get(question.corpusId)!;
      const hits = corpus.bm25.search(question.question, { k: TOP_K });
      const passages: AnswerPassage[] = hits.map((hit) => {
        const chunk = corpus.chunks[Number(hit.id)]!;
        return { id: hit.id, text: chunk.text, docId: question.corpusId, start: chunk.start };
      });
      const gold = question.references.map((ref) => ({ sourceId: question.corpusId, start: ref.start, end: ref.end }));
      const spanWords = (spans: SourceSpan[]) => spans.reduce((sum, s) => sum + countWords(corpus.text.slice(s.start, s.end)), 0);
      const top = topPassage(passages, words, question.corpusId);
      add('top-1 passage', top, gold, spanWords(top));
      const lead = leadSentences(passages, words, question.corpusId);
      add(`lead sentences of top-${TOP_K}`, lead, gold, spanWords(lead));
      const result = await answer(question.question, passages, { targetWords: words });
      const cited = result.citations.map((c) => ({ sourceId: c.docId!, start: c.documentStart!, end: c.documentEnd! }));
      add('extractive answer', cited, gold, result.words);
    }
    for (const [method, row] of Object.entries(rows)) {
      console.log(
        `| ${name} | ${data.questions.length} | ${words} | ${method} | ${f(mean(row.recall))} | ${f(mean(row.precision))} | ${f(mean(row.iou))} | ` +
          `${row.answered}/${data.questions.length} | ${mean(row.words).toFixed(1)} |`,
      );
    }
  }
}
