import type { Command } from 'commander';
import { registerAsk } from './ask.js';
import { registerBench } from './bench.js';
import { registerChunk } from './chunk.js';
import { registerCount } from './count.js';
import { registerDigest } from './digest.js';
import { registerDoctor } from './doctor.js';
import { registerEval } from './eval.js';
import { registerIndex } from './index-command.js';
import { registerMigrate } from './migrate.js';
import { registerSearch } from './search.js';
import { registerSummarize } from './summarize.js';
import { registerTokenize } from './tokenize.js';
import { registerWorker } from './worker.js';

/** Every subcommand, in the order `--help` lists them. Each package issue adds its own here. */
export const COMMANDS: ((program: Command) => void)[] = [registerDigest, registerCount, registerTokenize, registerChunk, registerIndex, registerWorker, registerSearch, registerAsk, registerMigrate, registerDoctor, registerSummarize, registerEval, registerBench];
