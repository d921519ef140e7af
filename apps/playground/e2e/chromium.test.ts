import { describe, expect, it } from 'vitest';
import { chromiumSkipReason } from './chromium.js';

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
