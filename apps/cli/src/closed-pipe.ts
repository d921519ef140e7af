/**
 * `chunkwise tokenize big.txt | head -1`: once `head` has its line it closes the pipe, and the next
 * write fails with EPIPE. That is the reader saying "enough", not a failure, so the command ends at
 * once with exit 0 and no message, as `cat` and `grep` do. Stores are safe: every store write is a
 * committed transaction before anything is printed. A closed stderr only silences progress.
 */
export function endQuietlyOnClosedPipes(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
