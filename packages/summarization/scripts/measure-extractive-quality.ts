/**
 * Reads like a summary? Issue 16's measures of the extractive book summary, on Moby Dick (sections =
 * its chapters) and on every SOTU address, with @chunkwise/eval's metrics: share of sections and of
 * tenths of the text the summary draws from, share of the source's 50 salient terms it uses, and
 * the share of its letters that are quoted speech or dialogue.
 *
 *   pnpm --filter @chunkwise/summarization measure:quality
 */
import { performance } from 'node:perf_hooks';
import { extractiveSummary } from '../src/index.js';
import { mobyDick, sotuAddresses } from '../src/__fixtures__/datasets.js';
import { dialogueShare, equalSections, salientTermCoverage, sectionCoverage } from '@chunkwise/eval';
import type { Span } from '@chunkwise/core';

const tenths = (spans: readonly Span[], length: number) => sectionCoverage(spans, equalSections(length, 10)).share;

const f = (x: number) => x.toFixed(3);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

console.log('| text | target | words | sections covered | tenths covered | salient terms (50) | dialogue share | mean sentence words | time |');
console.log('|---|---|---|---|---|---|---|---|---|');

const book = mobyDick();
for (const targetWords of [300, 1000]) {
  const started = performance.now();
  const result = extractiveSummary(book.text, { targetWords, sections: book.chapters });
  const ms = performance.now() - started;
  console.log(
    `| Moby Dick | ${targetWords} | ${result.words} | ${f(sectionCoverage(result.sentences, book.chapters).share)} | ${f(tenths(result.sentences, book.text.length))} | ` +
      `${f(salientTermCoverage(result.summary, book.text).share)} | ${f(dialogueShare(result.summary))} | ${(result.words / result.sentences.length).toFixed(1)} | ${(ms / 1000).toFixed(2)} s |`,
  );
}

const addresses = sotuAddresses();
for (const targetWords of [150]) {
  const started = performance.now();
  const rows = addresses.map((address) => {
    const result = extractiveSummary(address.text, { targetWords });
    return {
      words: result.words,
      tenths: tenths(result.sentences, address.text.length),
      salient: salientTermCoverage(result.summary, address.text).share,
      dialogue: dialogueShare(result.summary),
      sentenceWords: result.words / Math.max(result.sentences.length, 1),
    };
  });
  const ms = performance.now() - started;
  console.log(
    `| 233 SOTU addresses (means) | ${targetWords} | ${f(mean(rows.map((r) => r.words)))} | — | ${f(mean(rows.map((r) => r.tenths)))} | ` +
      `${f(mean(rows.map((r) => r.salient)))} | ${f(mean(rows.map((r) => r.dialogue)))} | ${mean(rows.map((r) => r.sentenceWords)).toFixed(1)} | ${(ms / 1000).toFixed(1)} s |`,
  );
}
