import { constants } from 'node:os';
import { ChunkwiseError } from '@chunkwise/core';
import { printNote } from './output.js';

let received: NodeJS.Signals | undefined;

/**
 * Runs a command that writes a store with Ctrl-C (SIGINT) and SIGTERM turned into an AbortSignal:
 * the command stops at its next check, after the transaction in progress, and closes its store, so
 * an interrupted `index` leaves every source either fully indexed or as it was, and a saved index
 * snapshot. A second signal exits at once (the store is still consistent: SQLite rolls back an
 * unfinished transaction at the next open).
 */
export async function withInterrupts<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(128 + (constants.signals[signal] ?? 2));
    received = signal;
    printNote(`\nchunkwise: ${signal}: stopping after the current write (again to quit at once)\n`);
    controller.abort(new ChunkwiseError('ABORTED', `Interrupted by ${signal}.`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** 128 + the signal's number when a command stopped because of one (130 for Ctrl-C), else undefined. */
export function interruptExitCode(): number | undefined {
  return received === undefined ? undefined : 128 + (constants.signals[received] ?? 2);
}
