import { escapeJsonControls, neutraliseControls } from './terminal-text.js';

/** Options every subcommand inherits from the program. */
export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
}

/**
 * Human output on stdout. Everything a command prints goes through here, document text included,
 * so control characters from a document never reach the terminal raw (tab and newline stay).
 */
export function print(text: string): void {
  process.stdout.write(neutraliseControls(text));
}

/** Notes and figures on stderr, with the same neutralising as {@link print}. */
export function printNote(text: string): void {
  process.stderr.write(neutraliseControls(text));
}

/** One JSON value as exact JSON text on one line, with no raw control character in it. */
export function jsonLine(value: unknown): string {
  return escapeJsonControls(JSON.stringify(value));
}

/** Machine output: one JSON document on stdout, nothing else there. Parses back to exactly `value`. */
export function writeJson(value: unknown): void {
  process.stdout.write(escapeJsonControls(JSON.stringify(value, null, 2)) + '\n');
}
