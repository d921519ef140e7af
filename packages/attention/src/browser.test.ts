import { fileURLToPath } from 'node:url';
import { bundleForBrowser, chromiumSkipReason, launchChromium, servePage } from '@chunkwise/browser-testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserCheck } from './__fixtures__/browser-checks.js';
import { expectClean } from './__fixtures__/expect-clean.js';
import type { PoisonCheck } from './__fixtures__/poisoned-inputs.js';

// The default entry, bundled for browsers the way an app's bundler would, run in headless
// Chromium against the float64 reference computed in the same page.
const skip = chromiumSkipReason();
if (skip) console.warn(`skipping the Chromium tests: ${skip}`);

type Checks = {
  cpu(): Promise<{ wasm: boolean; checks: BrowserCheck[] }>;
  webgpu(): Promise<{ adapter: string | null; checks: BrowserCheck[]; auto: string }>;
  poisoned(): Promise<{ adapter: string | null; checks: PoisonCheck[] }>;
};

function expectAccurate(checks: BrowserCheck[]): void {
  expect(checks.length).toBeGreaterThan(0);
  for (const check of checks) {
    expect(check.outputError, `${check.name}: output`).toBeLessThanOrEqual(1e-4);
    expect(check.lseError, `${check.name}: LSE`).toBeLessThanOrEqual(1e-4);
    expect(check.finite, `${check.name}: finite`).toBe(true);
  }
}

describe.skipIf(skip !== undefined)('in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const served = await servePage(await bundleForBrowser(fileURLToPath(new URL('./__fixtures__/browser-checks.ts', import.meta.url))));
    close = served.close;
    browser = await launchChromium({ webgpu: true });
    page = await browser.newPage();
    await page.goto(served.url);
    await page.waitForFunction(() => 'chunkwiseChecks' in globalThis);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await close();
  });

  it('plain-JS and WebAssembly SIMD kernels match the float64 reference within 1e-4', async () => {
    const result = await page.evaluate(() => (globalThis as unknown as { chunkwiseChecks: Checks }).chunkwiseChecks.cpu());
    expect(result.wasm, 'WebAssembly SIMD compiles in Chromium').toBe(true);
    expectAccurate(result.checks);
  }, 120_000);

  it('the WebGPU (WGSL) kernels match the float64 reference within 1e-4 where an adapter exists', async (context) => {
    const result = await page.evaluate(() => (globalThis as unknown as { chunkwiseChecks: Checks }).chunkwiseChecks.webgpu());
    if (result.adapter === null) {
      context.skip(`no WebGPU adapter in this Chromium (${result.auto})`);
      return;
    }
    console.info(`WebGPU adapter: ${result.adapter}; ${result.checks.length} checks`);
    expectAccurate(result.checks);
    expect(result.auto, "backend 'auto' picks WebGPU when an adapter exists").toBe('webgpu');
  }, 300_000);

  it('NaN or ±Inf in a masked key never reaches an output (WebAssembly, and WGSL where an adapter exists)', async () => {
    const result = await page.evaluate(() => (globalThis as unknown as { chunkwiseChecks: Checks }).chunkwiseChecks.poisoned());
    expectClean(result.checks);
    if (result.adapter === null) console.warn('no WebGPU adapter: poisoning checked on WebAssembly only');
    else expect(result.checks.some((check) => check.name.includes('/webgpu'))).toBe(true);
  }, 300_000);
});
