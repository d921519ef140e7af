import type { Command } from 'commander';
import { ChunkwiseError } from '@chunkwise/core';
import { readInput } from '../input.js';
import { jsonLine, print, writeJson, type GlobalOptions } from '../output.js';
import { addTokenizerOption, loadTokenizer } from '../tokenizer-option.js';

interface TokenizeOptions {
  tokenizer: string;
  offsets?: boolean;
  allowSpecial?: boolean;
}

export function registerTokenize(program: Command): void {
  const command = program
    .command('tokenize')
    .description('print the token ids of a text, optionally with the UTF-16 span of each token')
    .argument('<file>', 'UTF-8 text file, or - for stdin')
    .option('--offsets', 'include each token’s [start, end) UTF-16 span and its text')
    .option('--allow-special', 'encode special tokens such as <|endoftext|> as their ids (default: plain text)');
  addTokenizerOption(command, { encodingAlias: true, description: 'tokenizer whose ids to print' }).action(async (file: string, options: TokenizeOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const tokenizer = await loadTokenizer(options.tokenizer);
    const input = await readInput(file);
    if (!tokenizer.encodeWithOffsets) {
      throw new ChunkwiseError('UNSUPPORTED', `The ${options.tokenizer} tokenizer reports no token offsets; use an encoding such as o200k_base.`);
    }
    // Default: special-token text is plain text, so any file tokenizes; --allow-special opts in.
    const special = options.allowSpecial ? { allowedSpecial: 'all' as const } : { disallowedSpecial: [] };
    const { ids, starts, ends } = tokenizer.encodeWithOffsets(input.text, special);
    if (globals.json) {
      const result: Record<string, unknown> = { source: input.name, tokenizer: options.tokenizer, encoding: options.tokenizer, count: ids.length, ids: Array.from(ids) };
      if (options.offsets) result.offsets = Array.from(ids, (_, i) => [starts[i]!, ends[i]!]);
      writeJson(result);
      return;
    }
    const lines: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      lines.push(options.offsets ? `${ids[i]!}\t${starts[i]!}\t${ends[i]!}\t${jsonLine(input.text.slice(starts[i], ends[i]))}` : String(ids[i]!));
    }
    print(lines.join('\n') + (lines.length ? '\n' : ''));
  });
}
