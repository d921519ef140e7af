import { expectArgument } from './argument-checks.js';
/** One progress report: `done` units of `total` (when known) finished in `stage`. */
export interface ProgressEvent {
  stage: string;
  done: number;
  total?: number;
  unit?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export interface ProgressReporter {
  /** Adds `amount` (default 1) to `done` and reports. */
  advance(amount?: number): void;
  /** Sets `done` to an absolute value and reports. */
  update(done: number): void;
  /** Reports completion: `done` becomes `total` when it is known. */
  finish(): void;
  readonly done: number;
}

export interface ProgressOptions {
  total?: number;
  unit?: string;
  /**
   * Report at most once per this many milliseconds (the first, and the final `finish()`, always
   * report). Hot loops can then call `advance()` freely. Default 0: report every call.
   */
  throttleMs?: number;
}

/**
 * Wraps an optional `onProgress` callback for one stage. With no callback every method is a cheap
 * no-op, so library code can report unconditionally.
 */
export function createProgress(
  onProgress: ProgressCallback | undefined,
  stage: string,
  options: ProgressOptions = {},
): ProgressReporter {
  expectArgument(onProgress === undefined || typeof onProgress === 'function', 'createProgress() onProgress', 'a function or undefined', onProgress);
  expectArgument(typeof stage === 'string', 'createProgress() stage', 'a string', stage);
  expectArgument(typeof options === 'object' && options !== null && !Array.isArray(options), 'createProgress() options', 'an object', options);
  const { total, unit, throttleMs = 0 } = options;
  expectArgument(total === undefined || (typeof total === 'number' && total >= 0 && Number.isFinite(total)), 'createProgress() options.total', 'a finite number >= 0', total);
  expectArgument(unit === undefined || typeof unit === 'string', 'createProgress() options.unit', 'a string', unit);
  expectArgument(typeof throttleMs === 'number' && throttleMs >= 0 && !Number.isNaN(throttleMs), 'createProgress() options.throttleMs', 'a number >= 0', throttleMs);
  let done = 0;
  let lastReport = Number.NEGATIVE_INFINITY;

  const emit = (force: boolean): void => {
    if (!onProgress) return;
    if (!force && throttleMs > 0) {
      const now = Date.now();
      if (now - lastReport < throttleMs) return;
      lastReport = now;
    }
    const event: ProgressEvent = { stage, done };
    if (total !== undefined) event.total = total;
    if (unit !== undefined) event.unit = unit;
    onProgress(event);
  };

  return {
    advance(amount = 1) {
      done += amount;
      emit(false);
    },
    update(value) {
      done = value;
      emit(false);
    },
    finish() {
      if (total !== undefined) done = total;
      emit(true);
    },
    get done() {
      return done;
    },
  };
}
