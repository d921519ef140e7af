import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const main = join(import.meta.dirname, '..', 'main.ts');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The node arguments that run the CLI from source: workspace packages resolve to their TypeScript. */
export const CHUNKWISE_NODE_ARGS = ['--conditions=@chunkwise/source', '--import', tsxLoader, main];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
}

/**
 * Runs the chunkwise CLI from source in a child process, as a user would run it: the
 * `@chunkwise/source` condition resolves the workspace packages to their TypeScript sources, so no
 * build is needed. Never throws for a non-zero exit: the exit code is part of the result.
 */
export async function runChunkwise(args: string[], options: RunOptions): Promise<CliResult> {
  const child = exec(process.execPath, [...CHUNKWISE_NODE_ARGS, ...args], {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  child.child.stdin!.end(options.input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Starts the CLI without waiting: for tests that signal it, or read only part of its output. */
export function spawnChunkwise(args: string[], options: RunOptions): ChildProcess {
  const child = spawn(process.execPath, [...CHUNKWISE_NODE_ARGS, ...args], {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.end(options.input);
  return child;
}

/** Resolves with the exit code (a signal's death as 128 + its number) and stderr. */
export function exited(child: ChildProcess): Promise<{ code: number; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, stderr }));
  });
}
