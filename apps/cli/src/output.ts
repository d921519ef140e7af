/** Options every subcommand inherits from the program. */
export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Machine output: one JSON document on stdout, nothing else there. */
export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
