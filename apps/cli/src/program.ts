import { Command, CommanderError } from 'commander';
import { isChunkwiseError } from '@chunkwise/core';
import pkg from '../package.json' with { type: 'json' };
import { COMMANDS } from './commands/index.js';
import { interruptExitCode } from './interrupt.js';
import { printNote } from './output.js';
import { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, UsageError, describeError } from './errors.js';

export function createProgram(): Command {
  const program = new Command('chunkwise')
    .description('Chunkwise: long-context LLM tools on exact offsets and hard token limits, offline.')
    .version(pkg.version, '-v, --version')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .showHelpAfterError('(run chunkwise --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 done (also when the reader of stdout went away, as `| head` does), 1 error,',
        '2 usage mistake, 130 interrupted by Ctrl-C (143 by SIGTERM) after the current write.',
        'Guide: docs/cli.md',
      ].join('\n'),
    )
    .exitOverride();
  for (const register of COMMANDS) register(program);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 runtime error, 2 usage error, 128 + n after signal n (130: Ctrl-C). */
export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT_OK;
      }
      return EXIT_USAGE; // commander has already printed the message
    }
    if (error instanceof UsageError) {
      printNote(`chunkwise: ${error.message}\n(run chunkwise --help for usage)\n`);
      return EXIT_USAGE;
    }
    const interrupted = interruptExitCode();
    if (interrupted !== undefined && isChunkwiseError(error, 'ABORTED')) {
      printNote('chunkwise: interrupted; everything written so far is committed.\n');
      return interrupted;
    }
    printNote(`chunkwise: error ${describeError(error)}\n`);
    if (process.env.CHUNKWISE_DEBUG && error instanceof Error && error.stack) printNote(error.stack + '\n');
    return EXIT_RUNTIME;
  }
}
