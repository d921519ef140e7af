import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs the `chromium` package. Nothing ever downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Whether to skip the browser tests, and why. Only a developer machine without Chromium skips;
 * in CI a missing browser is a failure, not a skip.
 */
export function chromiumSkipReason(path = CHROMIUM_PATH, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(path)) return undefined;
  if (env.CI) return undefined;
  return `${path} is missing: install Debian's chromium package (apt-get install -y chromium) to run the playground's browser test.`;
}

/** Flags that keep Chromium off the (closed) network and quiet in a container, as root. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium; Playwright gives it a fresh temporary profile (--user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}
