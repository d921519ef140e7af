import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHttpClient, excerpt, isRetryableStatus, normalizeBaseURL } from './http-client.js';

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

describe('createHttpClient headers', () => {
  it('sends one Authorization header: apiKey wins over a differently cased custom one', async () => {
    let seen: Headers | undefined;
    const fakeFetch: typeof fetch = async (_url, init) => {
      seen = new Headers(init?.headers);
      return new Response('{}', { status: 200 });
    };
    const client = createHttpClient({ baseURL: 'https://llm.invalid/v1', apiKey: 'k', headers: { Authorization: 'Bearer other', 'X-Org': 'o' }, fetch: fakeFetch });
    await client.postJSON('/x', {});
    expect(seen?.get('authorization')).toBe('Bearer k');
    expect(seen?.get('x-org')).toBe('o');
    expect(seen?.get('content-type')).toBe('application/json');
  });
});
