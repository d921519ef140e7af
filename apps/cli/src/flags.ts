import { Option } from 'commander';
import { UsageError } from './errors.js';

export interface IntegerBounds {
  /** Smallest accepted value (default 0). */
  min?: number;
  /** Largest accepted value (default Number.MAX_SAFE_INTEGER). */
  max?: number;
}

/**
 * The CLI's one integer parser, for flags and for the environment variables that stand in for
 * them: decimal digits only ("8k", "1e3", "0x10", "2.0" and "" are refused, not guessed at), a safe
 * integer, within bounds. A mistake is a UsageError (exit 2) that names the flag.
 */
export function parseInteger(value: string, flag: string, bounds: IntegerBounds = {}): number {
  const min = bounds.min ?? 0;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  const text = value.trim();
  const parsed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/** A comma-separated list of integers, each checked by {@link parseInteger}. */
export function parseIntegerList(value: string, flag: string, bounds: IntegerBounds = {}): number[] {
  return value.split(',').map((item) => parseInteger(item, flag, bounds));
}

/**
 * A commander option whose value is parsed by {@link parseInteger} at parse time, so the action
 * receives a number and every command words the same mistake the same way.
 */
export function integerOption(flags: string, description: string, bounds: IntegerBounds & { default?: number } = {}): Option {
  const option = new Option(flags, description);
  const name = option.long ?? option.short ?? flags;
  option.argParser((value: string) => parseInteger(value, name, bounds));
  if (bounds.default !== undefined) option.default(bounds.default);
  return option;
}
