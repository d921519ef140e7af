import type { Command } from 'commander';
import { ENCODING_NAMES, getEncoding } from '@chunkwise/tokenizers';
import { readInput } from '../input.js';
import { writeJson, type GlobalOptions } from '../output.js';
import { parseEncoding } from './count.js';

interface TokenizeOptions {
  encoding: string;
  offsets?: boolean;
  allowSpecial?: boolean;
}

export function registerTokenize(program: Command): void {
  program
    .command('tokenize')
    .description('print the token ids of a text, optionally with the UTF-16 span of each token')
    .argument('<file>', 'UTF-8 text file, or - for stdin')
    .option('-e, --encoding <name>', ENCODING_NAMES.join(', '), 'o200k_base')
    .option('--offsets', 'include each token’s [start, end) UTF-16 span and its text')
    .option('--allow-special', 'encode special tokens such as <|endoftext|> as their ids (default: plain text)')
    .action(async (file: string, options: TokenizeOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const name = parseEncoding(options.encoding);
      const input = await readInput(file);
      const encoding = await getEncoding(name);
      // Default: special-token text is plain text, so any file tokenizes; --allow-special opts in.
      const special = options.allowSpecial ? { allowedSpecial: 'all' as const } : { disallowedSpecial: [] };
      const { ids, starts, ends } = encoding.encodeWithOffsets(input.text, special);
      if (globals.json) {
        const result: Record<string, unknown> = { source: input.name, encoding: name, count: ids.length, ids: Array.from(ids) };
        if (options.offsets) result.offsets = Array.from(ids, (_, i) => [starts[i]!, ends[i]!]);
        writeJson(result);
        return;
      }
      const lines: string[] = [];
      for (let i = 0; i < ids.length; i++) {
        lines.push(options.offsets ? `${ids[i]!}\t${starts[i]!}\t${ends[i]!}\t${JSON.stringify(input.text.slice(starts[i], ends[i]))}` : String(ids[i]!));
      }
      process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
    });
}
