import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeJsonControls } from '../terminal-text.js';
import { jsonLine } from '../output.js';
import { writeOutputFile, writeOutputStream } from '../output-file.js';
import { forEachChunk, type DigestAnswer } from './index-stage.js';
import { renderReportHtml, type ReportAnswer, type ReportInput } from './report-html.js';
import type { DigestContext, DigestStage } from './types.js';

interface TokensFacts {
  encodings: string[];
  totals: Record<string, number>;
  sections: ({ title: string } & Record<string, number | string>)[];
}
interface ChunksFacts {
  maxTokens: number;
}
interface SummaryFacts {
  text: string;
  words: number;
  method: string;
}
interface IndexFacts {
  questions: DigestAnswer[];
}

/** Files the digest writes into its output folder (paths relative to it). */
export const DIGEST_FILES = { html: 'report.html', summary: 'summary.md', chunks: 'chunks.jsonl', json: 'report.json' } as const;

/** chunks.jsonl is written in pieces of about this many characters. */
const WRITE_CHARS = 1 << 20;

/** Gathers what the earlier stages left on the context into the report.html input. */
export function reportInput({ document, report, chunks }: DigestContext): ReportInput {
  const input: ReportInput = {
    title: document.title,
    source: document.name,
    facts: [
      ['sections', document.sections.length.toLocaleString('en-US')],
      ['characters', document.characters.toLocaleString('en-US')],
      ['words', report.document.words.toLocaleString('en-US')],
    ],
    stages: report.stages,
    generatedAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
  const tokens = report.tokens as TokensFacts | undefined;
  if (tokens) {
    for (const name of tokens.encodings) input.facts.push([`${name} tokens`, (tokens.totals[name] ?? 0).toLocaleString('en-US')]);
    input.tokensPerSection = {
      sectionTitles: tokens.sections.map((section) => section.title),
      series: tokens.encodings.map((name) => ({ name, counts: tokens.sections.map((section) => Number(section[name] ?? 0)) })),
    };
  }
  const chunkFacts = report.chunks as ChunksFacts | undefined;
  if (chunks && chunkFacts) input.chunkSizes = { sizes: chunks.tokenCounts(), maxTokens: chunkFacts.maxTokens };
  const summary = report.summary as SummaryFacts | undefined;
  if (summary) input.summary = { text: summary.text, words: summary.words, method: summary.method };
  const index = report.index as IndexFacts | undefined;
  if (index) {
    input.answers = index.questions.map(
      (answer): ReportAnswer => ({
        question: answer.question,
        answer: answer.answer,
        answered: answer.answered,
        method: answer.method,
        passages: answer.passages.map((passage) => ({
          section: passage.source === document.name ? passage.chapter : `${passage.source} · ${passage.chapter}`,
          start: passage.start,
          end: passage.end,
          score: passage.score,
          // The whole passage, exactly as indexed: source.slice(start, end).
          text: passage.text,
          // Citation offsets are the source's; the passage starts at passage.start.
          evidence: answer.citations
            .filter((citation) => citation.passage === passage.id)
            .map((citation) => ({ start: citation.start - passage.start, end: citation.end - passage.start, marker: citation.marker })),
        })),
      }),
    );
  }
  return input;
}

/**
 * Writes report.html, summary.md, chunks.jsonl and report.json into the output folder, each
 * through a temporary file and a rename: a kill half-way leaves the previous complete file, and an
 * output name that is a symlink is replaced, never followed.
 */
export const writeStage: DigestStage = {
  name: 'report',
  async run(context) {
    const { options, report, chunks, document } = context;
    await mkdir(options.outDir, { recursive: true });
    const written: string[] = [];
    const write = async (file: string, text: string) => {
      await writeOutputFile(join(options.outDir, file), text);
      written.push(file);
    };
    if (chunks) {
      // Line by line, a section of the book at a time: the file is never built in memory.
      await writeOutputStream(join(options.outDir, DIGEST_FILES.chunks), async (writePiece) => {
        let pending = '';
        await forEachChunk(document, chunks, async (index, text) => {
          pending += jsonLine({ index, start: chunks.start(index), end: chunks.end(index), tokenCount: chunks.tokenCount(index), text }) + '\n';
          if (pending.length >= WRITE_CHARS) {
            await writePiece(pending);
            pending = '';
          }
        });
        if (pending) await writePiece(pending);
      });
      written.push(DIGEST_FILES.chunks);
    }
    const summary = report.summary as SummaryFacts | undefined;
    if (summary) await write(DIGEST_FILES.summary, `# ${document.title}\n\n*${summary.method} summary, ${summary.words} words*\n\n${summary.text}\n`);
    await write(DIGEST_FILES.html, renderReportHtml(reportInput(context)));
    report.files = { folder: options.outDir, written: [...written, DIGEST_FILES.json] };
    // report.json last, so it lists every file (its own stage timing is added after this stage).
    await write(DIGEST_FILES.json, escapeJsonControls(JSON.stringify(report, null, 2)) + '\n');
    return `wrote ${written.join(', ')} to ${options.outDir}/`;
  },
};
