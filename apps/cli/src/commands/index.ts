import type { Command } from 'commander';
import { registerChunk } from './chunk.js';
import { registerDigest } from './digest.js';

/** Every subcommand, in the order `--help` lists them. Each package issue adds its own here. */
export const COMMANDS: ((program: Command) => void)[] = [registerDigest, registerChunk];
