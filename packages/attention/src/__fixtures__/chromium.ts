import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). Nothing downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined. In CI a missing browser fails instead. */
export function chromiumSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(CHROMIUM_PATH) || env.CI) return undefined;
  return `${CHROMIUM_PATH} is missing: install Debian's chromium package to run the browser tests.`;
}

/**
 * Headless Chromium, off the network, as root in a container. WebGPU runs on SwiftShader, the
 * CPU Vulkan driver Debian's Chromium ships (/usr/lib/chromium/libvk_swiftshader.so), so the WGSL
 * kernels get a real adapter without a GPU; `--disable-gpu` is left out because it removes WebGPU.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-webgpu-adapter=swiftshader',
    ],
  });
}

/** Serves one page and one script on 127.0.0.1 (WebGPU needs a secure context: http://localhost is one). */
export async function servePage(script: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/checks.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><meta charset="utf-8"><script src="/checks.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
