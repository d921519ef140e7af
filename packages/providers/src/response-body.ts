import { ChunkwiseError } from '@chunkwise/core';
import { show } from './argument-checks.js';

/** Completions default: far above any real answer, far below what hurts a process (issue 14: four 300 MB bodies took 2.3 GB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 2 ** 20;
/** Bytes of an error body kept for the message; the rest is not read. */
export const ERROR_BODY_BYTES = 64 * 1024;

export function checkMaxResponseBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxResponseBytes must be a positive integer (bytes), got ${show(value)}.`);
  }
  return value;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export function tooLarge(url: string, limitBytes: number, details: Record<string, unknown> = {}): ChunkwiseError {
  return new ChunkwiseError(
    'UPSTREAM',
    `${url} sent a response larger than ${formatBytes(limitBytes)}; it was cut off. Raise maxResponseBytes if the answer is legitimately this large.`,
    { details: { url, limitBytes, ...details } },
  );
}

/**
 * The body as text, read chunk by chunk and abandoned (the stream cancelled, so the socket closes)
 * as soon as it passes `limitBytes`: memory stays bounded by the limit whatever the server sends.
 * A declared `content-length` over the limit fails before a byte is read.
 */
export async function readBodyText(res: Response, limitBytes: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(url, limitBytes, { status: res.status, declaredBytes: declared });
  }
  const { text, truncated } = await readAtMost(res, limitBytes);
  if (truncated) throw tooLarge(url, limitBytes, { status: res.status });
  return text;
}

/** At most `limitBytes` of the body as text (an error body, for an excerpt); the rest is never read. */
export async function readBodyPrefix(res: Response, limitBytes = ERROR_BODY_BYTES): Promise<string> {
  return (await readAtMost(res, limitBytes)).text;
}

async function readAtMost(res: Response, limitBytes: number): Promise<{ text: string; truncated: boolean }> {
  const body = res.body;
  if (body === null) {
    // Some fetch stand-ins have no stream; their body is already in memory, so only the check remains.
    const text = await res.text();
    const bytes = new TextEncoder().encode(text);
    return bytes.length > limitBytes ? { text: new TextDecoder().decode(bytes.subarray(0, limitBytes)), truncated: true } : { text, truncated: false };
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), truncated: false };
      const room = limitBytes - received;
      received += value.byteLength;
      if (value.byteLength > room) {
        text += decoder.decode(value.subarray(0, room));
        await reader.cancel().catch(() => {});
        return { text, truncated: true };
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}
