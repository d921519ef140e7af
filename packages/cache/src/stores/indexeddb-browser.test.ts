import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, chromiumSkipReason, launchChromiumProfile, servePage, type ServedPage } from '@chunkwise/browser-testing';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractResult } from '../__fixtures__/store-contract.js';

// The IndexedDB store bundled for browsers the way an app's bundler would, run in Debian's
// headless Chromium (`apt-get install -y chromium`; .ci/run installs it). Nothing downloads a browser.
const skip = chromiumSkipReason();
if (skip) console.warn(`skipping the Chromium tests: ${skip}`);

type Checks = {
  contract(): Promise<ContractResult[]>;
  write(): Promise<string>;
  read(key: string): Promise<{ whaleIsFloat32: boolean; whaleMatches: boolean; doc: unknown; expired: unknown; row: { type: string; bytes: number; deadline: unknown }; count: number }>;
};

describe.skipIf(skip !== undefined)('indexedDBStore in headless Chromium', () => {
  let served: ServedPage | undefined;
  let profile = '';
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // IndexedDB needs a real origin: the page is served on loopback.
    served = await servePage(await bundleForBrowser(fileURLToPath(new URL('../__fixtures__/indexeddb-browser-checks.ts', import.meta.url))));
    profile = mkdtempSync(join(tmpdir(), 'chunkwise-chromium-'));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await served?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const page = async () => {
    // Its own profile folder, so IndexedDB lives on disk there and survives a restart.
    context ??= await launchChromiumProfile(profile);
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.goto(served!.url);
    await tab.waitForFunction(() => 'chunkwiseChecks' in globalThis);
    return tab;
  };

  it('meets the same store contract as memory and SQLite', async () => {
    const tab = await page();
    const results = await tab.evaluate(() => (globalThis as unknown as { chunkwiseChecks: Checks }).chunkwiseChecks.contract());
    expect(results.length).toBeGreaterThanOrEqual(6);
    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
  }, 60_000);

  it('keeps acknowledged entries, binary, across a browser restart', async () => {
    const key = await (await page()).evaluate(() => (globalThis as unknown as { chunkwiseChecks: Checks }).chunkwiseChecks.write());
    await context!.close();
    context = undefined;
    const tab = await page();
    const read = await tab.evaluate((k) => (globalThis as unknown as { chunkwiseChecks: Checks }).chunkwiseChecks.read(k), key);
    expect(read.whaleIsFloat32).toBe(true);
    expect(read.whaleMatches).toBe(true);
    expect(read.doc).toEqual({ title: 'Moby Dick', chapters: 135 });
    expect(read.expired).toBeUndefined();
    // A Uint8Array row of 3 + 768 × 4 bytes with its deadline: binary, not JSON.
    expect(read.row).toEqual({ type: '[object Uint8Array]', bytes: 3 + 768 * 4, deadline: expect.any(Number) });
    // The expired entry was dropped when read.
    expect(read.count).toBe(2);
  }, 60_000);
});
