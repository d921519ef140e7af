// A child process for the kill-inside-a-write test: rewrites the digest's output files with
// ever newer, self-checking contents until it is killed. `plain` writes as the digest did before
// (fs.writeFile over the old file), `atomic` through writeOutputFile.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeOutputFile } from '../output-file.js';

export const OUTPUT_NAMES = ['report.json', 'chunks.jsonl', 'report.html'];
const BODY_BYTES = 6 * 1024 * 1024;

/** `v=<version> bytes=<n>\n<body>\nend v=<version>\n`: a torn file fails one of the three checks. */
export function versionContent(version: number): string {
  const body = String.fromCharCode(97 + (version % 26)).repeat(BODY_BYTES);
  return `v=${version} bytes=${BODY_BYTES}\n${body}\nend v=${version}\n`;
}

/** The version a complete file holds, or undefined when it is torn (or empty). */
export function completeVersion(content: string): number | undefined {
  const head = /^v=(\d+) bytes=(\d+)\n/.exec(content);
  if (!head) return undefined;
  const version = Number(head[1]);
  const expected = versionContent(version);
  return content === expected ? version : undefined;
}

const [folder, mode] = process.argv.slice(2);
if (folder !== undefined) {
  const write = mode === 'plain' ? (path: string, text: string) => writeFile(path, text) : writeOutputFile;
  for (let version = 1; ; version++) {
    for (const name of OUTPUT_NAMES) {
      await write(join(folder, name), versionContent(version));
      process.stdout.write(`${name} ${version}\n`);
    }
  }
}
