import { expect } from 'vitest';
import type { PoisonCheck } from './poisoned-inputs.js';

/** Every row a poisoned key was hidden from is finite and equals the clean reference within 1e-4. */
export function expectClean(checks: PoisonCheck[]): void {
  expect(checks.length).toBeGreaterThan(0);
  expect(checks.some((check) => check.cleanRows > 0)).toBe(true);
  for (const check of checks) {
    expect(check.finite, `${check.name}: finite`).toBe(true);
    expect(check.outputError, `${check.name}: output`).toBeLessThanOrEqual(1e-4);
    expect(check.lseError, `${check.name}: LSE`).toBeLessThanOrEqual(1e-4);
  }
}
