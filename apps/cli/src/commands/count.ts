import type { Command } from 'commander';
import { ENCODING_NAMES, getEncoding, isEncodingName, type EncodingName } from '@chunkwise/tokenizers';
import { UsageError } from '../errors.js';
import { readInput } from '../input.js';
import { writeJson, type GlobalOptions } from '../output.js';

/** Validates an --encoding value; shared by count and tokenize. */
export function parseEncoding(value: string): EncodingName {
  if (!isEncodingName(value)) throw new UsageError(`--encoding must be one of ${ENCODING_NAMES.join(', ')}, got ${JSON.stringify(value)}.`);
  return value;
}

export function registerCount(program: Command): void {
  program
    .command('count')
    .description('count the tokens of a text (special-token text counts as plain text)')
    .argument('<file>', 'UTF-8 text file, or - for stdin')
    .option('-e, --encoding <name>', ENCODING_NAMES.join(', '), 'o200k_base')
    .action(async (file: string, options: { encoding: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const name = parseEncoding(options.encoding);
      const input = await readInput(file);
      const encoding = await getEncoding(name);
      const tokens = encoding.count(input.text);
      if (globals.json) {
        writeJson({ source: input.name, encoding: name, tokens, characters: input.text.length });
        return;
      }
      process.stdout.write(`${tokens.toLocaleString('en-US')} tokens (${name}) in ${input.name}, ${input.text.length.toLocaleString('en-US')} characters\n`);
    });
}
