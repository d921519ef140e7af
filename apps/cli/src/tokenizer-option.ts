import { Option, type Command } from 'commander';
import { resolveTokenizer } from '@chunkwise/chunking';
import type { Tokenizer } from '@chunkwise/core';
import { ENCODING_NAMES } from '@chunkwise/tokenizers';
import { UsageError } from './errors.js';

/** The tokenizer every command uses unless told otherwise (GPT-4o, GPT-4.1, GPT-5). */
export const DEFAULT_TOKENIZER = 'o200k_base';

/** Every name `--tokenizer` takes: the shipped encodings and 'characters' (a UTF-16 length limit). */
export const TOKENIZER_CHOICES: readonly string[] = [...ENCODING_NAMES, 'characters'];

/** The one check and the one message for a tokenizer name, whichever command and flag it came from. */
export function checkTokenizerName(name: string): string {
  if (!TOKENIZER_CHOICES.includes(name)) {
    throw new UsageError(`unknown tokenizer ${JSON.stringify(name)}; --tokenizer takes one of ${TOKENIZER_CHOICES.join(', ')}.`);
  }
  return name;
}

/**
 * Adds `-t, --tokenizer <name>` to a command, checked at parse time (exit 2 before any input is
 * read). `encodingAlias` keeps `-e, --encoding` working, hidden from help, for scripts written
 * before the flag was unified.
 */
export function addTokenizerOption(command: Command, options: { encodingAlias?: boolean; description?: string } = {}): Command {
  const description = options.description ?? 'tokenizer that counts and limits tokens';
  command.addOption(new Option('-t, --tokenizer <name>', `${description}: ${TOKENIZER_CHOICES.join(', ')}`).argParser(checkTokenizerName).default(DEFAULT_TOKENIZER));
  if (options.encodingAlias) {
    command.addOption(new Option('-e, --encoding <name>', 'old name of --tokenizer').argParser(checkTokenizerName).hideHelp());
    command.on('option:encoding', (name: string) => command.setOptionValue('tokenizer', checkTokenizerName(name)));
  }
  return command;
}

/** Loads a tokenizer by a name {@link checkTokenizerName} accepted. */
export function loadTokenizer(name: string): Promise<Tokenizer> {
  return resolveTokenizer(checkTokenizerName(name));
}
