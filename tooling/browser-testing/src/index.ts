// Shared by the browser tests of the packages and the playground: Debian's Chromium driven by
// playwright-core (nothing ever downloads a browser), a page served on loopback, and a test
// fixture bundled for browsers the way an app's bundler would.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or undefined. Only a developer machine without Chromium
 * skips; in CI (`CI` set) a missing browser is a failure, not a skip.
 */
export function chromiumSkipReason(path = CHROMIUM_PATH, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(path) || env.CI) return undefined;
  return `${path} is missing: install Debian's chromium package (apt-get install -y chromium) to run the browser tests.`;
}

export interface ChromiumOptions {
  /**
   * Keep WebGPU on: Chromium then runs it on SwiftShader, the CPU Vulkan driver Debian's Chromium
   * ships, so WGSL kernels get a real adapter without a GPU (`--disable-gpu` would remove WebGPU).
   */
  webgpu?: boolean;
}

/** Flags for headless Chromium off the (closed) network, as root in a container. */
export function chromiumArgs({ webgpu = false }: ChromiumOptions = {}): string[] {
  const quiet = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
  return webgpu ? [...quiet, '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'] : [...quiet, '--disable-gpu'];
}

/** Headless Chromium with a fresh temporary profile. */
export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(options) });
}

/** Headless Chromium on the given profile folder, so what a page stores (IndexedDB) survives a restart. */
export function launchChromiumProfile(profile: string, options: ChromiumOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(options) });
}

/** A fixture bundled as one browser script, resolving workspace packages to their TypeScript sources. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@chunkwise/source'],
  });
  return bundle.outputFiles[0]?.text ?? '';
}

export interface ServedPage {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves one page that loads one script, on 127.0.0.1 at a free port: a real origin, and a secure
 * context (WebGPU and IndexedDB need one).
 */
export async function servePage(script: string): Promise<ServedPage> {
  const server = createServer((request, response) => {
    const isScript = request.url === '/checks.js';
    response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    response.end(isScript ? script : '<!doctype html><meta charset="utf-8"><script src="/checks.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
