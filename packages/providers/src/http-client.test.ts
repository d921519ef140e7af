import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerpt, isRetryableStatus, normalizeBaseURL } from './http-client.js';

describe('normalizeBaseURL', () => {
  it.each([
    ['http://localhost:11434', 'http://localhost:11434/v1'],
    ['http://localhost:11434/', 'http://localhost:11434/v1'],
    ['http://localhost:11434/v1/', 'http://localhost:11434/v1'],
    ['https://api.openai.com/v1', 'https://api.openai.com/v1'],
    ['https://gateway.example/openai/v1//', 'https://gateway.example/openai/v1'],
  ])('%s → %s', (input, output) => {
    expect(normalizeBaseURL(input)).toBe(output);
  });

  it('rejects relative and non-http URLs', () => {
    expect(() => normalizeBaseURL('localhost:11434/v1')).toThrow(/http/);
    expect(() => normalizeBaseURL('/v1')).toThrow(/absolute/);
  });
});

describe('isRetryableStatus', () => {
  it('retries exactly 408, 429 and 5xx', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), (status) => {
        expect(isRetryableStatus(status)).toBe(status === 408 || status === 429 || status >= 500);
      }),
    );
  });
});

describe('excerpt', () => {
  it('keeps short bodies whole and cuts long ones to 500 characters plus an ellipsis', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1200 }), (text) => {
        const out = excerpt(text);
        if (text.length <= 500) expect(out).toBe(text);
        else expect(out).toBe(text.slice(0, 500) + '…');
      }),
    );
  });
});
