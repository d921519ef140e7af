import type { Command } from 'commander';
import { readInput } from '../input.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { addTokenizerOption, loadTokenizer } from '../tokenizer-option.js';

export function registerCount(program: Command): void {
  const command = program
    .command('count')
    .description('count the tokens of a text (special-token text counts as plain text)')
    .argument('<file>', 'UTF-8 text file, or - for stdin');
  addTokenizerOption(command, { encodingAlias: true, description: 'tokenizer to count with' }).action(async (file: string, options: { tokenizer: string }, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const tokenizer = await loadTokenizer(options.tokenizer);
    const input = await readInput(file);
    const tokens = tokenizer.count(input.text);
    if (globals.json) {
      // `encoding` stays beside `tokenizer` for scripts that read the old field.
      writeJson({ source: input.name, tokenizer: options.tokenizer, encoding: options.tokenizer, tokens, characters: input.text.length });
      return;
    }
    print(`${tokens.toLocaleString('en-US')} tokens (${options.tokenizer}) in ${input.name}, ${input.text.length.toLocaleString('en-US')} characters\n`);
  });
}
