import { Option, type Command } from 'commander';
import type { Tokenizer } from '@chunkwise/core';
import { DEFAULT_TOKENIZER_NAME, TOKENIZER_NAMES, isTokenizerName, resolveTokenizer } from '@chunkwise/tokenizers';
import { UsageError } from './errors.js';

/** The tokenizer every command uses unless told otherwise (GPT-4o, GPT-4.1, GPT-5). */
export const DEFAULT_TOKENIZER = DEFAULT_TOKENIZER_NAME;

/** The one check and the one message for a tokenizer name, whichever command and flag it came from. */
export function checkTokenizerName(name: string): string {
  if (!isTokenizerName(name)) {
    throw new UsageError(`unknown tokenizer ${JSON.stringify(name)}; --tokenizer takes one of ${TOKENIZER_NAMES.join(', ')}.`);
  }
  return name;
}

/**
 * Adds `-t, --tokenizer <name>` to a command, checked at parse time (exit 2 before any input is
 * read) against `@chunkwise/tokenizers`' names. `encodingAlias` keeps `-e, --encoding` working,
 * hidden from help, for scripts written before the flag was unified.
 */
export function addTokenizerOption(command: Command, options: { encodingAlias?: boolean; description?: string } = {}): Command {
  const description = options.description ?? 'tokenizer that counts and limits tokens';
  command.addOption(new Option('-t, --tokenizer <name>', `${description}: ${TOKENIZER_NAMES.join(', ')}`).argParser(checkTokenizerName).default(DEFAULT_TOKENIZER));
  if (options.encodingAlias) {
    command.addOption(new Option('-e, --encoding <name>', 'old name of --tokenizer').argParser(checkTokenizerName).hideHelp());
    command.on('option:encoding', (name: string) => command.setOptionValue('tokenizer', checkTokenizerName(name)));
  }
  return command;
}

/** Loads a tokenizer by a name {@link checkTokenizerName} accepted, through tokenizers' one resolver. */
export function loadTokenizer(name: string): Promise<Tokenizer> {
  return resolveTokenizer(checkTokenizerName(name));
}
