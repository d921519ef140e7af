import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, chromiumArgs, chromiumSkipReason, servePage } from './index.js';

describe('chromiumSkipReason', () => {
  const missing = '/nonexistent/chromium';

  it('skips, saying what to install, only when the browser is missing outside CI', () => {
    expect(chromiumSkipReason(missing, {})).toMatch(/apt-get install -y chromium/);
  });

  it('never skips in CI: a missing browser must fail the run there', () => {
    expect(chromiumSkipReason(missing, { CI: 'true' })).toBeUndefined();
  });

  it('runs wherever the browser exists', () => {
    expect(chromiumSkipReason(process.execPath, {})).toBeUndefined();
  });
});

describe('chromiumArgs', () => {
  it('keeps the GPU process (for WebGPU on SwiftShader) only when asked', () => {
    expect(chromiumArgs()).toContain('--disable-gpu');
    expect(chromiumArgs({ webgpu: true })).not.toContain('--disable-gpu');
    expect(chromiumArgs({ webgpu: true })).toContain('--enable-unsafe-webgpu');
  });
});

describe('servePage and bundleForBrowser', () => {
  it('serves the page and the bundled script on loopback', async () => {
    const script = await bundleForBrowser(fileURLToPath(new URL('./__fixtures__/hello.ts', import.meta.url)));
    expect(script).toContain('chunkwise-hello');
    const page = await servePage(script);
    try {
      expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await (await fetch(page.url)).text()).toContain('<script src="/checks.js">');
      expect(await (await fetch(new URL('checks.js', page.url))).text()).toBe(script);
    } finally {
      await page.close();
    }
  });
});
