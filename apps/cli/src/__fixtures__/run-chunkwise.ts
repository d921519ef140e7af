import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const main = join(import.meta.dirname, '..', 'main.ts');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the chunkwise CLI from source in a child process, as a user would run it: the
 * `@chunkwise/source` condition resolves the workspace packages to their TypeScript sources, so no
 * build is needed. Never throws for a non-zero exit: the exit code is part of the result.
 */
export async function runChunkwise(
  args: string[],
  options: { cwd: string; input?: string; env?: Record<string, string> },
): Promise<CliResult> {
  const child = exec(process.execPath, ['--conditions=@chunkwise/source', '--import', tsxLoader, main, ...args], {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
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
